// Product selection: each product's pre-check decision and the user's onboarding state from the
// server, and what the chosen amount and term would cost on each product, priced on the device
// with the catalog the server decided with (an opened product's: the one its line was opened under).
import { useCallback, useMemo, useState } from 'react'
import type { ApiError, LineView, OnboardingStatus } from '../api'
import { fixedByAgreements } from '../api/errors'
import { nearestMonths, type Catalog, type ModeTerms, type ProductSpec, type RepaymentMode } from '../domain/catalog'
import { DEFAULT_APR_CAP_PERCENT, priceOffer, type PricingResult } from '../domain/pricing'
import type { Term } from '../domain/schedule'
import { type Evaluation, type PendingStep, type ProductDecision } from '../domain/rules'
import { DEFAULT_RULE_SET, type ProductRules } from '../domain/rule-set'
import type { VerdictKind } from '../ui/product-text'
import { useCatalogs } from '../services/catalog'
import { useCloudQuery, useReloadOnShow } from './use-cloud'
import { isStanding } from '../domain/line'
import { lineRatePpm } from './use-line'

/** The amounts and terms the product pages offer to compare by (simple chips). */
export const AMOUNT_CHOICES_FEN = [100_000, 200_000, 500_000]
export const TERM_CHOICES_MONTHS = [3, 6, 12]

/** Which monthly mode prices the comparison, when a product has several: the most common first. */
const MONTHLY_MODE_ORDER: RepaymentMode[] = ['equal-installment', 'fee-installment', 'equal-principal']

export type Verdict = VerdictKind

/** The chosen amount and term as priced on one product, with what had to be adjusted to fit it. */
export interface CostPreview {
  amountFen: number
  /** 'limit': lowered to the user's limit (or the catalog maximum); 'min': raised to the catalog minimum. */
  amountAdjusted: 'limit' | 'min' | null
  mode: RepaymentMode
  /** The term priced: the chosen months, the nearest the product offers, or days when it has no monthly mode. */
  term: Term
  termAdjusted: boolean
  result: PricingResult
}

export interface ProductView {
  spec: ProductSpec
  rules: ProductRules
  decision: ProductDecision
  verdict: Verdict
  /** Steps still to do before applying (eligible products only). */
  pending: PendingStep[]
  /** catalog minimum … the user's limit (eligible) or the catalog maximum (not yet eligible). */
  limitRange: { minFen: number; maxFen: number; own: boolean }
  cost: CostPreview
  /** 随借随还 at the user's daily rate (annualized as 日利率×365), when the product offers it. */
  flexible: PricingResult | null
  /** The product's line when it is opened (active, frozen) or in review; null otherwise. */
  line: LineView | null
}

/** A line that stands: open (active, frozen) or in review. A refused, expired or closed one may be opened again. */
export function standingLine(line: LineView | null | undefined): LineView | null {
  return line && isStanding(line.state) ? line : null
}

function monthlyMode(spec: ProductSpec): { mode: RepaymentMode; months: number[] } | null {
  for (const mode of MONTHLY_MODE_ORDER) {
    const terms: ModeTerms | undefined = spec.modes[mode]
    if (terms?.unit === 'months') return { mode, months: terms.months }
  }
  return null
}

export function verdictOf(decision: ProductDecision): Verdict {
  if (decision.reasons.some((r) => r.code === 'NOT_INVITED')) return 'invitation'
  if (!decision.eligible) return 'refused'
  return decision.pendingSteps.length > 0 ? 'pending' : 'open'
}

/** The highest amount the user may borrow on this product now (the catalog maximum when not yet eligible). */
export function amountCeilingFen(spec: ProductSpec, decision: ProductDecision): number {
  return decision.eligible ? Math.min(decision.limitFen, spec.limitFen.max) : spec.limitFen.max
}

/** Prices `amountFen` over about `months` on one product, at the user's daily rate. */
export function previewCost(
  catalog: Catalog,
  spec: ProductSpec,
  decision: ProductDecision,
  amountFen: number,
  months: number,
  disbursedAt: number,
  capPercent: number,
): CostPreview {
  const ceiling = amountCeilingFen(spec, decision)
  const amount = Math.max(spec.limitFen.min, Math.min(amountFen, ceiling))
  const amountAdjusted = amount < amountFen ? 'limit' : amount > amountFen ? 'min' : null
  const monthly = monthlyMode(spec)
  const base = { product: spec.id, amountFen: amount, dailyRatePpm: decision.dailyRatePpm, capPercent, disbursedAt }
  if (!monthly) {
    // No monthly mode: one repayment after the same time in days.
    const flex = spec.modes.flexible
    const days = flex?.unit === 'days' ? Math.min(flex.maxDays, Math.max(flex.minDays, months * 30)) : months * 30
    const result = priceOffer({ ...base, mode: 'flexible', term: { days } }, catalog)
    return { amountFen: amount, amountAdjusted, mode: 'flexible', term: { days }, termAdjusted: true, result }
  }
  const term = nearestMonths(monthly.months, months)
  const result = priceOffer({ ...base, mode: monthly.mode, term: { months: term } }, catalog)
  return {
    amountFen: amount,
    amountAdjusted,
    mode: monthly.mode,
    term: { months: term },
    termAdjusted: term !== months,
    result,
  }
}

