// Prepayment (提前还部分本金): principal paid beyond what is due, and the plan that remains after it.
// The borrower chooses, as Apache Fineract's reschedule strategies name them:
// - `shorten` (reduce number of installments): the installment stays, the plan ends sooner;
// - `reduce` (reduce installment amount): the plan keeps its dates, each installment is smaller.
// The remaining lines keep their due dates; the last one absorbs the rounding, so the principal
// still sums exactly to what is owed. A flexible (随借随还) loan has one line: prepaying lowers its
// principal and the interest it will carry; shorten and reduce mean the same there.
import { PPM, mulDivHalfUp, type Fen, type Ppm } from './money'
import type { RepaymentMode } from './catalog'
import { dailyInterest, levelPaymentFen, monthlyInterest, type ScheduleLine } from './schedule'

export type PrepayChoice = 'shorten' | 'reduce'
export const PREPAY_CHOICES: readonly PrepayChoice[] = ['shorten', 'reduce']

/**
 * Splits `amountFen` paid toward principal of a flexible loan `days` after its interest began into
 * the principal it retires and that principal's interest to date: p + p·rate·days = amount, with
 * the rounding fen going to interest (so p's interest is never short).
 */
export function splitPrepayment(
  amountFen: Fen,
  dailyRatePpm: Ppm,
  days: number,
): { principalFen: Fen; interestFen: Fen } {
  const principalFen = Math.floor((amountFen * PPM) / (PPM + dailyRatePpm * Math.max(0, days)))
  return { principalFen, interestFen: amountFen - principalFen }
}

/**
 * The lines from `from` on, rebuilt for `principalFen` still owed on them (less than they carried).
 * `lines` are the loan's remaining lines as they stand, none of them due yet.
 */
export function rescheduleAfterPrepayment(input: {
  mode: RepaymentMode
  dailyRatePpm: Ppm
  lines: ScheduleLine[]
  principalFen: Fen
  choice: PrepayChoice
  /** Flexible loans: the days the line's interest runs (disbursement to due date). */
  termDays?: number
}): ScheduleLine[] {
  const { mode, dailyRatePpm: rate, lines, choice } = input
  const P = input.principalFen
  if (lines.length === 0 || P <= 0) return []
  const was = lines.reduce((s, l) => s + l.principalFen, 0)
  const make = (i: number, principalFen: Fen, interestFen: Fen, feeFen: Fen): ScheduleLine => ({
    n: lines[0].n + i,
    dueDate: lines[i].dueDate,
    dueAt: lines[i].dueAt,
    principalFen,
    interestFen,
    feeFen,
    totalFen: principalFen + interestFen + feeFen,
  })
  if (mode === 'flexible') {
    const l = lines[0]
    return [make(0, P, dailyInterest(P, rate, input.termDays ?? 0), l.feeFen)]
  }
  const out: ScheduleLine[] = []
  let balance = P
  if (mode === 'equal-installment') {
    // Shorten keeps the level payment (principal + interest of the next line); reduce finds a new one.
    const payment =
      choice === 'shorten' ? lines[0].principalFen + lines[0].interestFen : levelPaymentFen(P, rate, lines.length)
    for (let i = 0; i < lines.length && balance > 0; i++) {
      const interest = monthlyInterest(balance, rate)
      const last = i === lines.length - 1
      const principal = last ? balance : Math.min(balance, Math.max(1, payment - interest))
      out.push(make(i, principal, interest, lines[i].feeFen))
      balance -= principal
    }
    return out
  }
  // Equal principal and fee installments: shorten keeps each line's principal; reduce spreads what
  // is left over the same lines. A fee installment's fee goes with the principal it is charged on.
  const count = choice === 'shorten' ? Math.ceil(P / Math.max(1, lines[0].principalFen)) : lines.length
  const per = choice === 'shorten' ? lines[0].principalFen : Math.floor(P / count)
  for (let i = 0; i < Math.min(count, lines.length) && balance > 0; i++) {
    const last = i === Math.min(count, lines.length) - 1
    const principal = last ? balance : Math.min(balance, per)
    const interest = mode === 'fee-installment' ? 0 : monthlyInterest(balance, rate)
    const fee =
      mode === 'fee-installment' && choice === 'reduce' ? mulDivHalfUp([lines[i].feeFen, P], was) : lines[i].feeFen
    out.push(make(i, principal, interest, fee))
    balance -= principal
  }
  return out
}
