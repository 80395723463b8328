// Pricing one offer (product × amount × term × mode × rate) and the offer grid for one user.
// APR (年化利率) is the IRR of the real cash flows — the full amount received against every
// payment of principal, interest and fees — times periods per year (12 for monthly schedules,
// 365/days for one repayment after `days`), in percent to 2 decimals. A fee-free daily-interest
// loan shows daily × 365 exactly. An offer whose APR is over the cap is refused with the figure,
// never changed.
import {
  DEFAULT_CATALOG,
  feeTermsOf,
  type Catalog,
  type FeeTerms,
  type ModeTerms,
  type ProductId,
  type RepaymentMode,
} from './catalog'
import { irr, nominalAprPercent, toPercent2 } from './irr'
import { PPM, formatYuan, isFen, ppmToPercent, type Fen, type Ppm } from './money'
import { buildSchedule, type ScheduleLine, type Term } from './schedule'

/**
 * The default cap on the all-in annualized cost (interest plus every fee): 24%. Since 1 October
 * 2025 (NFRA 2025 No. 9, on internet-assisted lending by commercial banks) the all-in cost is read
 * as capped there. Offers over the cap are shown as not offered, with their APR, never adjusted.
 */
export const DEFAULT_APR_CAP_PERCENT = 24
/** The historic bound (the article's 0.098%/day sits under it): a setting for lenders outside NFRA 2025 No. 9. */
export const HISTORIC_APR_CAP_PERCENT = 36

/** A configured cap: a percent above 0 and at most the historic 36%; anything else is a configuration error. */
export function isAprCapSetting(value: number): boolean {
  return Number.isFinite(value) && value > 0 && value <= HISTORIC_APR_CAP_PERCENT
}

export type PricingErrorCode =
  | 'UNKNOWN_PRODUCT'
  | 'INVALID_AMOUNT'
  | 'AMOUNT_OUT_OF_RANGE'
  | 'MODE_NOT_OFFERED'
  | 'TERM_NOT_OFFERED'
  | 'RATE_OUT_OF_RANGE'
  | 'INVALID_DATE'
  | 'INVALID_CAP'
  | 'APR_OVER_CAP'

export interface PricingError {
  code: PricingErrorCode
  message: string
  /** For APR_OVER_CAP: the APR the offer would have had, and the cap it is over. */
  aprPercent?: number
  capPercent?: number
}

export interface OfferRequest {
  /** Any string: a product the catalog does not have is refused with UNKNOWN_PRODUCT. */
  product: string
  amountFen: Fen
  term: Term
  mode: string
  /** Defaults to the product's lowest daily rate. */
  dailyRatePpm?: number
  capPercent?: number
  disbursedAt: number
}

export interface Offer {
  product: ProductId
  catalogVersion: string
  amountFen: Fen
  mode: RepaymentMode
  term: Term
  dailyRatePpm: Ppm
  dailyRatePercent: number
  /** Share of the original principal charged each month (fee installments), in percent. */
  monthlyFeePercent: number
  aprPercent: number
  /** 'nominal' = daily × 365 (fee-free daily interest); 'irr' = from the cash flows. */
  aprMethod: 'nominal' | 'irr'
  /** The exact periodic IRR the APR comes from (per month, or per `days` for one repayment). */
  periodicRate: number
  periodsPerYear: number
  totalInterestFen: Fen
  totalFeesFen: Fen
  totalRepayFen: Fen
  schedule: ScheduleLine[]
  /** The fees and overdue rule the catalog set for it: the loan keeps them. */
  feeTerms: FeeTerms
}

/** What the offer costs on top of the principal: interest and fees. */
export function costFen(offer: Pick<Offer, 'totalInterestFen' | 'totalFeesFen'>): Fen {
  return offer.totalInterestFen + offer.totalFeesFen
}

export type PricingResult = { ok: true; offer: Offer } | { ok: false; error: PricingError }

const fail = (code: PricingErrorCode, message: string, extra: Partial<PricingError> = {}): PricingResult => ({
  ok: false,
  error: { code, message, ...extra },
})

