// `npm test`: every check, in the order that gives the fastest useful failure — typecheck, lint,
// jest (domain, server, pages), the weapp build in miniprogram-simulate, the H5 build in Chromium.
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'

const ROOT = path.resolve(__dirname, '..')
const bin = (name: string) => path.join(ROOT, 'node_modules', '.bin', name)
const reports = fs.mkdtempSync(path.join(os.tmpdir(), 'kt-test-'))

interface Step {
  name: string
  cmd: string
  args: string[]
  jestReport?: string
  env?: Record<string, string>
}

const jest = (name: string, projects: string[]): Step => {
  const report = path.join(reports, `${projects.join('-')}.json`)
  return {
    name,
    cmd: bin('jest'),
    args: ['--selectProjects', ...projects, '--json', `--outputFile=${report}`, ...(process.env.CI ? ['--ci'] : [])],
    jestReport: report,
  }
}

const steps: Step[] = [
  { name: 'typecheck', cmd: bin('tsc'), args: ['--noEmit', '-p', 'tsconfig.json'] },
  { name: 'lint', cmd: 'npm', args: ['run', '--silent', 'lint'] },
  jest('jest: domain, server, pages', ['node', 'jsdom']),
  // The weapp build the simulator tests run carries the local cloud's reminder templates (its
  // ports' reminderTemplates), so the subscribe dialog is there to test; a deployment builds with its own.
  {
    name: 'build:weapp',
    cmd: bin('taro'),
    args: ['build', '--type', 'weapp'],
    env: {
      WX_TEMPLATE_DUE: process.env.WX_TEMPLATE_DUE || 'tpl_local_due',
      WX_TEMPLATE_OVERDUE: process.env.WX_TEMPLATE_OVERDUE || 'tpl_local_overdue',
    },
  },
  jest('jest: weapp (miniprogram-simulate on dist/)', ['weapp']),
  { name: 'build:h5', cmd: bin('taro'), args: ['build', '--type', 'h5'] },
  {
    name: 'build:console',
    cmd: bin('vite'),
    args: ['build', '--config', 'console/vite.config.ts', '--logLevel', 'warn'],
  },
  jest('jest: e2e (H5 in Chromium)', ['e2e']),
]

let passed = 0
let failed = 0
const timings: string[] = []
const started = Date.now()
let broken: string | null = null

for (const step of steps) {
  const t0 = Date.now()
  console.log(`\n▶ ${step.name}`)
  const quietBuild = step.name.startsWith('build:')
  const r = spawnSync(step.cmd, step.args, {
    cwd: ROOT,
    stdio: quietBuild ? ['ignore', 'pipe', 'pipe'] : 'inherit',
    env: { ...process.env, ...step.env },
  })
  const seconds = ((Date.now() - t0) / 1000).toFixed(1)
  timings.push(`${step.name.padEnd(46)} ${seconds.padStart(6)} s`)
  if (step.jestReport && fs.existsSync(step.jestReport)) {
    const report = JSON.parse(fs.readFileSync(step.jestReport, 'utf8')) as {
      numPassedTests: number
      numFailedTests: number
    }
    passed += report.numPassedTests
    failed += report.numFailedTests
  }
  if (r.status !== 0) {
    if (quietBuild) process.stderr.write(`${r.stdout?.toString().slice(-4000)}\n${r.stderr?.toString().slice(-4000)}`)
    broken = step.name
    break
  }
}

console.log(
  `\n${timings.join('\n')}\n${'total'.padEnd(46)} ${((Date.now() - started) / 1000).toFixed(1).padStart(6)} s`,
)
if (broken) console.log(`\nFAILED at: ${broken}`)
console.log(`\n${passed} passed, ${failed} failed`)
process.exit(broken ? 1 : 0)
