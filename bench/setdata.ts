// `npm run bench:setdata`: setData calls and bytes per interaction in the compiled weapp build,
// measured by test/weapp/setdata-audit.test.ts in miniprogram-simulate (run build:weapp first).
// WeChat's audit limits: ≤ 20 calls a second, ≤ 256 KB a call. Our goal: ≤ 5 calls and ≤ 16 KB
// per interaction.
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'

const ROOT = path.resolve(__dirname, '..')
const OUT = path.join(ROOT, 'artifacts', 'setdata.json')
if (!fs.existsSync(path.join(ROOT, 'dist', 'app.js'))) {
  console.error('dist/ is missing: run `npm run build:weapp` first.')
  process.exit(1)
}
fs.rmSync(OUT, { force: true })
const run = spawnSync(
  'npx',
  ['jest', '--selectProjects', 'weapp', '--runTestsByPath', 'test/weapp/setdata-audit.test.ts'],
  { cwd: ROOT, encoding: 'utf8' },
)
if (run.status !== 0 || !fs.existsSync(OUT)) {
  console.error(run.stdout, run.stderr)
  process.exit(1)
}
const figures = JSON.parse(fs.readFileSync(OUT, 'utf8')) as Record<
  string,
  Array<{ calls: number; maxBytes: number; totalBytes: number }> | number
>
console.log(`setData audit — miniprogram-simulate on dist/, ${new Date().toISOString()}`)
console.log(
  'interaction'.padEnd(44),
  'n'.padStart(4),
  'calls max'.padStart(10),
  'calls mean'.padStart(11),
  'largest B'.padStart(10),
  'most B/int'.padStart(11),
  ' goal (≤5 calls, ≤16 KB)',
)
let allMet = true
for (const [name, list] of Object.entries(figures)) {
  if (typeof list === 'number') continue
  const maxCalls = Math.max(...list.map((c) => c.calls))
  const mean = list.reduce((s, c) => s + c.calls, 0) / list.length
  const largest = Math.max(...list.map((c) => c.maxBytes))
  // All the calls of the costliest interaction together (the goal's 16 KB is checked per call).
  const mostBytes = Math.max(...list.map((c) => c.totalBytes))
  const met = maxCalls <= 5 && largest <= 16 * 1024
  allMet &&= met
  console.log(
    name.padEnd(44),
    String(list.length).padStart(4),
    String(maxCalls).padStart(10),
    mean.toFixed(2).padStart(11),
    String(largest).padStart(10),
    String(mostBytes).padStart(11),
    met ? ' met' : ' NOT met',
  )
}
console.log(
  `busiest second of this scripted run: ${figures['busiest second']} setData calls (WeChat's limit: 20; the script types a key about every 60 ms, faster than a person — each interaction is one call)`,
)
console.log(`goal per interaction: ${allMet ? 'met everywhere' : 'not met everywhere (see above)'}`)
