// The lender's own data gateway (licensed credit bureau, consented aggregate signals): a signed
// JSON POST to the URL the lender configures. No public WeChat API carries these. Answers are
// checked against the shapes the rules need before anything trusts them.
import crypto from 'node:crypto'
import * as v from 'valibot'
import { BureauReportSchema, ProfileSignalsSchema } from '../../src/api/profile-schema'
import type { CreditProfile } from '../../src/domain/credit-profile'
import type { CreditBureau, ProfileSignals, ProfileSource, Subject } from '../ports'
import { httpsJson, type HttpsSend } from './https'
import type { PayScoreAssessor } from './pay-score'

export interface LenderGatewayConfig {
  baseUrl: string
  /** Shared secret for the X-Kaitong-Signature HMAC. */
  signingKey: string
}

/** The bureau finds the person by legal name and ID number; the keyed hash lets the lender correlate calls. */
function subjectFields(subject: Subject): Record<string, string> {
  return {
    subjectHash: subject.idHash,
    ...(subject.name !== undefined ? { name: subject.name } : {}),
    ...(subject.idNumber !== undefined ? { idNumber: subject.idNumber } : {}),
  }
}

export class LenderGateway implements CreditBureau, ProfileSource, PayScoreAssessor {
  constructor(
    private readonly config: LenderGatewayConfig,
    private readonly send: HttpsSend = httpsJson,
  ) {}

  private async call<S extends v.GenericSchema>(
    path: string,
    schema: S,
    payload: Record<string, unknown>,
  ): Promise<v.InferOutput<S>> {
    const body = JSON.stringify(payload)
    const signature = crypto.createHmac('sha256', this.config.signingKey).update(body).digest('hex')
    const res = await this.send({
      method: 'POST',
      url: new URL(path, this.config.baseUrl).toString(),
      headers: { 'content-type': 'application/json', 'x-kaitong-signature': signature },
      body,
    })
    if (res.status !== 200) throw new Error(`lender gateway ${path}: HTTP ${res.status}`)
    const parsed = v.safeParse(schema, res.json)
    if (!parsed.success)
      throw new Error(`lender gateway ${path}: bad answer at ${parsed.issues[0].path?.map((p) => p.key).join('.')}`)
    return parsed.output
  }

  softReport(subject: Subject, now: number): Promise<CreditProfile['bureau']> {
    return this.call('bureau/soft-report', BureauReportSchema, { ...subjectFields(subject), at: now })
  }

  async hardInquiry(subject: Subject, query: { consentId: string; purpose: string }, now: number): Promise<void> {
    await this.call('bureau/hard-inquiry', v.object({ recorded: v.literal(true) }), {
      ...subjectFields(subject),
      ...query,
      at: now,
    })
  }

  /**
   * The lender's assessment of an authorized person's pay score against `threshold` (for instance
   * from WeChat Pay's own 综合评估 on a pay-score service order): a yes or no, never a score.
   */
  async assessPayScore(subject: Subject, threshold: number): Promise<boolean> {
    const answer = await this.call('payscore/assessment', v.object({ meetsThreshold: v.boolean() }), {
      ...subjectFields(subject),
      openid: subject.openid,
      threshold,
    })
    return answer.meetsThreshold
  }

  signals(openid: string, now: number): Promise<ProfileSignals> {
    return this.call('profile/signals', ProfileSignalsSchema, { openid, at: now })
  }
}