/** The longest a bullet-repayment (随借随还) loan may run: one year (Interim Measures for Internet Loans, 2020). */
export const BULLET_MAX_DAYS = 365

export function termAllowed(terms: ModeTerms, term: Term): boolean {
  if (terms.unit === 'months') return 'months' in term && terms.months.includes(term.months)
  return 'days' in term && Number.isInteger(term.days) && term.days >= terms.minDays && term.days <= terms.maxDays
}

export function priceOffer(req: OfferRequest, catalog: Catalog = DEFAULT_CATALOG): PricingResult {
  const spec = Object.prototype.hasOwnProperty.call(catalog.products, req.product)
    ? catalog.products[req.product as ProductId]
    : undefined
  if (!spec) return fail('UNKNOWN_PRODUCT', `没有这个产品：${String(req.product).slice(0, 32)}`)
  if (!isFen(req.amountFen) || req.amountFen <= 0)
    return fail('INVALID_AMOUNT', '借款金额须为正的整数分（至多两位小数的元）。')
  if (req.amountFen < spec.limitFen.min || req.amountFen > spec.limitFen.max) {
    return fail(
      'AMOUNT_OUT_OF_RANGE',
      `${spec.name}的借款金额须在 ${formatYuan(spec.limitFen.min)}–${formatYuan(spec.limitFen.max)} 元之间。`,
    )
  }
  const mode = req.mode as RepaymentMode
  const terms = Object.prototype.hasOwnProperty.call(spec.modes, mode) ? spec.modes[mode] : undefined
  if (!terms) return fail('MODE_NOT_OFFERED', `${spec.name}不提供该还款方式：${String(req.mode).slice(0, 32)}`)
  // The Interim Measures (2020) limit a bullet-repayment loan to one year, whatever a catalog says.
  if (mode === 'flexible' && 'days' in req.term && req.term.days > BULLET_MAX_DAYS)
    return fail('TERM_NOT_OFFERED', `随借随还（到期一次还本）的借款期限不得超过一年（${BULLET_MAX_DAYS} 天）。`)
  if (!termAllowed(terms, req.term)) {
    const offered = terms.unit === 'months' ? `${terms.months.join('/')} 期` : `${terms.minDays}–${terms.maxDays} 天`
    return fail('TERM_NOT_OFFERED', `${spec.name}的该还款方式只提供 ${offered}。`)
  }
  const rate = req.dailyRatePpm ?? spec.dailyRatePpm.min
  if (!Number.isSafeInteger(rate) || rate < spec.dailyRatePpm.min || rate > spec.dailyRatePpm.max) {
    return fail(
      'RATE_OUT_OF_RANGE',
      `${spec.name}的日利率须在 ${ppmToPercent(spec.dailyRatePpm.min)}%–${ppmToPercent(spec.dailyRatePpm.max)}% 之间。`,
    )
  }
  const cap = req.capPercent ?? DEFAULT_APR_CAP_PERCENT
  if (typeof cap !== 'number' || !Number.isFinite(cap) || cap <= 0 || cap > 100) {
    return fail('INVALID_CAP', '年化利率上限须为 0–100 之间的百分数。')
  }
  if (!Number.isSafeInteger(req.disbursedAt) || req.disbursedAt < 0) return fail('INVALID_DATE', '放款时间无效。')

  const feeInstallment = mode === 'fee-installment'
  const dailyRatePpm = feeInstallment ? 0 : rate
  const schedule = buildSchedule({
    mode,
    amountFen: req.amountFen,
    term: req.term,
    dailyRatePpm,
    drawdownFeePpm: spec.drawdownFeePpm,
    monthlyFeePpm: spec.monthlyFeePpm,
    disbursedAt: req.disbursedAt,
  })
  const totalInterestFen = schedule.reduce((s, l) => s + l.interestFen, 0)
  const totalFeesFen = schedule.reduce((s, l) => s + l.feeFen, 0)
  const days = 'days' in req.term ? req.term.days : 0
  const periodsPerYear = 'days' in req.term ? 365 / days : 12
  let aprPercent: number
  let periodicRate: number
  let aprMethod: Offer['aprMethod']
  if (mode === 'flexible' && totalFeesFen === 0) {
    // Simple daily interest with no fee: the annualized rate is daily × 365, exactly.
    aprMethod = 'nominal'
    periodicRate = (dailyRatePpm * days) / PPM
    aprPercent = nominalAprPercent(dailyRatePpm)
  } else {
    aprMethod = 'irr'
    periodicRate = irr([-req.amountFen, ...schedule.map((l) => l.totalFen)])
    aprPercent = toPercent2(periodicRate * periodsPerYear)
  }
  // The cap is compared with the exact annualized rate, not the figure rounded for display: an
  // offer at 24.004% is over a 24% cap. Daily interest is compared in whole ppm (exact).
  const capPpm = Math.round(cap * 100) * 100
  const over =
    aprMethod === 'nominal' ? dailyRatePpm * 365 > capPpm : periodicRate * periodsPerYear * 1_000_000 > capPpm + 1e-6
  if (over) {
    // Shown to 0.01% as every APR is, but never as "cap% over cap%": rounded up when rounding would meet it.
    const shown = aprPercent > cap ? aprPercent : Math.ceil(periodicRate * periodsPerYear * 10_000 - 1e-9) / 100
    return fail('APR_OVER_CAP', `该方案的年化利率（IRR）为 ${shown}%，超过上限 ${cap}%，不予提供。`, {
      aprPercent: shown,
      capPercent: cap,
    })
  }
  return {
    ok: true,
    offer: {
      product: spec.id,
      catalogVersion: catalog.version,
      amountFen: req.amountFen,
      mode,
      term: req.term,
      dailyRatePpm,
      dailyRatePercent: ppmToPercent(dailyRatePpm),
      monthlyFeePercent: feeInstallment ? ppmToPercent(spec.monthlyFeePpm ?? 0) : 0,
      aprPercent,
      aprMethod,
      periodicRate,
      periodsPerYear,
      totalInterestFen,
      totalFeesFen,
      totalRepayFen: req.amountFen + totalInterestFen + totalFeesFen,
      schedule,
      feeTerms: feeTermsOf(spec),
    },
  }
}

