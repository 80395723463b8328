// Schemas for credit-profile data that crosses a boundary: the lender gateway's answers and the
// operator CLI's profile files. Counts and amounts are non-negative integers (amounts in fen).
import * as v from 'valibot'
import { PAY_SCORE_STANDINGS } from '../domain/pay-score'

const Count = v.pipe(v.number(), v.integer(), v.minValue(0))
/** An instant as epoch ms, or ISO text (profile files are written by people). */
const Instant = v.union([
  v.pipe(v.number(), v.integer()),
  v.pipe(
    v.string(),
    v.check((s) => !Number.isNaN(Date.parse(s)), 'an ISO date or time'),
    v.transform((s) => Date.parse(s)),
  ),
])

export const BureauReportSchema = v.object({
  hardInquiryTimes: v.array(Instant),
  overdueCount24m: Count,
  maxOverdueDays: Count,
  creditHistoryMonths: Count,
  debtFen: Count,
  annualIncomeFen: Count,
  fullRepaymentMonths: Count,
})

export const ProfileSignalsSchema = v.object({
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

export const CreditProfileSchema = v.object({
  ...ProfileSignalsSchema.entries,
  identity: v.object({ verified: v.boolean(), age: v.pipe(Count, v.maxValue(150)) }),
  card: v.picklist(['none', 'verified', 'failed']),
  payScore: v.picklist(PAY_SCORE_STANDINGS),
  face: v.picklist(['none', 'passed', 'failed']),
  bureau: BureauReportSchema,
  currentLimitFen: v.optional(Count),
})
