// Bundles each cloud function (cloudfunctions/<name>/index.ts + the shared code) into its own
// folder's index.js, with wx-server-sdk left to the function's own package.json.
import { build } from 'esbuild'
import fs from 'node:fs'
import path from 'node:path'
import { BUNDLED_FONT_NAME, packagedContractFont } from '../server/contracts/font'

export const CLOUD_ROOT = path.resolve(__dirname, '..', 'cloudfunctions')

/** Installed by WeChat Cloud from the contracts function's package.json, at these versions (the root lock's). */
export const PDF_LIBRARIES = ['pdfkit', 'fontkit']
/** Installed by WeChat Cloud from the console function's package.json: argon2's native binary cannot be bundled. */
export const NATIVE_LIBRARIES = ['@node-rs/argon2']

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
      // pdfkit and fontkit are the contracts function's own dependencies (its package.json), loaded
      // only when a PDF is made: no other function carries them.
      external: ['wx-server-sdk', ...PDF_LIBRARIES, ...NATIVE_LIBRARIES],
      legalComments: 'none',
      logLevel: 'warning',
    })
    log(`cloudfunctions/${name}/index.js  ${fs.statSync(outfile).size} bytes`)
  }
  copyContractFont(log)
}

/**
 * The contracts function lays its PDFs out in a CJK font that WeChat's runtime does not have: one
 * weight, copied beside its bundle (server/contracts/font.ts looks there). Not tracked: 17 MB.
 */
function copyContractFont(log: (line: string) => void): void {
  const folder = path.join(CLOUD_ROOT, 'contracts')
  if (!fs.existsSync(folder)) return
  const font = packagedContractFont()
  if (!font) throw new Error('the contracts function needs node-source-han-sans-sc (a devDependency): run npm install')
  const target = path.join(folder, BUNDLED_FONT_NAME)
  fs.copyFileSync(font, target)
  log(`cloudfunctions/contracts/${BUNDLED_FONT_NAME}  ${fs.statSync(target).size} bytes`)
}

if (process.argv[1] && path.resolve(process.argv[1]) === __filename) {
  buildCloud().catch((error: unknown) => {
    console.error(error)
    process.exit(1)
  })
}
