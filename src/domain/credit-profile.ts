// What the credit rules see about one person: consented, aggregate signals only (docs/product-rules.md §2).
// No chat content, chat frequency or followed accounts — they fail PIPL's minimum-necessary rule.
import type { Fen } from './money'
import type { PayScoreStanding } from './pay-score'

export interface CreditProfile {
  identity: { verified: boolean; age: number }
  /** 'none' = not bound yet (a step to do); 'failed' = the provider refused the card. */
  card: 'none' | 'verified' | 'failed'
  /** WeChat Pay's authorization with the lender's assessment against the threshold (never a score). */
  payScore: PayScoreStanding
  /** 'none' = not done yet; only products that need it ask for it. */
  face: 'none' | 'passed' | 'failed'
  /** On the lender's 微粒贷 whitelist. */
  invited: boolean
  bureau: {
    /** Epoch ms of each hard inquiry. */
    hardInquiryTimes: number[]
    overdueCount24m: number
    maxOverdueDays: number
    creditHistoryMonths: number
    /** Credit granted by other lenders. */
    debtFen: Fen
    annualIncomeFen: Fen
    /** Consecutive months of full repayment. */
    fullRepaymentMonths: number
  }
  activity: {
    accountAgeMonths: number
    redPacketsPerMonth: number
    miniProgramDaysPerMonth: number
    charityMonths: number
  }
  consumption: {
    paymentsPerMonth: number
    /** Of those, medical and education payments (they weigh 1.3 and 1.2). */
    medicalPaymentsPerMonth: number
    educationPaymentsPerMonth: number
    offlineSharePercent: number
    merchantCategories: number
  }
  assets: {
    wealthBalanceFen: Fen
    holdingMonths: number
    insurancePremiumFen: Fen
    /** 零钱通 cumulative earnings. */
    walletFundEarningsFen: Fen
    /** Consecutive months of housing-fund (公积金) contributions. */
    housingFundMonths: number
  }
  /** Sign-in from a new device or a distant location (face again before any drawdown). */
  device: { newDevice: boolean; distantLocation: boolean }
  /** An existing line's limit, when there is one (a blocked increase keeps it). */
  currentLimitFen?: Fen
}

/** The bureau's report on a person it knows nothing about: no history, no inquiries, no debt. */
export function emptyBureauReport(): CreditProfile['bureau'] {
  return {
    hardInquiryTimes: [],
    overdueCount24m: 0,
    maxOverdueDays: 0,
    creditHistoryMonths: 0,
    debtFen: 0,
    annualIncomeFen: 0,
    fullRepaymentMonths: 0,
  }
}

/** A person with none of the habits or assets the rules count (zero everywhere), verified and with a card. */
export function startingProfile(): CreditProfile {
  return {
    identity: { verified: true, age: 30 },
    card: 'verified',
    payScore: 'MEETS_THRESHOLD',
    face: 'none',
    invited: false,
    bureau: emptyBureauReport(),
    activity: { accountAgeMonths: 0, redPacketsPerMonth: 0, miniProgramDaysPerMonth: 0, charityMonths: 0 },
    consumption: {
      paymentsPerMonth: 0,
      medicalPaymentsPerMonth: 0,
      educationPaymentsPerMonth: 0,
      offlineSharePercent: 0,
      merchantCategories: 0,
    },
    assets: {
      wealthBalanceFen: 0,
      holdingMonths: 0,
      insurancePremiumFen: 0,
      walletFundEarningsFen: 0,
      housingFundMonths: 0,
    },
    device: { newDevice: false, distantLocation: false },
  }
}
