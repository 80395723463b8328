// `KAITONG_CLOUD=wechat-standin`: the local cloud on the code path a WeChat deployment runs. The
// database, subscribe messages and mini-program codes are the WeChat adapters (server/wechat)
// driven through the real wx-server-sdk, pointed at the stand-in of WeChat Cloud's protocol
// (server/wechat-standin). Only what lies outside WeChat Cloud is simulated, as in local mode:
// the lender gateway (bureau, profiles, the pay-score assessment), Tencent Cloud's identity and
// card checks, and WeChat's face HTTPS API.
import * as sdk from 'wx-server-sdk'
import type { Logger, Settings } from '../ports'
import { COLLECTIONS, INDEXES } from '../schema'
import { wechatCloudAdapters, whoIsWechat } from '../wechat/ports'
import { startStandin, type Standin } from '../wechat-standin/server'
import {
  LocalClock,
  LocalIds,
  LocalSecrets,
  consoleLogger,
  loadOrCreateKeyring,
  loadOrCreateSecret,
} from './adapters/basics'
import { SIM_FACE, SIM_PROFILES } from './adapters/simulators'
import { envDelay, payoutDelay, simulatedOutside, type DevPorts } from './ports'
import { SIM_PAYOUTS, SimPayouts } from './adapters/sim-payouts'
import { SIM_CARD_DEBITS, SimCardDebits } from './adapters/sim-card-debits'
import { SIM_INDEXES, SIM_STATEMENTS } from './adapters/sim-statements'

export interface StandinPorts extends DevPorts {
  cloud: 'wechat-standin'
  standin: Standin
}

export interface StandinPortsOptions {
  /** Where the keys, the stand-in's database file and its stored files live (its own: never the SQLite file's). */
  dataDir: string
  now?: () => number
  log?: Logger
  settings?: Partial<Settings>
  payoutMs?: number
}

/** The collections a deployment creates in the WeChat Cloud console (README), and the simulators' own. */
const STANDIN_COLLECTIONS = [
  ...Object.values(COLLECTIONS),
  SIM_PROFILES,
  SIM_FACE,
  SIM_PAYOUTS,
  SIM_CARD_DEBITS,
  SIM_STATEMENTS,
]

let started = false

/**
 * The real SDK, sending everything to the stand-in: its serviceUrl, dummy credentials (the
 * stand-in checks none), and the SDK's own switches — no slow-call warnings, no metadata look-ups
 * (there is no Tencent Cloud here). Takes effect once per process (the SDK keeps its first init).
 */
export function pointSdkAt(cloud: typeof sdk, standin: Pick<Standin, 'serviceUrl'>, env = 'kaitong-standin'): void {
  process.env.SILENCE = 'true'
  process.env.TENCENTCLOUD = 'true'
  // getWXContext() reads OPENID from WX_OPENID only when WX_CONTEXT_KEYS names it (WeChat's runtime sets both).
  process.env.WX_CONTEXT_KEYS = 'WX_OPENID'
  cloud.init({ env, secretId: 'standin', secretKey: 'standin', serviceUrl: standin.serviceUrl } as never)
}

export async function standinPorts(opts: StandinPortsOptions): Promise<StandinPorts> {
  // The SDK keeps the first cloud.init of a process: a second stand-in would be silently ignored.
  if (started) throw new Error('wx-server-sdk takes one cloud.init per process: start one stand-in cloud per process')
  const clock = new LocalClock(opts.now)
  const standin = await startStandin({ dataDir: opts.dataDir, now: () => clock.now() })
  started = true
  standin.deploy(STANDIN_COLLECTIONS)
  pointSdkAt(sdk, standin)
  const wechat = wechatCloudAdapters(sdk, [...INDEXES, ...SIM_INDEXES])
  // Keys are created only for an environment that holds no identity sealed with the ones lost.
  const sealed = standin.db
    .documents(COLLECTIONS.users)
    .some((u) => (u as { d?: { identity?: { legal?: unknown } } }).d?.identity?.legal !== undefined)
  const dataKeys = loadOrCreateKeyring(opts.dataDir, clock.now(), !sealed)
  const ids = new LocalIds(clock)
  const outside = simulatedOutside(wechat.store, ids, opts.settings)
  let publicUrl = 'http://127.0.0.1:3000/'
  standin.openapi.codeLink = (scene, page) => `${publicUrl}?scene=${encodeURIComponent(scene)}#/${page}`
  return {
    cloud: 'wechat-standin',
    standin,
    store: wechat.store,
    notifier: wechat.notifier,
    codes: wechat.codes,
    files: wechat.files,
    payments: wechat.payments,
    // The lender's gateway is simulated here too.
    payouts: new SimPayouts(wechat.store, () => clock.now(), payoutDelay(opts.payoutMs)),
    cardDebits: new SimCardDebits(wechat.store, outside.world, () => clock.now(), envDelay('KAITONG_SIM_DEBIT_MS')),
    async simulatePayment(openid, paymentId, opts) {
      const order = standin.pay.orders.get(paymentId)
      if (!order || order.openid !== openid) return null
      if (opts.amountFen !== undefined && order.state === 'NOTPAY') order.totalFee = opts.amountFen
      if (opts.delayMs) await new Promise((r) => setTimeout(r, opts.delayMs))
      const paid = await standin.pay.pay(paymentId, {
        result: opts.outcome === 'success' ? 'SUCCESS' : 'FAIL',
        times: opts.deliver === false ? 0 : 1 + (opts.duplicates ?? 0),
      })
      return { answers: paid?.answers ?? [] }
    },
    setPayCallback(invoke) {
      standin.pay.invoke = (_fn, event) => invoke(event)
    },
    ...outside,
    clock,
    ids,
    secrets: new LocalSecrets(loadOrCreateSecret(opts.dataDir), dataKeys),
    log: opts.log ?? consoleLogger(),
    setPublicUrl(url) {
      publicUrl = url
    },
    async sentMessages(limit) {
      return standin.openapi.sent
        .slice(-limit)
        .reverse()
        .map((m) => ({ at: m.at, openid: m.touser, templateId: m.templateId, data: m.data }))
    },
    grantSubscribe(openid, templateIds) {
      standin.openapi.grant(openid, templateIds)
    },
    // WeChat's runtime names the caller in the environment, where cloud.getWXContext() reads it: set
    // for one invocation (main reads it before its first await, so calls never see each other's).
    caller: {
      whoIs: whoIsWechat,
      runAs(openid, call) {
        process.env.WX_OPENID = openid
        try {
          return call()
        } finally {
          delete process.env.WX_OPENID
        }
      },
    },
    close: () => standin.close(),
  }
}
