// PayScore through WeChat Pay API v3, and the lender's assessment behind the same port.
//
// What WeChat Pay tells a merchant, and what it does not: only whether the person has authorized
// the merchant's pay-score service (authorization_state). AVAILABLE means "authorized" — never
// "score ≥ 600": WeChat Pay gives a merchant no score and no reason for a failure, and applies its
// own threshold only when a pay-score order is created ("综合评估未通过"). A person who never
// authorized is answered 404 ORDER_NOT_EXIST: the normal answer (WeChat Pay's FAQ), mapped to NONE,
// never an error. Whether the person meets the product's threshold is asked of the lender's gateway
// (`assess`), which is where that answer can honestly come from.
//
// Every answer acted on is checked against WeChat Pay's response signature (WECHATPAY2-SHA256-
// RSA2048 with the platform public key it names): it must be signed, verify and be fresh. WeChat
// Pay signs every answer to a request whose own signature verified, 404 ORDER_NOT_EXIST included;
// an unsigned answer (its 401 for a bad request signature, a gateway error) is only ever a failure.
import crypto from 'node:crypto'
import type { PayScoreAuthorization } from '../../src/domain/pay-score'
import type { PayScore, Subject } from '../ports'
import { httpsJson, type HttpsJsonResponse, type HttpsSend } from './https'

export interface WechatPayMerchant {
  mchid: string
  appid: string
  serviceId: string
  /** Serial number of the merchant API certificate. */
  certSerial: string
  /** PEM private key of the merchant API certificate. */
  privateKeyPem: string
  /**
   * WeChat Pay's public keys by id (微信支付公钥 ids, or platform-certificate serials): more than one
   * while WeChat Pay rotates or migrates them. Parsed once, when the ports are built.
   */
  platform: Record<string, crypto.KeyObject>
}

/** `WXPAY_PLATFORM_KEYS`-style configuration: key id → PEM, parsed now (a bad PEM fails at start-up, not per request). */
export function platformKeys(pems: Record<string, string>): Record<string, crypto.KeyObject> {
  const keys = Object.entries(pems).map(([id, pem]) => [id, crypto.createPublicKey(pem)] as const)
  if (keys.length === 0) throw new Error('no WeChat Pay platform key configured')
  return Object.fromEntries(keys)
}

/** Where the threshold answer comes from: the lender's own assessment of an authorized person. */
export interface PayScoreAssessor {
  assessPayScore(subject: Subject, threshold: number): Promise<boolean>
}

const STATES = new Set<string>(['AVAILABLE', 'UNAVAILABLE', 'UNBINDUSER'])
/** WeChat Pay's own tolerance for a signed answer's timestamp. */
export const SIGNATURE_MAX_SKEW_S = 300

export class WechatPayScore implements PayScore {
  constructor(
    private readonly merchant: WechatPayMerchant,
    private readonly assessor: PayScoreAssessor,
    private readonly now: () => number,
    private readonly send: HttpsSend = httpsJson,
  ) {}

  private async call(method: 'GET' | 'POST', pathAndQuery: string, body = ''): Promise<HttpsJsonResponse> {
    const m = this.merchant
    const res = await this.send({
      method,
      url: `https://api.mch.weixin.qq.com${pathAndQuery}`,
      headers: {
        authorization: wechatPayAuthorization(m, method, pathAndQuery, body, Math.floor(this.now() / 1000)),
        ...(body ? { 'content-type': 'application/json' } : {}),
      },
      ...(body ? { body } : {}),
    })
    verifyWechatPayAnswer(m.platform, res, Math.floor(this.now() / 1000))
    return res
  }

  async authorization(openid: string): Promise<PayScoreAuthorization> {
    const m = this.merchant
    const res = await this.call(
      'GET',
      `/v3/payscore/permissions/openid/${encodeURIComponent(openid)}?appid=${encodeURIComponent(m.appid)}&service_id=${encodeURIComponent(m.serviceId)}`,
    )
    const j = res.json as { authorization_state?: string; code?: string } | null
    if (res.status === 200 && j?.authorization_state && STATES.has(j.authorization_state))
      return j.authorization_state as PayScoreAuthorization
    // "请求操作的授权记录不存在": the person never authorized. The normal answer, not a failure.
    if (res.status === 404 && j?.code === 'ORDER_NOT_EXIST') return 'NONE'
    throw new Error(`pay score: unexpected answer ${res.status}${typeof j?.code === 'string' ? ` ${j.code}` : ''}`)
  }

