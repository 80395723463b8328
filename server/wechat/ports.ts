// Wires the WeChat adapters into the ports, from the function's environment variables.
import crypto from 'node:crypto'
import * as cloud from 'wx-server-sdk'
import { INDEXES } from '../schema'
import { keyringFromEnv, NodeSecrets } from '../keyring'
import { settingsFromEnv } from '../settings'
import { retiredKeysFromEnv, signerFromEnv } from '../signing'
import { PAY_CALLBACK_FUNCTION, type IndexSpec, type Logger, type Ports, type Secrets } from '../ports'
import { AccessTokens, WechatFaceVerifier } from './face'
import { TencentCardVerifier, TencentIdentityVerifier } from './identity'
import { GatewayCardDebits, GatewayPayouts, LenderGateway } from './lender-gateway'
import { WechatMerchantCodes } from './merchant-codes'
import { WechatNotifier } from './notifier'
import { WechatPayments, type CloudPayApi } from './payments'
import { WechatPayScore, platformKeys } from './pay-score'
import { WxStore, type WxDatabase } from './store'
import { WechatFiles, type CloudStorageApi } from './files'

/** Required configuration, read when the first request needs it (so a malformed event never does). */
function env(name: string): string {
  const value = process.env[name]
  if (!value) throw new Error(`missing environment variable ${name} (set it in the cloud function's configuration)`)
  return value
}

const jsonLog: Logger = {
  info: (event, fields) => console.log(JSON.stringify({ level: 'info', event, ...fields })),
  warn: (event, fields) => console.warn(JSON.stringify({ level: 'warn', event, ...fields })),
  error: (event, fields) => console.error(JSON.stringify({ level: 'error', event, ...fields })),
}

let cached: Ports | undefined

export function wechatPorts(): Ports {
  if (cached) return cached
  // All configuration first: a function deployed without it fails here, before the SDK does any I/O.
  const config = {
    hashKey: Buffer.from(env('KAITONG_HASH_KEY'), 'hex'),
    gateway: { baseUrl: env('KAITONG_LENDER_GATEWAY_URL'), signingKey: env('KAITONG_LENDER_GATEWAY_KEY') },
    tencentCloud: {
      secretId: env('TENCENTCLOUD_SECRETID'),
      secretKey: env('TENCENTCLOUD_SECRETKEY'),
      region: process.env.TENCENTCLOUD_REGION,
    },
    miniProgram: { appid: env('WX_APPID'), secret: env('WX_APPSECRET') },
    reminderTemplates: { due: env('WX_TEMPLATE_DUE'), overdue: env('WX_TEMPLATE_OVERDUE') },
    // Cloud pay: the sub-merchant bound to the environment, and the environment the callback runs in.
    cloudPay: { subMchId: env('WXPAY_SUB_MCH_ID'), envId: env('WX_CLOUD_ENV') },
    settings: settingsFromEnv(),
    wechatPay: {
      mchid: env('WXPAY_MCHID'),
      appid: env('WXPAY_APPID'),
      serviceId: env('WXPAY_PAYSCORE_SERVICE_ID'),
      certSerial: env('WXPAY_CERT_SERIAL'),
      privateKeyPem: env('WXPAY_PRIVATE_KEY').replace(/\\n/g, '\n'),
      // `{"PUB_KEY_ID_…":"-----BEGIN PUBLIC KEY-----\n…"}`: every key WeChat Pay may sign answers with.
      platform: platformKeys(JSON.parse(env('WXPAY_PLATFORM_KEYS')) as Record<string, string>),
    },
  }
  cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV as unknown as string })
  const inCloud = wechatCloudAdapters(cloud, INDEXES, config.cloudPay)
  const now = () => Date.now()
  // Read when an identity is first sealed or opened: the functions that never do (merchants) need no data keys.
  const secrets: Secrets = new NodeSecrets(
    config.hashKey,
    () => keyringFromEnv(env('KAITONG_DATA_KEYS')),
    // Read when something is first signed (a receipt, a contract): functions that never sign need no key.
    () => signerFromEnv(env('KAITONG_SIGNING_KEY')),
    () => retiredKeysFromEnv(process.env.KAITONG_SIGNING_KEYS_RETIRED),
  )
  const gateway = new LenderGateway(config.gateway, now)
  cached = {
    store: inCloud.store,
    identity: new TencentIdentityVerifier(config.tencentCloud, now),
    cards: new TencentCardVerifier(config.tencentCloud, now),
    face: new WechatFaceVerifier(new AccessTokens(config.miniProgram.appid, config.miniProgram.secret, now)),
    payScore: new WechatPayScore(config.wechatPay, gateway, now),
    reminderTemplates: config.reminderTemplates,
    settings: config.settings,
    notifier: inCloud.notifier,
    codes: inCloud.codes,
    files: inCloud.files,
    payments: inCloud.payments,
    bureau: gateway,
    profiles: gateway,
    payouts: new GatewayPayouts(gateway),
    cardDebits: new GatewayCardDebits(gateway),
    clock: { now },
    ids: { next: (prefix) => `${prefix}_${now().toString(36)}${crypto.randomBytes(6).toString('hex')}` },
    secrets,
    log: jsonLog,
  }
  return cached
}

/**
 * The adapters that work through the SDK itself — the database, subscribe messages, mini-program
 * codes — on an initialized `cloud` (WeChat Cloud's, or one pointed at the stand-in).
 */
export function wechatCloudAdapters(
  sdk: typeof cloud,
  indexes: IndexSpec[] = INDEXES,
  cloudPay: { subMchId: string; envId: string } = { subMchId: '1900000109', envId: 'kaitong-standin' },
) {
  const openapi = () => (sdk as unknown as { openapi: { subscribeMessage: never; wxacode: never } }).openapi
  return {
    // Repayments through cloud pay; WeChat Pay calls the payCallback function when an order is paid.
    payments: new WechatPayments(() => (sdk as unknown as { cloudPay: CloudPayApi }).cloudPay, {
      ...cloudPay,
      callbackFunction: PAY_CALLBACK_FUNCTION,
    }),
    // A missing document reads as `data: null` rather than as a thrown error to be recognised by its text.
    store: new WxStore(sdk.database({ throwOnNotFound: false } as never) as unknown as WxDatabase, indexes),
    notifier: new WechatNotifier(() => openapi().subscribeMessage),
    codes: new WechatMerchantCodes(() => openapi().wxacode),
    // Contract PDFs in cloud storage, downloaded by temporary URL.
    files: new WechatFiles(() => sdk as unknown as CloudStorageApi, Date.now),
  }
}

/** In WeChat Cloud the caller is whoever getWXContext names; the event body is never asked. */
export const whoIsWechat = (): string | null => {
  const { OPENID } = cloud.getWXContext()
  return typeof OPENID === 'string' && OPENID !== '' ? OPENID : null
}
