// PayScore through WeChat Pay API v3: the user's authorization state for our pay-score service
// (AVAILABLE / UNAVAILABLE / UNBINDUSER). The threshold lives in the service's merchant-side
// configuration; WeChat Pay never tells a merchant the score.
import crypto from 'node:crypto'
import type { PayScoreState } from '../../src/domain/precheck-types'
import type { PayScore } from '../ports'
import { httpsJson, type HttpsSend } from './https'

export interface WechatPayMerchant {
  mchid: string
  appid: string
  serviceId: string
  /** Serial number of the merchant API certificate. */
  certSerial: string
  /** PEM private key of the merchant API certificate. */
  privateKeyPem: string
}

const STATES = new Set<PayScoreState>(['AVAILABLE', 'UNAVAILABLE', 'UNBINDUSER'])

export class WechatPayScore implements PayScore {
  constructor(
    private readonly merchant: WechatPayMerchant,
    private readonly now: () => number,
    private readonly send: HttpsSend = httpsJson,
  ) {}

  async state(openid: string): Promise<PayScoreState> {
    const m = this.merchant
    const pathAndQuery = `/v3/payscore/permissions/openid/${encodeURIComponent(openid)}?appid=${encodeURIComponent(m.appid)}&service_id=${encodeURIComponent(m.serviceId)}`
    const res = await this.send({
      method: 'GET',
      url: `https://api.mch.weixin.qq.com${pathAndQuery}`,
      headers: { authorization: wechatPayAuthorization(m, 'GET', pathAndQuery, '', Math.floor(this.now() / 1000)) },
    })
    const state = (res.json as { authorization_state?: string } | null)?.authorization_state
    if (res.status === 200 && state && STATES.has(state as PayScoreState)) return state as PayScoreState
    throw new Error(`pay score: unexpected answer ${res.status}`)
  }

  /**
   * 商户预授权 (POST /v3/payscore/permissions): `outRequestNo` is our authorization_code (1–32
   * characters, unique). WeChat Pay's request names no user: whoever opens its page with the
   * token authorizes, and `state(openid)` then asks about that user.
   */
  async permissionToken(_openid: string, outRequestNo: string): Promise<string> {
    const m = this.merchant
    const path = '/v3/payscore/permissions'
    const body = JSON.stringify({ service_id: m.serviceId, appid: m.appid, authorization_code: outRequestNo })
    const res = await this.send({
      method: 'POST',
      url: `https://api.mch.weixin.qq.com${path}`,
      headers: {
        authorization: wechatPayAuthorization(m, 'POST', path, body, Math.floor(this.now() / 1000)),
        'content-type': 'application/json',
      },
      body,
    })
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
