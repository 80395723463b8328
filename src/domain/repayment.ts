// Early repayment quotes and overdue charges, to the fen.
// - Early repayment: no penalty. Daily-interest loans pay interest to the day; amortized loans
//   pay the outstanding principal plus interest accrued to the day since the last due date;
//   fee installments pay the outstanding principal plus the current month's fee pro rata by day.
//   A drawdown fee not yet paid (it rides on the first repayment) is due with it.
// - Days are China calendar days between the two instants (a repayment on the day of
//   disbursement counts 0 days; the 24-hour cooling-off covers that day anyway).
// - Overdue (docs/product-rules.md §1): 微粒贷 contract daily rate × 1.5 on overdue principal; WE2000 and
//   小鹅花钱 0.05% a day on the overdue amount.
import type { OverdueRule } from './catalog'
import { DAY_MS, fromChinaDateTime, toChinaDateTime } from './china-time'
import { PPM, mulDivHalfUp, type Fen } from './money'
import type { Offer } from './pricing'
import { dailyInterest } from './schedule'

/** Whole China calendar days from the date of `from` to the date of `to` (negative if earlier). */
export function chinaDaysBetween(from: number, to: number): number {
  const midnight = (ms: number) => fromChinaDateTime({ ...toChinaDateTime(ms), hour: 0, minute: 0 })
  return Math.round((midnight(to) - midnight(from)) / DAY_MS)
}

export interface EarlyRepaymentQuote {
  principalFen: Fen
  interestFen: Fen
  feeFen: Fen
  totalFen: Fen
  /** Days of interest (or of the current fee period) counted. */
  days: number
}

export type EarlyRepaymentResult =
  | { ok: true; quote: EarlyRepaymentQuote }
  | { ok: false; code: 'BEFORE_DISBURSEMENT' | 'INSTALLMENT_DUE' | 'INVALID_INPUT'; message: string }

/**
 * What repaying everything at `at` costs, given the first `paidInstallments` lines were paid on
 * time. At or after the next due date that installment is due (or overdue), not early.
 */
export function quoteEarlyRepayment(
  offer: Pick<Offer, 'mode' | 'amountFen' | 'dailyRatePpm' | 'schedule'> & { disbursedAt: number },
  paidInstallments: number,
  at: number,
): EarlyRepaymentResult {
  const { schedule } = offer
  if (!Number.isInteger(paidInstallments) || paidInstallments < 0 || paidInstallments >= schedule.length) {
    return { ok: false, code: 'INVALID_INPUT', message: '已还期数无效。' }
  }
  const since = paidInstallments === 0 ? offer.disbursedAt : schedule[paidInstallments - 1].dueAt
  if (at < offer.disbursedAt) return { ok: false, code: 'BEFORE_DISBURSEMENT', message: '尚未放款。' }
  const next = schedule[paidInstallments]
  if (offer.mode !== 'flexible' && at >= next.dueAt) {
    return { ok: false, code: 'INSTALLMENT_DUE', message: `第 ${next.n} 期已到期，请先偿还该期。` }
  }
  const principalFen = schedule.slice(paidInstallments).reduce((s, l) => s + l.principalFen, 0)
  const days = Math.max(0, chinaDaysBetween(since, at))
  // The drawdown fee rides on line 1; in the fee-installment mode line 1's fee is the monthly fee.
  const drawdownFee = paidInstallments === 0 && offer.mode !== 'fee-installment' ? schedule[0].feeFen : 0
  let interestFen = 0
  let feeFen = drawdownFee
  if (offer.mode === 'fee-installment') {
    const periodDays = Math.max(1, chinaDaysBetween(since, next.dueAt))
    feeFen += mulDivHalfUp([next.feeFen, Math.min(days, periodDays)], periodDays)
  } else {
    interestFen = dailyInterest(principalFen, offer.dailyRatePpm, days)
  }
  return { ok: true, quote: { principalFen, interestFen, feeFen, totalFen: principalFen + interestFen + feeFen, days } }
}

/** The overdue charge for `days` days late under the product's rule. */
export function overdueCharge(
  rule: OverdueRule,
  late: { overduePrincipalFen: Fen; overdueAmountFen: Fen; contractDailyRatePpm: number; days: number },
): Fen {
  const days = Math.max(0, Math.floor(late.days))
  if (rule.on === 'principal') {
    return mulDivHalfUp(
      [late.overduePrincipalFen, late.contractDailyRatePpm, rule.contractRateMultiplierPermille, days],
      PPM * 1000,
    )
  }
  return mulDivHalfUp([late.overdueAmountFen, rule.dailyPpm, days], PPM)
}
