// The credit rules engine (docs/product-rules.md §2–§4): a versioned rule set as data, and a pure,
// deterministic evaluation that explains itself — per product: eligible or not, the composite
// score and each dimension's contribution, every rule that ran (id + version), every failed rule
// with its reason code and fix, the limit, the rate tier and the limit-growth tips.
import { DEFAULT_CATALOG, weilidaiTierRatePpm, type Catalog, type ProductId } from './catalog'
import { addChinaMonths } from './china-time'
import { pendingSteps as journeyPendingSteps, type PendingStep } from './journey'
import type { CreditProfile } from './credit-profile'
import { ppmToPercent, type Fen, type Ppm } from './money'
import { reason, type Reason, type ReasonCode } from './reasons'
import { DEFAULT_RULE_SET, DIMENSIONS, type Dimension, type Factor, type RuleSet } from './rule-set'

const CNY = 100

export type { PendingStep } from './journey'

export interface FiredRule {
  id: string
  version: string
  passed: boolean
  /** The reason the rule gives when it fails (what it checks, in words, and how to fix it). */
  code?: ReasonCode
}

export interface Tip {
  id: string
  text: string
  effectPeriod: string
}

export interface ProductDecision {
  product: ProductId
  /** No rule failed. Steps still to do (card, face) are listed in pendingSteps. */
  eligible: boolean
  pendingSteps: PendingStep[]
  score: number
  /** Each dimension's score (0–100) and its weighted contribution to the composite. */
  dimensions: Record<Dimension, { score: number; contribution: number }>
  rules: FiredRule[]
  /** Failed rules that make the product unavailable. */
  reasons: Reason[]
  /** Failed rules that do not block opening (e.g. DEBT_RATIO_HIGH blocks limit increases). */
  notices: Reason[]
  limitFen: Fen
  limitIncreaseBlocked: boolean
  dailyRatePpm: Ppm
  dailyRatePercent: number
  /** 微粒贷 stars 1–7 (7 stars = 0.02%/day); null for other products. */
  stars: number | null
  tips: Tip[]
  /** When TOO_MANY_HARD_INQUIRIES fired: when the count falls back within the limit. */
  inquiriesClearAt?: number
}

export interface Evaluation {
  ruleSetVersion: string
  catalogVersion: string
  score: number
  dimensions: Record<Dimension, { score: number; contribution: number }>
  products: ProductDecision[]
}

/** Inputs the factors read that are computed from the profile rather than stored in it. */
function derived(p: CreditProfile, rules: RuleSet, now: number) {
  const windowStart = addChinaMonths(now, -rules.gates.hardInquiryWindowMonths)
  const recent = p.bureau.hardInquiryTimes.filter((t) => t > windowStart && t <= now).sort((a, b) => b - a)
  const c = p.consumption
  const weightedPayments =
    c.paymentsPerMonth +
    (c.medicalPaymentsPerMonth * (rules.adjustments.medicalWeightPermille - 1000)) / 1000 +
    (c.educationPaymentsPerMonth * (rules.adjustments.educationWeightPermille - 1000)) / 1000
  const debtToIncomePermille =
    p.bureau.debtFen <= 0
      ? 0
      : p.bureau.annualIncomeFen <= 0
        ? Infinity
        : (p.bureau.debtFen * 1000) / p.bureau.annualIncomeFen
  return { recentInquiries: recent, hardInquiries: recent.length, weightedPayments, debtToIncomePermille }
}

function read(source: Record<string, unknown>, path: string): number {
  let v: unknown = source
  for (const key of path.split('.')) v = (v as Record<string, unknown> | undefined)?.[key]
  return typeof v === 'number' && !Number.isNaN(v) ? v : 0
}

function factorPoints(f: Factor, x: number): number {
  if (f.kind === 'ramp') return f.points * Math.min(Math.max(x, 0) / f.full, 1)
  return f.points * Math.max(0, 1 - Math.max(x, 0) / f.zeroAt)
}

const round1 = (x: number) => Math.round(x * 10) / 10

