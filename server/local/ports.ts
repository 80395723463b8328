// Wires the local adapters into the ports: one SQLite file, the simulators, the movable clock.
import path from 'node:path'
import type { WhoIs } from '../app/handler'
import type { Files, Ids, Logger, Ports, Settings, Store } from '../ports'
import { COLLECTIONS, INDEXES } from '../schema'
import { SIM_INDEXES } from './adapters/sim-statements'
import { DEFAULT_SETTINGS, settingsFromEnv } from '../settings'
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
import { OUTBOX, OutboxNotifier, type OutboxDoc } from './adapters/outbox'
import {
  SimBureau,
  SimCardVerifier,
  SimFaceVerifier,
  SimIdentityVerifier,
  SimPayScore,
  SimProfileSource,
  SimWorld,
} from './adapters/simulators'
import { SimPayments } from './adapters/sim-payments'
import { SimPayouts } from './adapters/sim-payouts'
import { SimCardDebits } from './adapters/sim-card-debits'
import { SqliteStore } from './adapters/sqlite-store'
import { LocalFiles } from './adapters/files'

/** A subscribe message as the dev outbox page lists it. */
export interface SentMessageView {
  at: number
  openid: string
  templateId: string
  data: Record<string, { value: string }>
}

/**
 * What the local cloud's gateway and process need beyond the ports, whichever adapters sit under
 * the WeChat side: the local ones (SQLite, the outbox) or the WeChat ones through the real SDK and
 * the stand-in (standin-ports.ts).
 */
export interface DevPorts extends Ports {
  /** `local`: SQLite and the outbox; `wechat-standin`: the WeChat adapters through wx-server-sdk. */
  cloud: 'local' | 'wechat-standin'
  clock: LocalClock
  secrets: LocalSecrets
  /** The simulated payout rail (the lender's gateway): the dev endpoint fails a payout through it. */
  payouts: SimPayouts
  /** The simulated card-debit rail (the lender's gateway): it follows the simulated profile's card balance. */
  cardDebits: SimCardDebits
  /** Contract PDFs: locally a folder served at /files/ by signed, expiring addresses; on the stand-in, its cloud storage. */
  files: Files
  /** The simulated world behind the pay-score, bureau and profile simulators (dev page edits it). */
  world: SimWorld
  face: SimFaceVerifier
  /** The address the H5 build is served at, once listening: mini-program codes link to it. */
  setPublicUrl(url: string): void
  /** The subscribe messages sent, newest first (the dev outbox page). */
  sentMessages(limit: number): Promise<SentMessageView[]>
  /**
   * The payer pays (or fails) in the simulated payment sheet: WeChat Pay — the local simulator, or
   * the stand-in's — changes the order and calls the payCallback function, 1 + `duplicates`
   * times. Null if there is no such order for this person.
   */
  simulatePayment(
    openid: string,
    paymentId: string,
    opts: { outcome: 'success' | 'fail'; duplicates?: number; amountFen?: number; delayMs?: number; deliver?: boolean },
  ): Promise<{ answers: unknown[] } | null>
  /** Where the simulated WeChat Pay delivers payment callbacks (the gateway sets it to the payCallback main). */
  setPayCallback(invoke: (event: Record<string, unknown>) => Promise<unknown>): void
  /** What WeChat records when a person taps 允许 in wx.requestSubscribeMessage (the H5 sheet's stand-in). */
  grantSubscribe(openid: string, templateIds: string[]): void
  /**
   * How the runtime names the caller to `main`, if not by the context's OPENID (the local gateway's
   * way): `whoIs` reads it, `runAs` sets it around one invocation, as WeChat's runtime does.
   */
  caller?: { whoIs: WhoIs; runAs<T>(openid: string, call: () => T): T }
  close(): Promise<void>
}

export interface LocalPorts extends DevPorts {
  cloud: 'local'
  store: SqliteStore
  codes: LocalMerchantCodes
  payments: SimPayments
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
  /** How long a simulated payout takes to land, in real milliseconds (default $KAITONG_SIM_PAYOUT_MS, else 0). */
  payoutMs?: number
}

/** A simulated rail's delay in real milliseconds from the environment variable `name` (0–10000; else at once). */
export function envDelay(name: string): number {
  const env = Number(process.env[name])
  return process.env[name] !== undefined && Number.isFinite(env) && env >= 0 ? Math.min(env, 10_000) : 0
}

