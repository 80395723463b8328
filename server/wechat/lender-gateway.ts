// The lender's own data gateway (licensed credit bureau, consented aggregate signals): a signed
// JSON POST to the URL the lender configures. No public WeChat API carries these. Answers are
// checked against the shapes the rules need before anything trusts them.
import crypto from 'node:crypto'
import * as v from 'valibot'
import type { CreditProfile } from '../../src/domain/credit-profile'
import type { CreditBureau, ProfileSignals, ProfileSource, Subject } from '../ports'
import { httpsJson, type HttpsSend } from './https'

export interface LenderGatewayConfig {
  baseUrl: string
  /** Shared secret for the X-Kaitong-Signature HMAC. */
  signingKey: string
}

const Count = v.pipe(v.number(), v.integer(), v.minValue(0))
const BureauReport = v.object({
  hardInquiryTimes: v.array(v.pipe(v.number(), v.integer())),
  overdueCount24m: Count,
  maxOverdueDays: Count,
  creditHistoryMonths: Count,
  debtFen: Count,
  annualIncomeFen: Count,
  fullRepaymentMonths: Count,
})
const Signals = v.object({
  activity: v.object({
    accountAgeMonths: Count,
    redPacketsPerMonth: Count,
    miniProgramDaysPerMonth: Count,
    charityMonths: Count,
  }),
  consumption: v.object({
    paymentsPerMonth: Count,
    medicalPaymentsPerMonth: Count,
    educationPaymentsPerMonth: Count,
    offlineSharePercent: v.pipe(Count, v.maxValue(100)),
    merchantCategories: Count,
  }),
  assets: v.object({
    wealthBalanceFen: Count,
    holdingMonths: Count,
    insurancePremiumFen: Count,
    walletFundEarningsFen: Count,
    housingFundMonths: Count,
  }),
  invited: v.boolean(),
  device: v.object({ newDevice: v.boolean(), distantLocation: v.boolean() }),
})

export class LenderGateway implements CreditBureau, ProfileSource {
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
    return this.call('bureau/soft-report', BureauReport, { subjectHash: subject.idHash, at: now })
  }

  signals(openid: string, now: number): Promise<ProfileSignals> {
    return this.call('profile/signals', Signals, { openid, at: now })
  }
}
