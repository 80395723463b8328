// The CJK font the contract PDFs embed (as a subset): Source Han Sans SC Regular, found where each
// way of running the code keeps it. Only the one 17 MB weight ships; the package's other weights
// stay in node_modules, and WeChat's runtime has no CJK system fonts to fall back on.
import fs from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'

/** The variable that names the font file outright (a deployment that keeps it elsewhere). */
export const CONTRACT_FONT_ENV = 'KAITONG_CONTRACT_FONT'
/** The name the cloud-function build gives the font beside the bundled index.js. */
export const BUNDLED_FONT_NAME = 'contract-font.otf'
const FONT_PACKAGE = 'node-source-han-sans-sc'
const FONT_FILE = 'SourceHanSansSC-Regular.otf'

/** The Regular OTF inside node_modules (its real path), or null where the package is not installed (a bundle). */
export function packagedContractFont(): string | null {
  try {
    const manifest = fs.realpathSync(createRequire(__filename).resolve(`${FONT_PACKAGE}/package.json`))
    const file = path.join(path.dirname(manifest), FONT_FILE)
    return fs.existsSync(file) ? file : null
  } catch {
    return null
  }
}

/** Where the font is looked for, in order; the variable, when set, is the only place. */
function fontPlaces(env: Record<string, string | undefined>): string[] {
  const named = env[CONTRACT_FONT_ENV]?.trim()
  if (named) return [path.resolve(named)]
  // In a bundle __dirname is the function's folder, where scripts/build-cloud.ts copies the font.
  const bundled = path.join(__dirname, BUNDLED_FONT_NAME)
  return [bundled, packagedContractFont()].filter((p): p is string => p !== null)
}

/** Finds the font file; `env` is a parameter so tests can point it elsewhere. */
export function findContractFont(env: Record<string, string | undefined> = process.env): string {
  const found = fontPlaces(env).find((p) => fs.existsSync(p))
  if (found) return found
  const named = env[CONTRACT_FONT_ENV]?.trim()
  throw new Error(
    named
      ? `${CONTRACT_FONT_ENV}=${named}: no such font file`
      : `no contract font: set ${CONTRACT_FONT_ENV} to an OTF file, or put ${BUNDLED_FONT_NAME} in ${__dirname} ` +
          `(npm run build:cloud copies it there), or install the ${FONT_PACKAGE} package (${FONT_FILE})`,
  )
}

let cached: Uint8Array | null = null

/** The font's bytes, read once per process (17 MB: a warm cloud function reuses them). */
export function contractFontBytes(): Uint8Array {
  if (!cached) cached = fs.readFileSync(findContractFont())
  return cached
}