/** The composite score and its dimensions; the same for every product. */
export function scoreProfile(p: CreditProfile, rules: RuleSet, now: number) {
  const d = derived(p, rules, now)
  const source = { ...p, derived: d } as unknown as Record<string, unknown>
  const dimensions = {} as Record<Dimension, { score: number; contribution: number }>
  let composite = 0
  for (const dim of DIMENSIONS) {
    const score = Math.round(rules.factors[dim].reduce((s, f) => s + factorPoints(f, read(source, f.input)), 0))
    const contribution = round1((score * rules.weights[dim]) / 100)
    dimensions[dim] = { score, contribution }
    composite += (score * rules.weights[dim]) / 100
  }
  const charity = rules.adjustments.charity
  const charityApplies = p.activity.charityMonths >= charity.minMonths
  if (charityApplies) composite *= 1 + charity.relativePercent / 100
  return { score: round1(Math.min(100, composite)), dimensions, charityApplies, derived: d }
}

export function evaluate(
  profile: CreditProfile,
  rules: RuleSet = DEFAULT_RULE_SET,
  now: number,
  catalog: Catalog = DEFAULT_CATALOG,
): Evaluation {
  const scored = scoreProfile(profile, rules, now)
  return {
    ruleSetVersion: rules.version,
    catalogVersion: catalog.version,
    score: scored.score,
    dimensions: scored.dimensions,
    products: (Object.keys(catalog.products) as ProductId[]).map((id) => decide(id, profile, scored, rules, catalog)),
  }
}

function decide(
  product: ProductId,
  p: CreditProfile,
  scored: ReturnType<typeof scoreProfile>,
  rules: RuleSet,
  catalog: Catalog,
): ProductDecision {
  const spec = catalog.products[product]
  const pr = rules.products[product]
  const fired: FiredRule[] = []
  const reasons: Reason[] = []
  const notices: Reason[] = []
  // Steps still to do are not refusals: which the product needs and which are left, from the journey.
  const pending = journeyPendingSteps(p, pr)
  const rule = (id: string, passed: boolean, code: ReasonCode, into: Reason[] = reasons, fix?: string) => {
    fired.push({ id, version: rules.version, passed, code })
    if (!passed) into.push(reason(code, fix, rules))
  }
  const g = rules.gates

  rule('identity.verified', p.identity.verified, 'IDENTITY_NOT_VERIFIED')
  rule('identity.age', p.identity.age >= g.minAge && p.identity.age <= g.maxAge, 'AGE_OUT_OF_RANGE')
  rule('card.ownDebit', p.card !== 'failed', 'IDENTITY_CARD_FAILED')
  if (pr.needsInvitation) rule('invitation.whitelist', p.invited, 'NOT_INVITED')
  if (pr.needsPayScore) {
    rule('payscore.authorized', p.payScore !== 'NOT_AUTHORIZED', 'PAY_SCORE_NOT_AUTHORIZED')
    if (p.payScore === 'UNCONFIRMED') rule('payscore.threshold', false, 'PAY_SCORE_UNCONFIRMED')
    else if (p.payScore !== 'NOT_AUTHORIZED')
      rule('payscore.threshold', p.payScore === 'MEETS_THRESHOLD', 'SCORE_BELOW_THRESHOLD')
  }
  if (pr.needsFace) rule('face.verified', p.face !== 'failed', 'IDENTITY_FACE_FAILED')
  const inquiriesOk = scored.derived.hardInquiries <= g.maxHardInquiries
  const inquiriesClearAt = inquiriesOk
    ? undefined
    : addChinaMonths(scored.derived.recentInquiries[g.maxHardInquiries], g.hardInquiryWindowMonths)
  rule('bureau.hardInquiries', inquiriesOk, 'TOO_MANY_HARD_INQUIRIES')
  rule('activity.payments', p.consumption.paymentsPerMonth >= g.minPaymentsPerMonth, 'LOW_ACTIVITY')
  rule('score.minimum', scored.score >= pr.minScore, 'CREDIT_SCORE_LOW')
  const debtOk = scored.derived.debtToIncomePermille <= g.maxDebtToIncomePermille
  rule('risk.debtRatio', debtOk, 'DEBT_RATIO_HIGH', notices)
  if (scored.charityApplies) fired.push({ id: 'adjust.charity', version: rules.version, passed: true })

  const eligible = reasons.length === 0
  // The limit grows with the score across the product's range, in whole 100 CNY.
  const { min, max } = spec.limitFen
  const share = Math.min(1, Math.max(0, (scored.score - pr.minScore) / (100 - pr.minScore)))
  let limitFen = min + Math.floor(((max - min) * share) / 10_000) * 10_000
  if (debtOk) {
    const bonus = rules.adjustments.insuranceLimitBonus
    limitFen += Math.floor(p.assets.insurancePremiumFen / bonus.perFen) * bonus.bonusFen
  } else if (p.currentLimitFen !== undefined) {
    limitFen = Math.min(limitFen, p.currentLimitFen)
  }
  limitFen = Math.min(max, limitFen)

  let stars: number | null = null
  let dailyRatePpm: Ppm
  if (pr.rate === 'weilidai-stars') {
    stars = 1 + rules.weilidaiStarThresholds.filter((t) => scored.score >= t).length
    dailyRatePpm = weilidaiTierRatePpm(stars, spec.dailyRatePpm)
  } else if (pr.rate === 'fixed') {
    dailyRatePpm = spec.dailyRatePpm.min
  } else {
    const { min: lo, max: hi } = spec.dailyRatePpm
    const scaled = hi - Math.round(((hi - lo) * share) / 10) * 10
    const hf = rules.adjustments.housingFundDiscount
    const discounted = p.assets.housingFundMonths >= hf.minMonths ? scaled - hf.ppm : scaled
    if (discounted < scaled) fired.push({ id: 'adjust.housingFund', version: rules.version, passed: true })
    dailyRatePpm = Math.max(lo, discounted)
  }

  return {
    product,
    eligible,
    pendingSteps: pending,
    score: scored.score,
    dimensions: scored.dimensions,
    rules: fired,
    reasons,
    notices,
    limitFen: eligible ? limitFen : 0,
    limitIncreaseBlocked: !debtOk,
    dailyRatePpm,
    dailyRatePercent: ppmToPercent(dailyRatePpm),
    stars,
    tips: tipsFor(product, p, rules, eligible),
    ...(inquiriesClearAt === undefined ? {} : { inquiriesClearAt }),
  }
}

