// Repayment reminder planning (docs/product-rules.md §6): for each unpaid installment, reminders at D-3, D-1
// and D0 before its due date and D+1, D+3, D+7 after it, at 09:00 China time, never in the quiet
// hours 22:00–08:00. Each has a dedupe key (loan, installment, kind) so it is sent at most once.
// A transparent lateness-risk score orders the work: likelier-to-be-late borrowers go first.
import { DAY_MS, fromChinaDateTime, toChinaDateTime } from './china-time'
import type { Fen } from './money'
import type { Loan } from './loan'

export const REMINDER_KINDS = ['D-3', 'D-1', 'D0', 'D+1', 'D+3', 'D+7'] as const
export type ReminderKind = (typeof REMINDER_KINDS)[number]
const OFFSET_DAYS: Record<ReminderKind, number> = { 'D-3': -3, 'D-1': -1, D0: 0, 'D+1': 1, 'D+3': 3, 'D+7': 7 }

export const SEND_HOUR = 9
export const QUIET_FROM_HOUR = 22
export const QUIET_UNTIL_HOUR = 8

export interface PlannedReminder {
  /** `${loanId}:${n}:${kind}` — the claim id that makes a send happen at most once. */
  key: string
  loanId: string
  n: number
  kind: ReminderKind
  sendAt: number
  dueDate: string
  amountFen: Fen
}

export function isQuietHour(now: number): boolean {
  const { hour } = toChinaDateTime(now)
  return hour >= QUIET_FROM_HOUR || hour < QUIET_UNTIL_HOUR
}

/** Every reminder of every unpaid line of an open loan; none for a loan that is closed or cancelled. */
export function planReminders(loan: Pick<Loan, 'id' | 'state' | 'schedule' | 'paidInstallments'>): PlannedReminder[] {
  if (loan.state !== 'disbursed' && loan.state !== 'repaying' && loan.state !== 'overdue') return []
  const out: PlannedReminder[] = []
  for (const line of loan.schedule.slice(loan.paidInstallments)) {
    const due = toChinaDateTime(line.dueAt)
    const dueMorning = fromChinaDateTime({ year: due.year, month: due.month, day: due.day, hour: SEND_HOUR })
    for (const kind of REMINDER_KINDS) {
      out.push({
        key: `${loan.id}:${line.n}:${kind}`,
        loanId: loan.id,
        n: line.n,
        kind,
        // China has no daylight saving: whole days are exact.
        sendAt: dueMorning + OFFSET_DAYS[kind] * DAY_MS,
        dueDate: line.dueDate,
        amountFen: line.totalFen,
      })
    }
  }
  return out
}

/**
 * The reminders to send at `now`: outside quiet hours, whose time has come, and per line only
 * the latest such kind — after downtime a borrower gets one current reminder, not a burst of stale ones.
 */
export function dueReminders(planned: PlannedReminder[], now: number): PlannedReminder[] {
  if (isQuietHour(now)) return []
  const latest = new Map<string, PlannedReminder>()
  for (const r of planned) {
    if (r.sendAt > now) continue
    const line = `${r.loanId}:${r.n}`
    const seen = latest.get(line)
    if (!seen || r.sendAt > seen.sendAt) latest.set(line, r)
  }
  return [...latest.values()]
}

export interface LatenessInputs {
  /** Past installments paid after their due date (or still unpaid past it). */
  latePayments: number
  /** Outstanding principal as a share of the limit, in ‰. */
  utilisationPermille: number
  /** Days since the borrower last repaid anything (or since disbursement). */
  daysSinceLastRepayment: number
}

/** 0–100, and how it was made: late payments up to 50, utilisation up to 30, silence up to 20. */
export function latenessRisk(x: LatenessInputs): {
  score: number
  parts: { late: number; utilisation: number; silence: number }
} {
  const late = Math.round((Math.min(Math.max(x.latePayments, 0), 3) / 3) * 50)
  const utilisation = Math.round((Math.min(Math.max(x.utilisationPermille, 0), 1000) / 1000) * 30)
  const silence = Math.round((Math.min(Math.max(x.daysSinceLastRepayment, 0), 60) / 60) * 20)
  return { score: late + utilisation + silence, parts: { late, utilisation, silence } }
}

/** Riskier borrowers first; then earlier reminders; then by key, so the order is deterministic. */
export function orderByRisk<T extends { risk: number; reminder: PlannedReminder }>(items: T[]): T[] {
  return [...items].sort(
    (a, b) => b.risk - a.risk || a.reminder.sendAt - b.reminder.sendAt || (a.reminder.key < b.reminder.key ? -1 : 1),
  )
}
