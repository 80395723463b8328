// The lender's own data gateway (licensed credit bureau, consented payment aggregates): a signed
// JSON POST to the URL the lender configures. No public WeChat API carries these.
import crypto from 'node:crypto'
import type { ActivitySource, CreditBureau, Subject } from '../ports'
import { httpsJson, type HttpsSend } from './https'

export interface LenderGatewayConfig {
  baseUrl: string
  /** Shared secret for the X-Kaitong-Signature HMAC. */
  signingKey: string
}

export class LenderGateway implements CreditBureau, ActivitySource {
  constructor(
    private readonly config: LenderGatewayConfig,
    private readonly send: HttpsSend = httpsJson,
  ) {}

  private async call<T>(path: string, payload: Record<string, unknown>): Promise<T> {
    const body = JSON.stringify(payload)
    const signature = crypto.createHmac('sha256', this.config.signingKey).update(body).digest('hex')
    const res = await this.send({
      method: 'POST',
      url: new URL(path, this.config.baseUrl).toString(),
      headers: { 'content-type': 'application/json', 'x-kaitong-signature': signature },
      body,
    })
    if (res.status !== 200) throw new Error(`lender gateway ${path}: HTTP ${res.status}`)
    return res.json as T
  }

  async softReport(subject: Subject, now: number): Promise<{ hardInquiryTimes: number[] }> {
    const r = await this.call<{ hardInquiryTimes?: unknown }>('bureau/soft-report', {
      subjectHash: subject.idHash,
      at: now,
    })
    if (!Array.isArray(r.hardInquiryTimes) || !r.hardInquiryTimes.every((t) => Number.isSafeInteger(t))) {
      throw new Error('lender gateway bureau/soft-report: bad answer')
    }
    return { hardInquiryTimes: r.hardInquiryTimes as number[] }
  }

  async paymentsLast30Days(openid: string, now: number): Promise<number> {
    const r = await this.call<{ payments?: unknown }>('activity/payments', { openid, at: now, days: 30 })
    if (!Number.isSafeInteger(r.payments) || (r.payments as number) < 0)
      throw new Error('lender gateway activity/payments: bad answer')
    return r.payments as number
  }
}