/** Ten thousand yuan (万元) for a tip's text: 50,000 yuan reads 5. */
const wanYuan = (fen: number) => fen / (10_000 * CNY)

/** Limit-growth tips (提额) that apply, with their expected effect periods (docs/product-rules.md §4). */
function tipsFor(product: ProductId, p: CreditProfile, rules: RuleSet, eligible: boolean): Tip[] {
  const tips: Tip[] = []
  const g = rules.growth
  if (p.assets.wealthBalanceFen < g.wealth.balanceFen || p.assets.holdingMonths < g.wealth.months) {
    tips.push({
      id: 'tip.wealth',
      text: `理财资产余额保持${wanYuan(g.wealth.balanceFen)}万元以上并持有满${g.wealth.months}个月`,
      effectPeriod: '1–2个账单周期',
    })
  }
  if (p.consumption.merchantCategories < g.merchantCategories) {
    tips.push({
      id: 'tip.categories',
      text: `每月在${g.merchantCategories}类以上不同商户消费`,
      effectPeriod: '3–6个月',
    })
  }
  if (p.bureau.fullRepaymentMonths < g.fullRepaymentMonths) {
    tips.push({ id: 'tip.repayment', text: `连续${g.fullRepaymentMonths}个月按时全额还款`, effectPeriod: '持续生效' })
  }
  const bonus = rules.adjustments.insuranceLimitBonus
  if (p.assets.insurancePremiumFen < bonus.perFen) {
    tips.push({
      id: 'tip.insurance',
      text: `保险类资产比货币基金更有效：每${wanYuan(bonus.perFen)}万元保费约提额${bonus.bonusFen / CNY}元`,
      effectPeriod: '下次额度评估',
    })
  }
  const boost = rules.adjustments.walletFundInvitationBoost
  if (product === 'weilidai' && !eligible && !p.invited && p.assets.walletFundEarningsFen <= boost.overFen) {
    tips.push({
      id: 'tip.walletFund',
      text: `零钱通累计收益超过${wanYuan(boost.overFen)}万元有助于获得微粒贷邀请（是否邀请由放贷机构决定）`,
      effectPeriod: '不确定',
    })
  }
  return tips
}

/** Pre-check: soft data only; costs the user no hard credit inquiry. */
export function precheck(
  profile: CreditProfile,
  rules: RuleSet = DEFAULT_RULE_SET,
  now: number,
  catalog: Catalog = DEFAULT_CATALOG,
): Evaluation {
  return evaluate(profile, rules, now, catalog)
}