export function productView(
  /** The pre-check's catalog, or (an opened product) its line's. */
  catalog: Catalog,
  precheck: ProductDecision,
  amountFen: number,
  months: number,
  disbursedAt: number,
  capPercent: number,
  line: LineView | null = null,
): ProductView {
  const spec = catalog.products[precheck.product]
  const standing = standingLine(line)
  // An opened product is priced as its line lends: at the rate and up to the limit it was opened
  // with (today's pre-check may read differently — the line keeps what was decided).
  const lineRate = standing && standing.state !== 'review' ? lineRatePpm(standing) : null
  const decision: ProductDecision =
    standing && lineRate !== null
      ? {
          ...precheck,
          eligible: true,
          dailyRatePpm: lineRate,
          dailyRatePercent: standing.dailyRatePercent,
          limitFen: standing.limitFen,
        }
      : precheck
  const cost = previewCost(catalog, spec, decision, amountFen, months, disbursedAt, capPercent)
  const flex = spec.modes.flexible
  const flexible =
    flex?.unit === 'days'
      ? priceOffer(
          {
            product: spec.id,
            amountFen: cost.amountFen,
            mode: 'flexible',
            term: { days: flex.previewDays[0] ?? flex.minDays },
            dailyRatePpm: decision.dailyRatePpm,
            capPercent,
            disbursedAt,
          },
          catalog,
        )
      : null
  const verdict = verdictOf(decision)
  return {
    spec,
    rules: DEFAULT_RULE_SET.products[spec.id],
    decision,
    verdict,
    pending: decision.eligible ? decision.pendingSteps : [],
    limitRange: { minFen: spec.limitFen.min, maxFen: amountCeilingFen(spec, decision), own: decision.eligible },
    cost,
    flexible,
    line: standing,
  }
}

export interface ProductsData {
  evaluation: Evaluation
  status: OnboardingStatus
}

export function useProducts() {
  const evaluation = useCloudQuery('credit', 'precheck', {})
  const status = useCloudQuery('onboarding', 'status', {})
  // Which products are opened already: back from opening one, the page shows it opened.
  const lines = useCloudQuery('lines', 'list', {})
  useReloadOnShow(lines.reload)
  // Six months to start with: WE2000's shorter terms are over the default 24% cap (its 1% fee).
  const [choice, setChoice] = useState({ amountFen: AMOUNT_CHOICES_FEN[0], months: TERM_CHOICES_MONTHS[1] })
  const capPercent = evaluation.data?.capPercent ?? DEFAULT_APR_CAP_PERCENT
  const setAmount = useCallback((amountFen: number) => setChoice((c) => ({ ...c, amountFen })), [])
  const setMonths = useCallback((months: number) => setChoice((c) => ({ ...c, months })), [])

  const reloadEvaluation = evaluation.reload
  const reloadStatus = status.reload
  const reloadLines = lines.reload
  const reload = useCallback(async () => {
    await Promise.all([reloadEvaluation(), reloadStatus(), reloadLines()])
  }, [reloadEvaluation, reloadStatus, reloadLines])

  // The pre-check's catalog, and each standing line's (an opened product lends by its own).
  const catalogs = useCatalogs([
    evaluation.data?.catalogVersion,
    ...(lines.data ?? []).filter((l) => isStanding(l.state)).map((l) => l.catalogVersion),
  ])
  const data: ProductsData | null =
    evaluation.data && status.data && lines.data && catalogs.catalogs
      ? { evaluation: evaluation.data, status: status.data }
      : null
  const error: ApiError | null = evaluation.error ?? status.error ?? lines.error ?? catalogs.error
  const serverTime = status.data?.serverTime
  const known = catalogs.catalogs
  const products = useMemo(() => {
    if (!evaluation.data || serverTime === undefined || !known) return []
    const decided = known[evaluation.data.catalogVersion]
    return (
      evaluation.data.products
        // A product this build does not know cannot be priced on the device.
        .filter((d) => Object.prototype.hasOwnProperty.call(decided.products, d.product))
        .map((d) => {
          const line = lines.data?.find((l) => l.product === d.product) ?? null
          const standing = standingLine(line)
          const catalog = (standing && known[standing.catalogVersion]) || decided
          return productView(catalog, d, choice.amountFen, choice.months, serverTime, capPercent, line)
        })
    )
  }, [evaluation.data, serverTime, choice, capPercent, lines.data, known])

  return {
    query: {
      loading: evaluation.loading || status.loading || lines.loading || (data === null && error === null),
      data,
      error,
      reload: async () => {
        await Promise.all([reload(), catalogs.reload()])
      },
    },
    /** The pre-check needs the agreements and the financial-data consent first. */
    needsAgreements: fixedByAgreements(error),
    choice,
    /** The amount-and-term chooser's props, as both product pages show it. */
    chooser: {
      amountsFen: AMOUNT_CHOICES_FEN,
      termsMonths: TERM_CHOICES_MONTHS,
      chosen: choice,
      onAmount: setAmount,
      onMonths: setMonths,
    },
    products,
    capPercent,
    /** Products that need the pay score, while WeChat Pay reports no authorization (or it was never asked). */
    payScoreNeededBy:
      status.data && (status.data.payScore === null || status.data.payScore.authorization !== 'AVAILABLE')
        ? products.filter((v) => v.rules.needsPayScore).map((v) => v.spec.id)
        : [],
  }
}
