// Bundles each cloud function (cloudfunctions/<name>/index.ts + the shared code) into its own
// folder's index.js, with wx-server-sdk left to the function's own package.json.
import { build } from 'esbuild'
import fs from 'node:fs'
import path from 'node:path'

export const CLOUD_ROOT = path.resolve(__dirname, '..', 'cloudfunctions')

export function cloudFunctionNames(): string[] {
  return fs
    .readdirSync(CLOUD_ROOT, { withFileTypes: true })
    .filter((d) => d.isDirectory() && fs.existsSync(path.join(CLOUD_ROOT, d.name, 'index.ts')))
    .map((d) => d.name)
}

export async function buildCloud(log: (line: string) => void = console.log): Promise<void> {
  for (const name of cloudFunctionNames()) {
    const outfile = path.join(CLOUD_ROOT, name, 'index.js')
    await build({
      entryPoints: [path.join(CLOUD_ROOT, name, 'index.ts')],
      outfile,
      bundle: true,
      platform: 'node',
      target: 'node16',
      format: 'cjs',
      external: ['wx-server-sdk'],
      legalComments: 'none',
      logLevel: 'warning',
    })
    log(`cloudfunctions/${name}/index.js  ${fs.statSync(outfile).size} bytes`)
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === __filename) {
  buildCloud().catch((error: unknown) => {
    console.error(error)
    process.exit(1)
  })
}