/** The simulated payout rail's delay: the option, else $KAITONG_SIM_PAYOUT_MS, else at once. */
export function payoutDelay(option?: number): number {
  return option ?? envDelay('KAITONG_SIM_PAYOUT_MS')
}

/** Where the local secrets live: the given folder, or the database's. */
export function localDataDir(opts: Pick<LocalOptions, 'dataDir' | 'dbFile'>): string {
  return opts.dataDir ?? (opts.dbFile === ':memory:' ? '.data' : path.dirname(path.resolve(opts.dbFile)))
}

export function localPorts(opts: LocalOptions): LocalPorts {
  const clock = new LocalClock(opts.now)
  const dataDir = localDataDir(opts)
  const key = opts.secretKey ?? loadOrCreateSecret(dataDir)
  const log = opts.log ?? consoleLogger()
  // Operational events (pre-check decisions, ignored scenes) need no power-loss guarantee.
  const store = new SqliteStore(opts.dbFile, [...INDEXES, ...SIM_INDEXES], {
    relaxed: [COLLECTIONS.events],
    checkpointInBackground: true,
    writeInBackground: true,
    // The store can no longer write: every write fails from here on, and the log says why.
    onWriterStopped: (error) => log.error('store_writer_stopped', { error: error.message }),
  })
  const dataKeys =
    opts.dataKeys ??
    (opts.dbFile === ':memory:'
      ? ephemeralKeyring()
      : loadOrCreateKeyring(dataDir, clock.now(), !store.hasSealedIdentities()))
  const ids = new LocalIds(clock)
  const codes = new LocalMerchantCodes()
  const secrets = new LocalSecrets(key, dataKeys)
  // Contract PDFs: beside the database (in memory with it).
  const files = new LocalFiles(
    opts.dbFile === ':memory:' ? null : path.join(dataDir, 'files'),
    secrets.derive('file-urls'),
    () => clock.now(),
  )
  const payments = new SimPayments(store, () => clock.now())
  const payouts = new SimPayouts(store, () => clock.now(), payoutDelay(opts.payoutMs))
  const outside = simulatedOutside(store, ids, opts.settings)
  return {
    store,
    ...outside,
    // A debit is decided $KAITONG_SIM_DEBIT_MS after it is asked for (at once unless set).
    cardDebits: new SimCardDebits(store, outside.world, () => clock.now(), envDelay('KAITONG_SIM_DEBIT_MS')),
    codes,
    notifier: new OutboxNotifier(store, ids, () => clock.now()),
    payments,
    payouts,
    clock,
    ids,
    secrets,
    files,
    log,
    cloud: 'local',
    setPublicUrl(url) {
      codes.baseUrl = url
      files.baseUrl = url
    },
    async sentMessages(limit) {
      const rows = store.db
        .prepare(`SELECT data FROM docs WHERE collection = ? ORDER BY json_extract(data, '$.at') DESC LIMIT ?`)
        .all(OUTBOX, limit) as Array<{ data: string }>
      return rows.map((r) => JSON.parse(r.data) as OutboxDoc)
    },
    async simulatePayment(openid, paymentId, opts) {
      const order = await payments.order(paymentId)
      if (!order || order.openid !== openid) return null
      const paid = await payments.pay(paymentId, opts)
      return { answers: paid?.answers ?? [] }
    },
    setPayCallback(invoke) {
      payments.invoke = invoke
    },
    // The outbox delivers every message: locally no grant is needed.
    grantSubscribe() {},
    async close() {
      store.close()
    },
  }
}

/**
 * What both local clouds simulate, on whichever Store: what lies outside WeChat Cloud (the lender
 * gateway's bureau, profiles and pay-score assessment; Tencent Cloud's identity and card checks;
 * WeChat's face HTTPS API), the demo reminder templates, and the settings.
 */
export function simulatedOutside(store: Store, ids: Ids, settings?: Partial<Settings>) {
  const world = new SimWorld(store)
  return {
    world,
    identity: new SimIdentityVerifier(),
    payScore: new SimPayScore(world),
    bureau: new SimBureau(world),
    profiles: new SimProfileSource(world),
    cards: new SimCardVerifier(),
    face: new SimFaceVerifier(store, () => ids.next('v')),
    reminderTemplates: { due: 'tpl_local_due', overdue: 'tpl_local_overdue' },
    settings: {
      ...DEFAULT_SETTINGS,
      ...(settings?.aprCapPercent === undefined ? settingsFromEnv() : {}),
      ...settings,
    } as Settings,
  }
}
