// Wires the local adapters into the ports: one SQLite file, the simulators, the movable clock.
import path from 'node:path'
import type { Logger, Ports, Settings } from '../ports'
import { COLLECTIONS, INDEXES } from '../schema'
import { settingsFromEnv } from '../settings'
import { HmacSecrets, LocalClock, LocalIds, consoleLogger, loadOrCreateSecret } from './basics'
import { LocalMerchantCodes } from './merchant-codes'
import { OutboxNotifier } from './outbox'
import {
  SimBureau,
  SimCardVerifier,
  SimFaceVerifier,
  SimIdentityVerifier,
  SimPayScore,
  SimProfileSource,
  SimWorld,
} from './simulators'
import { SqliteStore } from './sqlite-store'

export interface LocalPorts extends Ports {
  store: SqliteStore
  clock: LocalClock
  secrets: HmacSecrets
  /** The simulated world behind the pay-score, bureau and profile simulators (dev page edits it). */
  world: SimWorld
  face: SimFaceVerifier
  codes: LocalMerchantCodes
}

export interface LocalOptions {
  /** SQLite file path, or ':memory:'. */
  dbFile: string
  /** Where the secret lives; defaults to the database's folder. */
  dataDir?: string
  /** A fixed key instead of the file (tests). */
  secretKey?: Buffer
  now?: () => number
  log?: Logger
  /** Overrides the environment's settings (tests). */
  settings?: Partial<Settings>
}

export function localPorts(opts: LocalOptions): LocalPorts {
  const clock = new LocalClock(opts.now)
  const key =
    opts.secretKey ??
    loadOrCreateSecret(opts.dataDir ?? (opts.dbFile === ':memory:' ? '.data' : path.dirname(path.resolve(opts.dbFile))))
  // Operational events (pre-check decisions, ignored scenes) need no power-loss guarantee.
  const store = new SqliteStore(opts.dbFile, INDEXES, { relaxed: [COLLECTIONS.events] })
  const world = new SimWorld(store)
  const ids = new LocalIds(clock)
  return {
    store,
    world,
    identity: new SimIdentityVerifier(),
    payScore: new SimPayScore(world),
    bureau: new SimBureau(world),
    profiles: new SimProfileSource(world),
    cards: new SimCardVerifier(),
    face: new SimFaceVerifier(store, () => ids.next('v')),
    codes: new LocalMerchantCodes(),
    notifier: new OutboxNotifier(store, ids, () => clock.now()),
    reminderTemplates: { due: 'tpl_local_due', overdue: 'tpl_local_overdue' },
    settings: { ...settingsFromEnv(), ...opts.settings },
    clock,
    ids,
    secrets: new HmacSecrets(key),
    log: opts.log ?? consoleLogger(),
  }
}
