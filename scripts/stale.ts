// Is a build output older than any of its inputs? (npm start rebuilds only what is stale.)
import fs from 'node:fs'
import path from 'node:path'

export const ROOT = path.resolve(__dirname, '..')

function newestMtime(entry: string): number {
  if (!fs.existsSync(entry)) return 0
  const stat = fs.statSync(entry)
  if (!stat.isDirectory()) return stat.mtimeMs
  let newest = 0
  for (const child of fs.readdirSync(entry)) {
    if (child === 'node_modules' || child === 'index.js') continue
    newest = Math.max(newest, newestMtime(path.join(entry, child)))
  }
  return newest
}

export function isStale(output: string, inputs: string[]): boolean {
  const out = path.join(ROOT, output)
  if (!fs.existsSync(out)) return true
  const built = fs.statSync(out).mtimeMs
  return inputs.some((i) => newestMtime(path.join(ROOT, i)) > built)
}

export const H5_INPUTS = ['src', 'config', 'types', 'babel.config.js', 'package-lock.json']
/** The operator console's build reads its own folder and the contract it shares with the server. */
export const CONSOLE_INPUTS = [
  'console/src',
  'console/index.html',
  'console/vite.config.ts',
  'src/api',
  'src/domain',
  'package-lock.json',
]
export const CLOUD_INPUTS = [
  'src/api',
  'src/domain',
  'server',
  'cloudfunctions',
  'scripts/build-cloud.ts',
  'package-lock.json',
]
