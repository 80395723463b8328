// Wires the local adapters into the ports: one SQLite file, the simulators, the movable clock.
import path from 'node:path'
import type { Logger, Ports, Settings } from '../ports'
import { COLLECTIONS, INDEXES } from '../schema'
import { settingsFromEnv } from '../settings'
import {
  LocalClock,
  LocalIds,
  LocalSecrets,
  consoleLogger,
  ephemeralKeyring,
  loadOrCreateKeyring,
  loadOrCreateSecret,
} from './adapters/basics'
import type { Keyring } from '../keyring'
import { LocalMerchantCodes } from './adapters/merchant-codes'
import { OutboxNotifier } from './adapters/outbox'
import {
  SimBureau,
  SimCardVerifier,
  SimFaceVerifier,
  SimIdentityVerifier,
  SimPayScore,
  SimProfileSource,
  SimWorld,
} from './adapters/simulators'
import { SqliteStore } from './adapters/sqlite-store'

export interface LocalPorts extends Ports {
  store: SqliteStore
  clock: LocalClock
  secrets: LocalSecrets
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
  /** Fixed data keys instead of the file (tests). */
  dataKeys?: Keyring
  now?: () => number
  log?: Logger
  /** Overrides the environment's settings (tests). */
  settings?: Partial<Settings>
}

/** Where the local secrets live: the given folder, or the database's. */
export function localDataDir(opts: Pick<LocalOptions, 'dataDir' | 'dbFile'>): string {
  return opts.dataDir ?? (opts.dbFile === ':memory:' ? '.data' : path.dirname(path.resolve(opts.dbFile)))
}

export function localPorts(opts: LocalOptions): LocalPorts {
  const clock = new LocalClock(opts.now)
  const dataDir = localDataDir(opts)
  const key = opts.secretKey ?? loadOrCreateSecret(dataDir)
  // Operational events (pre-check decisions, ignored scenes) need no power-loss guarantee.
  const store = new SqliteStore(opts.dbFile, INDEXES, { relaxed: [COLLECTIONS.events] })
  const dataKeys =
    opts.dataKeys ??
    (opts.dbFile === ':memory:'
      ? ephemeralKeyring()
      : loadOrCreateKeyring(dataDir, clock.now(), !store.hasSealedIdentities()))
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
    settings: {
      ...(opts.settings?.aprCapPercent === undefined ? settingsFromEnv() : {}),
      ...opts.settings,
    } as Settings,
    clock,
    ids,
    secrets: new LocalSecrets(key, dataKeys),
    log: opts.log ?? consoleLogger(),
  }
}
