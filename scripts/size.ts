// `npm run size`: bytes of the weapp build (main package vs subpackages) and of the H5 build,
// against WeChat's limits (2 MB per package). Run after build:weapp / build:h5.
import fs from 'node:fs'
import path from 'node:path'

const ROOT = path.resolve(__dirname, '..')
const MB2 = 2 * 1024 * 1024

function walk(dir: string): Array<{ file: string; bytes: number }> {
  if (!fs.existsSync(dir)) return []
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const p = path.join(dir, d.name)
    return d.isDirectory() ? walk(p) : [{ file: p, bytes: fs.statSync(p).size }]
  })
}

const dist = path.join(ROOT, 'dist')
const app = JSON.parse(fs.readFileSync(path.join(dist, 'app.json'), 'utf8')) as {
  subPackages?: Array<{ root: string }>
}
const roots = (app.subPackages ?? []).map((s) => s.root.replace(/\/$/, ''))
const files = walk(dist).map((f) => ({ ...f, rel: path.relative(dist, f.file).replace(/\\/g, '/') }))
const inSub = (rel: string) => roots.find((r) => rel.startsWith(`${r}/`))
const main = files.filter((f) => !inSub(f.rel) && !f.rel.endsWith('.LICENSE.txt'))
const mainBytes = main.reduce((s, f) => s + f.bytes, 0)

// Issue #18: the main package (the tab pages, Taro, the UI library) within 480 KB, every page included.
const MAIN_GOAL = 480 * 1024
const over: string[] = []
const pct = (b: number) => `${((b / MB2) * 100).toFixed(1)}% of 2 MB`
console.log(
  `weapp main package: ${mainBytes} bytes (${pct(mainBytes)}; goal ≤ ${MAIN_GOAL} bytes: ${mainBytes <= MAIN_GOAL ? 'met' : 'NOT met'})`,
)
for (const f of main.sort((a, b) => b.bytes - a.bytes).slice(0, 6)) console.log(`  ${f.rel.padEnd(36)} ${f.bytes}`)
if (mainBytes > MB2) over.push('main package')
let total = mainBytes
for (const root of roots) {
  const bytes = files.filter((f) => inSub(f.rel) === root).reduce((s, f) => s + f.bytes, 0)
  total += bytes
  console.log(`weapp subpackage ${root}: ${bytes} bytes (${pct(bytes)})`)
  if (bytes > MB2) over.push(root)
}
console.log(`weapp total: ${total} bytes (WeChat allows 20 MB in all)`)
const h5 = walk(path.join(ROOT, 'dist-h5')).filter((f) => !f.file.endsWith('.LICENSE.txt'))
console.log(`H5 build: ${h5.reduce((s, f) => s + f.bytes, 0)} bytes in ${h5.length} files`)
if (over.length > 0 || total > 20 * 1024 * 1024) {
  console.error(`over WeChat's limits: ${over.join(', ') || 'total'}`)
  process.exit(1)
}
