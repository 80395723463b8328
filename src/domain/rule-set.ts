// The credit rule set (docs/product-rules.md §2–§4): versioned data, like the catalog
// — the dimension weights and factors, the adjustments, the gates and the per-product rules. The
// engine that evaluates it is rules.ts; a lender publishes its own version.
import type { ProductId } from './catalog'
import { LENDING_AGE } from './figures'
import type { Fen, Ppm } from './money'
import { REFUSED_PURPOSES } from './purposes'

export type Dimension = 'credit' | 'activity' | 'consumption' | 'assets'
export const DIMENSIONS: Dimension[] = ['credit', 'activity', 'consumption', 'assets']

/**
 * One scoring factor. `ramp`: points × min(x / full, 1) — more is better. `decline`:
 * points × max(0, 1 − x / zeroAt) — less is better. Both are monotone, so improving any
 * single input never lowers a score.
 */
export type Factor =
  | { id: string; input: string; kind: 'ramp'; points: number; full: number }
  | { id: string; input: string; kind: 'decline'; points: number; zeroAt: number }

export interface ProductRules {
  minScore: number
  needsPayScore: boolean
  needsFace: boolean
  needsInvitation: boolean
  /** How the daily rate is set within the catalog's range. */
  rate: 'weilidai-stars' | 'fixed' | 'score-scaled'
}

export interface RuleSet {
  version: string
  /** Percent; they sum to 100. */
  weights: Record<Dimension, number>
  factors: Record<Dimension, Factor[]>
  adjustments: {
    /** Long charity participation: the composite × (1 + relativePercent / 100). */
    charity: { minMonths: number; relativePercent: number }
    /** Medical and education payments count this much (‰) in the consumption dimension. */
    medicalWeightPermille: number
    educationWeightPermille: number
    /** Insurance premium raises the limit: `bonusFen` per `perFen` of premium. */
    insuranceLimitBonus: { perFen: Fen; bonusFen: Fen }
    /** 零钱通 earnings over this raise the 微粒贷 invitation probability (simulator only). */
    walletFundInvitationBoost: { overFen: Fen; relativePercent: number }
    /** 公积金 for this many consecutive months earns a 小鹅花钱 rate discount. */
    housingFundDiscount: { minMonths: number; ppm: Ppm }
  }
  gates: {
    /** The pay-score threshold the lender's assessment applies (WeChat Pay never tells a merchant the score). */
    payScoreThreshold: number
    minAge: number
    maxAge: number
    maxHardInquiries: number
    hardInquiryWindowMonths: number
    minPaymentsPerMonth: number
    /** Credit elsewhere above this multiple of annual income (‰) blocks limit increases. */
    maxDebtToIncomePermille: number
  }
  risk: {
    manualReviewOverFen: Fen
    /** An opening on a credit file with fewer months of history than this goes to a person. */
    lineReviewThinFileMonths: number
    /** The post-loan check refuses a drawdown while the person is overdue elsewhere longer than this (days). */
    postLoanMaxOverdueDays: number
    refusedPurposes: string[]
    refusedAccountTypes: string[]
  }
  /** The limit-growth tips (提额) and the habits they ask for: a tip shows while the profile is below. */
  growth: {
    /** Wealth products: hold at least this balance for this many months. */
    wealth: { balanceFen: Fen; months: number }
    /** Pay at this many different kinds of merchant a month. */
    merchantCategories: number
    /** Repay in full and on time this many months in a row. */
    fullRepaymentMonths: number
    /** The everyday habit that reaches the monthly payments gate: about this many payments a day. */
    paymentsPerDay: number
  }
  /** 微粒贷 stars: the composite score at which each of stars 2…7 begins. */
  weilidaiStarThresholds: number[]
  products: Record<ProductId, ProductRules>
}

const CNY = 100

