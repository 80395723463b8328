// The loan after the application: the overdue job, the review that expires, the held drawdown,
// the 24-hour cooling-off cancel and repayment. Every state change goes through the pure
// `transition` and is written in one transaction with what it frees of the line; on a conflict
// the event is decided again on the stored loan, so of a cancel and a repayment sent together
// exactly one wins.
import type { Channel } from '../../../src/domain/journal'
import { debitDayOpen } from '../../../src/domain/auto-debit'
import { fail, ok, type ApiResult, type LoanView } from '../../../src/api'
import { transition as lineTransition, type LineEvent } from '../../../src/domain/line'
import { lineUseFen, transition, type LoanEvent, type TransitionResult } from '../../../src/domain/loan'
import type { Ports, StoreTx } from '../../ports'
import { COLLECTIONS } from '../../schema'
import { requireUser } from '../guard'
import { writeLine, type LineDoc } from '../lines'
import { ownLoan, trackOf, type LoanDoc } from './docs'
import { auditStep, runEffects, writeAudit } from './records'
import { view } from './view'
import { startPayout } from '../payouts'
import type { UseCase } from '../use-case'

/**
 * The overdue job (a timer in WeChat Cloud; POST /__dev/loans/accrue locally): marks loans whose
 * next line is past due, through the same compare-and-set path as cancel and repay, so a
 * repayment landing at the same moment either wins or is decided after it. Overdue charges
 * accrue by the day from the due date whatever the flag says; marking makes the state visible.
 */
export async function markOverdue(ports: Ports, limit = 100): Promise<{ marked: number; skipped: number }> {
  const now = ports.clock.now()
  const due = await ports.store.query<LoanDoc>(COLLECTIONS.loans, { index: 'byDue', eq: 1, lt: now + 1, limit })
  let marked = 0
  let skipped = 0
  for (const doc of due) {
    // With automatic debit on, an installment falling due today is not overdue while the day's
    // debits may still take it (until 22:00): the borrower was promised 09:00, 13:00 and 18:00.
    if (await debitMayStillTake(ports, doc.data, now)) {
      skipped++
      continue
    }
    const r = await act(ports, doc.data.openid, doc.id, { type: 'MARK_OVERDUE' })
    if (r.ok) marked++
    else skipped++
  }
  return { marked, skipped }
}

/** Whether the loan's oldest unpaid installment falls due today and its line's automatic debit may still take it. */
async function debitMayStillTake(ports: Ports, d: LoanDoc, now: number): Promise<boolean> {
  const next = d.loan.schedule[d.loan.paidInstallments]
  if (!next || !debitDayOpen(next.dueDate, now) || !d.lineId) return false
  return Boolean((await ports.store.get<LineDoc>(COLLECTIONS.lines, d.lineId))?.data.line.autoDebit)
}

/**
 * A drawdown's review nobody decided within 7 days ends as refused (REVIEW_EXPIRED), and what it
 * reserved goes back to the line: run by the line job.
 */
export async function expireLoanReviews(ports: Ports, loans: Array<{ id: string; data: LoanDoc }>) {
  let expired = 0
  for (const d of loans)
    if (d.data.loan.state === 'review' && (await act(ports, d.data.openid, d.id, { type: 'EXPIRE_REVIEW' })).ok)
      expired++
  return expired
}

/** A loan approved but held (face again before drawdown) is disbursed once a face session started after the application has passed. */
export const drawdown: UseCase<'loans', 'drawdown'> = async (ports, openid, input) => {
  const doc = await ownLoan(ports, openid, input.loanId)
  if (!doc) return fail('NOT_FOUND', { field: 'loanId' })
  // The hold came with the application: only a face session started after it may release it.
  if (doc.data.loan.state === 'approved') {
    const caller = await requireUser(ports, openid, { agreements: false, freshFaceAfter: doc.data.loan.appliedAt })
    if (!caller.ok) return caller
  }
  const asked = await act(ports, openid, input.loanId, { type: 'DISBURSE' })
  if (!asked.ok || asked.data.state !== 'disbursing') return asked
  await startPayout(ports, openid, input.loanId)
  const now = await ownLoan(ports, openid, input.loanId)
  return now ? ok(view(now.data.loan, ports.clock.now())) : asked
}

/** A cancel that moves no money (a loan held before its payout): decided and written at once. */
export function cancelNow(ports: Ports, openid: string, input: { loanId: string }): Promise<ApiResult<LoanView>> {
  return act(ports, openid, input.loanId, { type: 'CANCEL' })
}

/**
 * Decide the event on the stored loan and write it, in one transaction with its line, its receipts
 * and its audit entry: what the change frees of the line (a refusal or a cancel before the payout gives the reservation back,
 * repaid principal becomes available again) is released in the same write. A conflict means
 * the event is decided again on what is stored.
 */
async function act(ports: Ports, openid: string, loanId: string, event: LoanEvent): Promise<ApiResult<LoanView>> {
  const now = ports.clock.now()
  const done = await ports.store.transact((tx) => applyLoanEvent(ports, tx, openid, loanId, event, now))
  if (done === null) return fail('NOT_FOUND', { field: 'loanId' })
  if (!done.ok) return fail(done.code, { message: done.message, detail: done.allowedFen?.join(',') })
  return ok(view(done.loan, now))
}

/**
 * Decides `event` on the stored loan inside `tx` (as of `decideAt`) and writes what it changes,
 * recorded at `now`: the loan, what it
 * frees of its line, its receipts and journal entries (named by `eventId` when a money event
 * caused it — a confirmed payment — so the same event never posts twice), its audit entry. Null
 * when the caller has no such loan.
 */
export async function applyLoanEvent(
  ports: Ports,
  tx: StoreTx,
  openid: string,
  loanId: string,
  event: LoanEvent,
  now: number,
  eventId?: string,
  /** When the event is decided as of (a repayment: when its amount was shown); recorded at `now`. */
  decideAt: number = now,
  /** Where a payment's money came in (its journal entry's clearing account). */
  channel: Channel = 'wechatPay',
): Promise<TransitionResult | null> {
  const doc = await tx.get<LoanDoc>(COLLECTIONS.loans, loanId)
  if (!doc || doc.data.openid !== openid) return null
  const t = transition(doc.data.loan, event, decideAt)
  if (!t.ok) return t
  await tx.update<LoanDoc>(COLLECTIONS.loans, loanId, doc.version, {
    ...doc.data,
    loan: t.loan,
    track: trackOf(t.loan),
  })
  const freed = lineUseFen(doc.data.loan) - lineUseFen(t.loan)
  if (freed > 0) await giveBack(tx, doc.data.lineId, event, t.loan.id, freed, now)
  await runEffects(ports, tx, openid, t.loan, doc.version, t.effects, now, eventId, channel)
  await writeAudit(tx, openid, t.loan, doc.version, [auditStep(event, t.loan, t.effects)], now)
  return t
}

/** Release what a loan's change freed on its line: principal repaid, or an amount given back (refused, cancelled). */
async function giveBack(tx: StoreTx, id: string, cause: LoanEvent, loanId: string, freed: number, now: number) {
  // A loan from before lines that the migration has not reached yet has none to give back to.
  const line = id ? await tx.get<LineDoc>(COLLECTIONS.lines, id) : null
  if (!line) return
  const event: LineEvent =
    cause.type === 'REPAY'
      ? { type: 'REPAID', loanId, principalFen: freed }
      : { type: 'RELEASE', loanId, amountFen: freed }
  const r = lineTransition(line.data.line, event, now)
  if (r.ok) await writeLine(tx, id, line, { ...line.data, line: r.line })
}
