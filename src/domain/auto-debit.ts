// Automatic debit (自动扣款), as a pure plan: on an installment's due day, what is due is debited
// from the bound card at 09:00 China time, and, if that fails, again at 13:00 and 18:00 — three
// attempts within the day, never in the quiet hours (from 22:00), never two within an hour (a run
// that missed a time catches up, spaced). A day that ends without a debit leaves the installment to the
// overdue rules and the reminders; the next installment's day starts again. Each attempt has its
// own id (the loan, the day, its number), so making it again makes nothing twice.
import { HOUR_MS, chinaDateString, fromChinaDateTime } from './china-time'
import { dueAt, inRepayment, openLines, type Loan } from './loan'
import type { Fen } from './money'
import type { PaymentState } from './payment'
import { QUIET_FROM_HOUR } from './reminders'

/** China-time hours of the day's attempts: the first, then the two retries. */
export const DEBIT_HOURS = [9, 13, 18] as const

/** Never two attempts closer than this, however late a run comes. */
export const DEBIT_MIN_GAP_MS = HOUR_MS

export interface DebitPlan {
  /** The due day (China date) the attempt belongs to. */
  dueDate: string
  /** 1, 2 or 3. */
  attempt: number
  amountFen: Fen
}

/** What became of one of the day's attempts (its payment). */
export interface DebitAttempt {
  state: PaymentState
  createdAt: number
}

/** When attempt `n` (1-based) of a China date may start. */
export function attemptTime(dueDate: string, n: number): number {
  const [year, month, day] = dueDate.split('-').map(Number)
  return fromChinaDateTime({ year, month, day, hour: DEBIT_HOURS[n - 1] })
}

/**
 * The attempt to make now for a loan whose line has automatic debit on, given the attempts
 * already made for today (oldest first); null when there is none: no installment falls due
 * today, it is not yet 09:00, an attempt is still in flight or has paid, or all three failed.
 */
export function nextDebit(loan: Loan, now: number, attempts: DebitAttempt[]): DebitPlan | null {
  if (!inRepayment(loan.state)) return null
  const today = chinaDateString(now)
  if (!openLines(loan).some((l) => l.dueDate === today)) return null
  if (attempts.some((a) => a.state !== 'failed' && a.state !== 'expired')) return null
  const n = attempts.length + 1
  if (n > DEBIT_HOURS.length || now < attemptTime(today, n)) return null
  // Never in the quiet hours: a run that comes after 22:00 leaves the day to the overdue rules.
  if (now >= quietFrom(today)) return null
  const last = attempts[attempts.length - 1]
  if (last && now - last.createdAt < DEBIT_MIN_GAP_MS) return null
  const amountFen = debitableFen(loan, now, today)
  return amountFen > 0 ? { dueDate: today, attempt: n, amountFen } : null
}

/**
 * What a debit for the due day `dueDate` may take at `now`: the overdue charges to date and every
 * line still open that falls due on or before that day — never a line not yet due (a debit is not
 * a prepayment the borrower chose). Money a debit brings beyond this (the borrower paid meanwhile)
 * goes back to the card.
 */
export function debitableFen(loan: Loan, now: number, dueDate: string): Fen {
  if (!inRepayment(loan.state)) return 0
  const due = dueAt(loan, now)
  const owed = openLines(loan)
    .filter((l) => l.dueDate <= dueDate)
    .reduce((sum, l) => sum + l.totalFen, due.pastDue.overdueFen)
  // Never more than settles the loan (a short last period's interest to the day is less than its line's).
  return Math.min(owed, due.payoff.totalFen)
}

/** When a China date's quiet hours begin (22:00): no debit is asked for from then on. */
export function quietFrom(dueDate: string): number {
  const [year, month, day] = dueDate.split('-').map(Number)
  return fromChinaDateTime({ year, month, day, hour: QUIET_FROM_HOUR })
}

/** Whether a debit for `dueDate` may still be asked for at `now`: on that day, before its quiet hours. */
export function debitDayOpen(dueDate: string, now: number): boolean {
  return chinaDateString(now) === dueDate && now < quietFrom(dueDate)
}