  assess(subject: Subject, threshold: number): Promise<boolean> {
    return this.assessor.assessPayScore(subject, threshold)
  }

  /**
   * 商户预授权 (POST /v3/payscore/permissions): `outRequestNo` is our authorization_code (1–32
   * characters, unique). WeChat Pay's request names no user: whoever opens its page with the
   * token authorizes, and `authorization(openid)` then asks about that user.
   */
  async permissionToken(_openid: string, outRequestNo: string): Promise<string> {
    const m = this.merchant
    const body = JSON.stringify({ service_id: m.serviceId, appid: m.appid, authorization_code: outRequestNo })
    const res = await this.call('POST', '/v3/payscore/permissions', body)
    const token = (res.json as { apply_permissions_token?: unknown } | null)?.apply_permissions_token
    if (res.status === 200 && typeof token === 'string' && token !== '') return token
    const code = (res.json as { code?: unknown } | null)?.code
    throw new Error(
      `pay score permissions: unexpected answer ${res.status}${typeof code === 'string' ? ` ${code}` : ''}`,
    )
  }
}

/** WECHATPAY2-SHA256-RSA2048: RSA-SHA256 over method, path, timestamp, nonce and body, one per line. */
export function wechatPayAuthorization(
  m: Pick<WechatPayMerchant, 'mchid' | 'certSerial' | 'privateKeyPem'>,
  method: string,
  pathAndQuery: string,
  body: string,
  timestamp: number,
  nonce: string = crypto.randomBytes(16).toString('hex'),
): string {
  const message = `${method}\n${pathAndQuery}\n${timestamp}\n${nonce}\n${body}\n`
  const signature = crypto.createSign('RSA-SHA256').update(message).sign(m.privateKeyPem, 'base64')
  return `WECHATPAY2-SHA256-RSA2048 mchid="${m.mchid}",nonce_str="${nonce}",signature="${signature}",timestamp="${timestamp}",serial_no="${m.certSerial}"`
}

/**
 * Checks WeChat Pay's response signature: `Wechatpay-Signature` is RSA-SHA256 (base64) over
 * `<Wechatpay-Timestamp>\n<Wechatpay-Nonce>\n<body>\n` with the key `Wechatpay-Serial` names.
 * Header names are matched whatever their case. Throws when an answer is unsigned, names a key we
 * do not hold, is more than 5 minutes off, or does not verify.
 */
export function verifyWechatPayAnswer(
  platform: WechatPayMerchant['platform'],
  res: Pick<HttpsJsonResponse, 'status' | 'headers' | 'text'>,
  nowS: number,
): void {
  const h = Object.fromEntries(Object.entries(res.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]))
  const signature = h['wechatpay-signature']
  if (!signature) throw new Error(`WeChat Pay answer ${res.status} without a signature: not acted on`)
  const timestamp = h['wechatpay-timestamp'] ?? ''
  const nonce = h['wechatpay-nonce'] ?? ''
  const key = Object.prototype.hasOwnProperty.call(platform, h['wechatpay-serial'] ?? '')
    ? platform[h['wechatpay-serial']]
    : undefined
  if (!key)
    throw new Error(`WeChat Pay answer signed with an unknown key ${JSON.stringify(h['wechatpay-serial'] ?? '')}`)
  if (!/^\d{1,12}$/.test(timestamp) || Math.abs(nowS - Number(timestamp)) > SIGNATURE_MAX_SKEW_S)
    throw new Error('WeChat Pay answer timestamp is not within 5 minutes of now')
  const message = `${timestamp}\n${nonce}\n${res.text ?? ''}\n`
  if (!crypto.createVerify('RSA-SHA256').update(message).verify(key, signature, 'base64'))
    throw new Error('WeChat Pay answer signature does not verify')
}
