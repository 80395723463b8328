// Starts the local cloud as a child process (as `npm start` runs it) on a free port with its own database.
import { spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'

export const ROOT = path.resolve(__dirname, '..', '..')

export interface CloudProcess {
  url: string
  dbFile: string
  child: ChildProcess
  output: () => string
  stop(): Promise<void>
}

export async function startCloudProcess(
  opts: { dbFile?: string; env?: Record<string, string> } = {},
): Promise<CloudProcess> {
  const dbFile = opts.dbFile ?? path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'kt-e2e-')), 'kaitong.db')
  // BENCH_CPU_PROF=<dir>: the cloud writes a CPU profile there when it stops (where a benchmark's time goes).
  const prof = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : []
  const child = spawn(process.execPath, [...prof, '--import', 'tsx', path.join(ROOT, 'server/local/runtime/main.ts')], {
    cwd: ROOT,
    // The default settings and the local cloud, whatever the developer's shell says.
    env: {
      ...process.env,
      PORT: '0',
      KAITONG_DB: dbFile,
      KAITONG_APR_CAP_PERCENT: '',
      KAITONG_CLOUD: '',
      // Payouts land at once unless a test asks for the served cloud's delay.
      KAITONG_SIM_PAYOUT_MS: '0',
      ...opts.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  child.stdout!.on('data', (c: Buffer) => (out += c.toString()))
  child.stderr!.on('data', (c: Buffer) => (out += c.toString()))
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`local cloud did not start:\n${out}`)), 30_000)
    const onData = () => {
      const m = /Kaitong local cloud: (http:\/\/\S+)/.exec(out)
      if (m) {
        clearTimeout(timer)
        resolve(m[1])
      }
    }
    child.stdout!.on('data', onData)
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`local cloud exited (${code}):\n${out}`))
    })
  })
  return {
    url,
    dbFile,
    child,
    output: () => out,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve()
        child.once('exit', () => resolve())
        child.kill('SIGTERM')
      }),
  }
}