export const DEFAULT_RULE_SET: RuleSet = {
  version: 'rules/2026-11-28.1',
  weights: { credit: 40, activity: 25, consumption: 20, assets: 15 },
  factors: {
    credit: [
      { id: 'credit.overdues', input: 'bureau.overdueCount24m', kind: 'decline', points: 35, zeroAt: 3 },
      { id: 'credit.overdueDays', input: 'bureau.maxOverdueDays', kind: 'decline', points: 20, zeroAt: 90 },
      { id: 'credit.inquiries', input: 'derived.hardInquiries', kind: 'decline', points: 20, zeroAt: 8 },
      { id: 'credit.debtRatio', input: 'derived.debtToIncomePermille', kind: 'decline', points: 15, zeroAt: 3000 },
      { id: 'credit.history', input: 'bureau.creditHistoryMonths', kind: 'ramp', points: 10, full: 36 },
    ],
    activity: [
      { id: 'activity.tenure', input: 'activity.accountAgeMonths', kind: 'ramp', points: 40, full: 60 },
      { id: 'activity.redPackets', input: 'activity.redPacketsPerMonth', kind: 'ramp', points: 25, full: 10 },
      { id: 'activity.miniPrograms', input: 'activity.miniProgramDaysPerMonth', kind: 'ramp', points: 20, full: 20 },
      { id: 'activity.charity', input: 'activity.charityMonths', kind: 'ramp', points: 15, full: 12 },
    ],
    consumption: [
      { id: 'consumption.payments', input: 'derived.weightedPayments', kind: 'ramp', points: 50, full: 90 },
      { id: 'consumption.offline', input: 'consumption.offlineSharePercent', kind: 'ramp', points: 20, full: 50 },
      { id: 'consumption.categories', input: 'consumption.merchantCategories', kind: 'ramp', points: 30, full: 10 },
    ],
    assets: [
      { id: 'assets.balance', input: 'assets.wealthBalanceFen', kind: 'ramp', points: 50, full: 50_000 * CNY },
      { id: 'assets.holding', input: 'assets.holdingMonths', kind: 'ramp', points: 20, full: 12 },
      { id: 'assets.insurance', input: 'assets.insurancePremiumFen', kind: 'ramp', points: 20, full: 10_000 * CNY },
      { id: 'assets.walletFund', input: 'assets.walletFundEarningsFen', kind: 'ramp', points: 10, full: 10_000 * CNY },
    ],
  },
  adjustments: {
    charity: { minMonths: 24, relativePercent: 10 },
    medicalWeightPermille: 1300,
    educationWeightPermille: 1200,
    insuranceLimitBonus: { perFen: 10_000 * CNY, bonusFen: 800 * CNY },
    walletFundInvitationBoost: { overFen: 10_000 * CNY, relativePercent: 27 },
    housingFundDiscount: { minMonths: 12, ppm: 100 },
  },
  gates: {
    payScoreThreshold: 600,
    // The default band is LENDING_AGE (figures.ts), which the error messages quote: change it there.
    minAge: LENDING_AGE.min,
    maxAge: LENDING_AGE.max,
    maxHardInquiries: 5,
    hardInquiryWindowMonths: 6,
    minPaymentsPerMonth: 15,
    maxDebtToIncomePermille: 3000,
  },
  risk: {
    manualReviewOverFen: 50_000 * CNY,
    lineReviewThinFileMonths: 6,
    postLoanMaxOverdueDays: 30,
    // The Interim Measures' list and ours (src/domain/purposes.ts); a lender may refuse more.
    refusedPurposes: [...REFUSED_PURPOSES],
    refusedAccountTypes: ['securities', 'crypto'],
  },
  growth: {
    wealth: { balanceFen: 50_000 * CNY, months: 3 },
    merchantCategories: 10,
    fullRepaymentMonths: 6,
    paymentsPerDay: 3,
  },
  weilidaiStarThresholds: [65, 70, 75, 80, 85, 90],
  products: {
    weilidai: { minScore: 60, needsPayScore: false, needsFace: false, needsInvitation: true, rate: 'weilidai-stars' },
    we2000: { minScore: 45, needsPayScore: true, needsFace: false, needsInvitation: false, rate: 'fixed' },
    xiaoe: { minScore: 35, needsPayScore: true, needsFace: true, needsInvitation: false, rate: 'score-scaled' },
  },
}
