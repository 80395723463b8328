// FaceVerifier over WeChat's face verification v2 HTTPS API (not cloud-callable): getverifyid
// with the person's certificate info, queryverifyinfo with the cert_hash, each with an access token.
import crypto from 'node:crypto'
import type { FaceVerifier } from '../ports'
import { httpsJson, type HttpsSend } from './https'

const API = 'https://api.weixin.qq.com'

/** cert_hash: lower-hex SHA-256 of cert_type=<b64>&cert_name=<b64>&cert_no=<b64> (standard base64 of each value). */
export function certHash(certName: string, certNo: string, certType = 'IDENTITY_CARD'): string {
  const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64')
  return crypto
    .createHash('sha256')
    .update(`cert_type=${b64(certType)}&cert_name=${b64(certName)}&cert_no=${b64(certNo)}`)
    .digest('hex')
}

/** The mini-program's access token, fetched with appid + secret and reused until shortly before it expires. */
export class AccessTokens {
  private cached: { token: string; until: number } | null = null
  constructor(
    private readonly appid: string,
    private readonly secret: string,
    private readonly now: () => number,
    private readonly send: HttpsSend = httpsJson,
  ) {}

  async get(): Promise<string> {
    if (this.cached && this.now() < this.cached.until) return this.cached.token
    const res = await this.send({
      method: 'POST',
      url: `${API}/cgi-bin/stable_token`,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ grant_type: 'client_credential', appid: this.appid, secret: this.secret }),
    })
    const j = res.json as { access_token?: string; expires_in?: number; errcode?: number } | null
    if (!j?.access_token) throw new Error(`access token: errcode ${j?.errcode ?? res.status}`)
    this.cached = { token: j.access_token, until: this.now() + Math.max(60, (j.expires_in ?? 7200) - 300) * 1000 }
    return j.access_token
  }
}

export class WechatFaceVerifier implements FaceVerifier {
  constructor(
    private readonly tokens: AccessTokens,
    private readonly send: HttpsSend = httpsJson,
  ) {}

  private async post(path: string, body: unknown): Promise<Record<string, unknown>> {
    const token = await this.tokens.get()
    const res = await this.send({
      method: 'POST',
      url: `${API}${path}?access_token=${encodeURIComponent(token)}`,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    })
    if (res.status !== 200 || !res.json || typeof res.json !== 'object') throw new Error(`${path}: HTTP ${res.status}`)
    return res.json as Record<string, unknown>
  }

  async start(req: { outSeqNo: string; openid: string; certName: string; certNo: string }) {
    const j = await this.post('/cityservice/face/identify/getverifyid', {
      out_seq_no: req.outSeqNo,
      cert_info: { cert_type: 'IDENTITY_CARD', cert_name: req.certName, cert_no: req.certNo },
      openid: req.openid,
    })
    if (j.errcode !== 0 || typeof j.verify_id !== 'string') throw new Error(`getverifyid: errcode ${String(j.errcode)}`)
    return {
      verifyId: j.verify_id,
      expiresInSec: typeof j.expires_in === 'number' ? j.expires_in : 3600,
    }
  }

  /** cert_hash is computed here, from the certificate the caller decrypted for this query: it is never stored. */
  async query(req: { verifyId: string; outSeqNo: string; openid: string; certName: string; certNo: string }) {
    const j = await this.post('/cityservice/face/identify/queryverifyinfo', {
      verify_id: req.verifyId,
      out_seq_no: req.outSeqNo,
      cert_hash: certHash(req.certName, req.certNo),
      openid: req.openid,
    })
    return {
      errcode: typeof j.errcode === 'number' ? j.errcode : -1,
      verifyRet: typeof j.verify_ret === 'number' ? j.verify_ret : undefined,
    }
  }
}