export interface GridUser {
  /** Per product: the user's limit (caps the amount steps) and daily rate (from the rules engine). */
  products?: Partial<Record<ProductId, { limitFen?: Fen; dailyRatePpm?: Ppm }>>
}

export interface OfferGrid {
  catalogVersion: string
  capPercent: number
  offers: Offer[]
  /** Combinations not offered, with why (over the cap, with the figure). */
  refused: Array<{ product: ProductId; amountFen: Fen; mode: RepaymentMode; term: Term; error: PricingError }>
}

/** Every product × amount step (within the user's limit) × mode × term the catalog allows. */
export function offerGrid(
  user: GridUser,
  opts: { disbursedAt: number; capPercent?: number },
  catalog: Catalog = DEFAULT_CATALOG,
): OfferGrid {
  const capPercent = opts.capPercent ?? DEFAULT_APR_CAP_PERCENT
  const grid: OfferGrid = { catalogVersion: catalog.version, capPercent, offers: [], refused: [] }
  for (const spec of Object.values(catalog.products)) {
    const mine = user.products?.[spec.id] ?? {}
    const limit = Math.min(mine.limitFen ?? spec.limitFen.max, spec.limitFen.max)
    for (const amountFen of spec.amountStepsFen) {
      if (amountFen > limit) continue
      for (const [mode, terms] of Object.entries(spec.modes) as Array<[RepaymentMode, ModeTerms]>) {
        const termList: Term[] =
          terms.unit === 'months'
            ? terms.months.map((m) => ({ months: m }))
            : terms.previewDays.map((d) => ({ days: d }))
        for (const term of termList) {
          const r = priceOffer(
            {
              product: spec.id,
              amountFen,
              term,
              mode,
              dailyRatePpm: mine.dailyRatePpm,
              capPercent,
              disbursedAt: opts.disbursedAt,
            },
            catalog,
          )
          if (r.ok) grid.offers.push(r.offer)
          else grid.refused.push({ product: spec.id, amountFen, mode, term, error: r.error })
        }
      }
    }
  }
  return grid
}