export interface ApplicationRequest {
  product: ProductId
  amountFen: Fen
  purpose: string
  /** Where the money goes; investment accounts are refused. */
  accountType: string
}

export interface ApplicationDecision {
  outcome: 'approved' | 'refused' | 'manual-review'
  reasons: Reason[]
  /** Face verification again before any drawdown (new device or distant sign-in). */
  faceRequiredBeforeDrawdown: boolean
  /** Every rule the check ran, passed or not, under its rule set's version. */
  rules: FiredRule[]
  ruleSetVersion: string
}

/**
 * Where the money may go (docs/product-rules.md §4): no investment purpose, no investment account — the
 * field that is refused, or null. It needs nothing about the person, so the server asks it before
 * any bureau query: a refused purpose costs no inquiry.
 */
export function purposeRefusal(
  app: Pick<ApplicationRequest, 'purpose' | 'accountType'>,
  rules: RuleSet,
): 'purpose' | 'accountType' | null {
  if (rules.risk.refusedPurposes.includes(app.purpose)) return 'purpose'
  return rules.risk.refusedAccountTypes.includes(app.accountType) ? 'accountType' : null
}

/**
 * The drawdown check (贷后管理): a loan against an open line costs no hard inquiry, so this looks
 * only at soft data under the contract's authorization — the person is still within the lending
 * age, still has their own debit card for the payout, and is not seriously overdue elsewhere now —
 * then the risk controls: where the money goes, a large amount to a person (manual review), and a
 * new device or a distant sign-in (face again before the payout). The amount against the line is
 * the line's own check (RESERVE), made in the same write as the loan.
 */
export function drawdownCheck(
  profile: CreditProfile,
  app: ApplicationRequest,
  rules: RuleSet = DEFAULT_RULE_SET,
): ApplicationDecision {
  const fired: FiredRule[] = []
  const reasons: Reason[] = []
  const check = (id: string, passed: boolean, code: ReasonCode) => {
    fired.push({ id, version: rules.version, passed })
    if (!passed) reasons.push(reason(code, undefined, rules))
  }
  const g = rules.gates
  check('postLoan.age', profile.identity.age >= g.minAge && profile.identity.age <= g.maxAge, 'AGE_OUT_OF_RANGE')
  check('postLoan.card', profile.card === 'verified', 'IDENTITY_CARD_FAILED')
  check(
    'postLoan.overdueElsewhere',
    profile.bureau.maxOverdueDays <= rules.risk.postLoanMaxOverdueDays,
    'OVERDUE_ELSEWHERE',
  )
  check('risk.purpose', purposeRefusal(app, rules) === null, 'PURPOSE_REFUSED')
  const review = app.amountFen > rules.risk.manualReviewOverFen
  fired.push({ id: 'risk.manualReview', version: rules.version, passed: !review })
  const faceAgain = profile.device.newDevice || profile.device.distantLocation
  fired.push({ id: 'risk.deviceFace', version: rules.version, passed: !faceAgain })
  return {
    outcome: reasons.length > 0 ? 'refused' : review ? 'manual-review' : 'approved',
    reasons,
    faceRequiredBeforeDrawdown: faceAgain,
    rules: fired,
    ruleSetVersion: rules.version,
  }
}

/**
 * Whether an opening the rules approve is decided at once or by a person: a thin credit file
 * (fewer months of history than the rule set asks) is looked at by a reviewer.
 */
export function openingNeedsReview(profile: CreditProfile, rules: RuleSet = DEFAULT_RULE_SET): boolean {
  return profile.bureau.creditHistoryMonths < rules.risk.lineReviewThinFileMonths
}

/**
 * The periodic review of an open line (提额/降额) on soft data: the limit the rules give now (0 when
 * the person is no longer eligible) and whether an increase is allowed — the growth rules met
 * (on-time repayment for the rule set's months in a row) and credit elsewhere within 3× income.
 */
export function limitReview(
  profile: CreditProfile,
  decision: ProductDecision,
  rules: RuleSet = DEFAULT_RULE_SET,
): { assessedFen: Fen; increaseAllowed: boolean } {
  return {
    assessedFen: decision.eligible ? decision.limitFen : 0,
    increaseAllowed:
      !decision.limitIncreaseBlocked && profile.bureau.fullRepaymentMonths >= rules.growth.fullRepaymentMonths,
  }
}
