// The local cloud process: one SQLite file, the simulators, the H5 build and the API on 127.0.0.1.
import fs from 'node:fs'
import path from 'node:path'
import type { AddressInfo } from 'node:net'
import { seedDemoMerchants, seedOperator } from '../../app/merchants'
import { migrate } from '../../app/migrations'
import { seedDemoOperators } from '../../app/console/operators'
import { createLocalCloud } from './gateway'
import { LOCAL_CLOUD_PID, consoleLogger } from '../adapters/basics'
import { scheduleJobs } from './jobs'
import { closeBooks } from '../books'
import { SqliteStore } from '../adapters/sqlite-store'
import { localDataDir, localPorts, payoutDelay, type DevPorts } from '../ports'
import { standinPorts } from '../standin-ports'
import { devOpenid } from './session'
import type { Store } from '../../ports'

export interface StartOptions {
  port?: number
  host?: string
  dbFile?: string
  staticDir?: string
  /** The built operator console (console/dist), served at /console/. */
  consoleDir?: string
  mode?: 'local' | 'shared'
  quiet?: boolean
  /**
   * `local` (default): SQLite and the local adapters. `wechat-standin`: the WeChat adapters through the
   * real wx-server-sdk against the stand-in of WeChat Cloud (KAITONG_CLOUD), kept in <data>/standin/.
   */
  cloud?: 'local' | 'wechat-standin'
}

/** KAITONG_CLOUD, checked: a mistyped value stops the start rather than silently running local. */
export function cloudFromEnv(value = process.env.KAITONG_CLOUD): 'local' | 'wechat-standin' {
  if (value === undefined || value === '' || value === 'local') return 'local'
  if (value === 'wechat-standin') return 'wechat-standin'
  throw new Error(`KAITONG_CLOUD=${value}: use local (the default) or wechat-standin`)
}

/** What every local cloud starts with: the demo merchants, and the dev operator (sign in as "operator") who may create merchant codes. */
export async function seedLocalCloud(store: Store, now: number): Promise<void> {
  await seedDemoMerchants(store, now)
  await seedOperator(store, devOpenid('operator'), now)
}

export async function startLocalCloud(opts: StartOptions = {}) {
  const dbFile = opts.dbFile ?? process.env.KAITONG_DB ?? path.join('.data', 'kaitong.db')
  const log = consoleLogger(opts.quiet ?? false)
  const kind = opts.cloud ?? cloudFromEnv()
  const mode = opts.mode ?? (process.env.KAITONG_MODE === 'shared' ? 'shared' : 'local')
  if (mode === 'shared' && kind === 'wechat-standin')
    throw new Error(
      'KAITONG_MODE=shared with KAITONG_CLOUD=wechat-standin: the stand-in answers anyone who reaches its port (it checks no credentials, as the SDK sends none it could check); run it only on your own machine',
    )
  const dataDir = localDataDir({ dbFile })
  const ports: DevPorts =
    kind === 'wechat-standin'
      ? await standinPorts({ dataDir: path.join(dataDir, 'standin'), log, payoutMs: servedPayoutMs() })
      : localPorts({ dbFile, log, payoutMs: servedPayoutMs() })
  await seedLocalCloud(ports.store, ports.clock.now())
  // The console's demo operators, with their local-only password and TOTP secrets (npm start lists them).
  if (mode === 'local') await seedDemoOperators(ports)
  // Data from an earlier version is brought up to this one before anything is served.
  await migrate(ports)
  const cloud = createLocalCloud({
    ports,
    staticDir: opts.staticDir ?? 'dist-h5',
    consoleDir: opts.consoleDir ?? path.join('console', 'dist'),
    mode,
  })
  const host = opts.host ?? process.env.HOST ?? '127.0.0.1'
  const port = opts.port ?? Number(process.env.PORT ?? 3000)
  try {
    await new Promise<void>((resolve, reject) => {
      cloud.server.once('error', reject)
      cloud.server.listen(port, host, () => resolve())
    })
  } catch (error) {
    // Port taken: nothing else (the stand-in's server, the database file) stays open behind the error.
    await ports.close()
    throw error
  }
  const address = cloud.server.address() as AddressInfo
  const url = `http://${host}:${address.port}/`
  ports.setPublicUrl(url)
  // After the jobs, the books are closed through the last entry: `kaitong ledger trial-balance` then
  // reads the close and only what was posted since.
  // (On the WeChat stand-in the books are in the stand-in's database, which has no close yet.)
  const store = ports.store
  const stopJobs = scheduleJobs(ports, undefined, async () => {
    if (!(store instanceof SqliteStore)) return
    const closed = await closeBooks(store, ports.clock.now())
    // Books that do not balance are not carried forward: someone must look (kaitong ledger trial-balance).
    if (!closed.ok && closed.code === 'UNBALANCED') ports.log.error('books_unbalanced', {})
  })
  const pidFile = dbFile === ':memory:' ? null : path.join(dataDir, LOCAL_CLOUD_PID)
  if (pidFile) fs.writeFileSync(pidFile, String(process.pid))
  const stop = async () => {
    if (pidFile) fs.rmSync(pidFile, { force: true })
    stopJobs()
    await new Promise<void>((resolve) => cloud.server.close(() => resolve()))
    await ports.close()
  }
  return { url, port: address.port, dbFile, ports, cloud, stop }
}

if (process.argv[1] && path.resolve(process.argv[1]) === __filename) {
  startLocalCloud()
    .then(({ url, dbFile, ports, stop }) => {
      const where = ports.cloud === 'wechat-standin' ? 'WeChat stand-in, through wx-server-sdk' : `database: ${dbFile}`
      console.log(`Kaitong local cloud: ${url}  (${where})`)
      const quit = () => void stop().then(() => process.exit(0))
      process.on('SIGINT', quit)
      process.on('SIGTERM', quit)
    })
    .catch((error: unknown) => {
      console.error(error)
      process.exit(1)
    })
}

/**
 * The served local cloud's payouts land 1.5 s after they are asked for (the loan shows 放款中
 * first, as it would), unless $KAITONG_SIM_PAYOUT_MS says otherwise (0: at once).
 */
function servedPayoutMs(): number {
  return process.env.KAITONG_SIM_PAYOUT_MS === undefined || process.env.KAITONG_SIM_PAYOUT_MS === ''
    ? 1_500
    : payoutDelay()
}
