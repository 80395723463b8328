// The product catalog: versioned data, not code. The default is demonstration data drawn from
// the source article (docs/product-rules.md §1); a lender replaces it with its own.
import type { Fen, Ppm } from './money'

/** The products and repayment modes, declared once: the contract's schemas and every view use these. */
export const PRODUCT_IDS = ['weilidai', 'we2000', 'xiaoe'] as const
export type ProductId = (typeof PRODUCT_IDS)[number]
export const REPAYMENT_MODES = ['flexible', 'equal-installment', 'equal-principal', 'fee-installment'] as const
export type RepaymentMode = (typeof REPAYMENT_MODES)[number]

export function isProductId(x: unknown): x is ProductId {
  return typeof x === 'string' && (PRODUCT_IDS as readonly string[]).includes(x)
}

export type ModeTerms =
  | { unit: 'months'; months: number[] }
  /** 随借随还: any whole number of days in range; `previewDays` are the ones the offer grid shows. */
  | { unit: 'days'; minDays: number; maxDays: number; previewDays: number[] }

/** Overdue charges (docs/product-rules.md §1), per day overdue. */
export type OverdueRule =
  /** On overdue principal, at the contract daily rate × multiplier (‰). */
  | { on: 'principal'; contractRateMultiplierPermille: number }
  /** On the whole overdue amount, at a fixed daily rate. */
  | { on: 'amount'; dailyPpm: Ppm }

export interface ProductSpec {
  id: ProductId
  name: string
  opens: 'invitation' | 'application'
  limitFen: { min: Fen; max: Fen }
  /** The amounts the offer grid shows (each within the limit). */
  amountStepsFen: Fen[]
  /** The daily rate range, inclusive; the rules engine picks within it (tier, discounts). */
  dailyRatePpm: { min: Ppm; max: Ppm }
  modes: Partial<Record<RepaymentMode, ModeTerms>>
  /** A fee on each drawdown, billed at drawdown and paid with the first repayment. */
  drawdownFeePpm?: Ppm
  /** fee-installment mode: a fee of this share of the original principal each month, no interest. */
  monthlyFeePpm?: Ppm
  overdue: OverdueRule
}

/**
 * What a product charges beyond a schedule's interest — the fees and the overdue rule — as the
 * catalog stated it when a loan was priced. A loan keeps its own copy (as its contract states it),
 * so a catalog published later changes nothing already lent.
 */
export interface FeeTerms {
  drawdownFeePpm?: Ppm
  monthlyFeePpm?: Ppm
  overdue: OverdueRule
}

export const feeTermsOf = (spec: ProductSpec): FeeTerms => ({
  ...(spec.drawdownFeePpm !== undefined ? { drawdownFeePpm: spec.drawdownFeePpm } : {}),
  ...(spec.monthlyFeePpm !== undefined ? { monthlyFeePpm: spec.monthlyFeePpm } : {}),
  overdue: spec.overdue,
})

export interface Catalog {
  version: string
  products: Record<ProductId, ProductSpec>
}

const CNY = 100
const months = (...m: number[]): ModeTerms => ({ unit: 'months', months: m })
const flexibleDays: ModeTerms = { unit: 'days', minDays: 1, maxDays: 365, previewDays: [30] }

/** Of the month counts a mode offers, the nearest to `target`; a tie goes to the shorter (it costs less in total). */
export function nearestMonths(months: readonly number[], target: number): number {
  return months.reduce((best, m) => {
    const d = Math.abs(m - target)
    const bd = Math.abs(best - target)
    return d < bd || (d === bd && m < best) ? m : best
  }, months[0])
}

export const DEFAULT_CATALOG: Catalog = {
  version: 'demo-catalog/2026-11-28.1',
  products: {
    weilidai: {
      id: 'weilidai',
      name: '微粒贷',
      opens: 'invitation',
      limitFen: { min: 500 * CNY, max: 300_000 * CNY },
      amountStepsFen: [500, 1000, 2000, 5000, 10_000, 20_000, 50_000, 100_000, 200_000, 300_000].map((y) => y * CNY),
      // Tier 7 (七星) 0.02% … tier 1 0.05%.
      dailyRatePpm: { min: 200, max: 500 },
      modes: {
        flexible: flexibleDays,
        'equal-installment': months(5, 10, 20),
        'equal-principal': months(5, 10, 20),
      },
      overdue: { on: 'principal', contractRateMultiplierPermille: 1500 },
    },
    we2000: {
      id: 'we2000',
      name: 'WE2000',
      opens: 'application',
      limitFen: { min: 100 * CNY, max: 2000 * CNY },
      amountStepsFen: [100, 200, 500, 1000, 1500, 2000].map((y) => y * CNY),
      dailyRatePpm: { min: 500, max: 500 },
      modes: {
        'equal-installment': months(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12),
        'equal-principal': months(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12),
      },
      drawdownFeePpm: 10_000,
      overdue: { on: 'amount', dailyPpm: 500 },
    },
    xiaoe: {
      id: 'xiaoe',
      name: '小鹅花钱',
      opens: 'application',
      limitFen: { min: 500 * CNY, max: 50_000 * CNY },
      amountStepsFen: [500, 1000, 2000, 5000, 10_000, 20_000, 50_000].map((y) => y * CNY),
      dailyRatePpm: { min: 500, max: 980 },
      modes: {
        flexible: flexibleDays,
        'fee-installment': months(3, 6, 12),
      },
      monthlyFeePpm: 15_000,
      overdue: { on: 'amount', dailyPpm: 500 },
    },
  },
}

/** Each product's name as the catalog gives it (what the UI and the reminders show). */
export const PRODUCT_NAMES = Object.fromEntries(
  PRODUCT_IDS.map((id) => [id, DEFAULT_CATALOG.products[id].name]),
) as Record<ProductId, string>

/**
 * 微粒贷 stars 1–7 → daily rate, in equal steps across the product's own range in the catalog:
 * the top of it at one star, the bottom at seven (七星) — 0.05% … 0.02% in the default catalog.
 */
export function weilidaiTierRatePpm(stars: number, range: { min: Ppm; max: Ppm }): Ppm {
  const s = Math.min(7, Math.max(1, Math.round(stars)))
  return range.max - Math.round(((s - 1) * (range.max - range.min)) / 6)
}
