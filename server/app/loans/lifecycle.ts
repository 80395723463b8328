// The loan after the application: the overdue job, the held drawdown, the 24-hour cooling-off
// cancel and repayment. Every state change goes through the pure `transition` and is persisted
// with compare-and-set; on a lost race the event is decided again on the stored loan, so of a
// cancel and a repayment sent together exactly one wins.
import { fail, ok, type ApiResult, type LoanView } from '../../../src/api'
import { transition, type LoanEvent } from '../../../src/domain/loan'
import type { Ports } from '../../ports'
import { COLLECTIONS } from '../../schema'
import { requireUser } from '../guard'
import { changeUser } from '../users'
import { ownLoan, trackOf, type LoanDoc } from './docs'
import { auditStep, runEffects, writeAudit } from './records'
import { view } from './view'
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
    const r = await act(ports, doc.data.openid, doc.id, { type: 'MARK_OVERDUE' })
    if (r.ok) marked++
    else skipped++
  }
  return { marked, skipped }
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
  return act(ports, openid, input.loanId, { type: 'DISBURSE' })
}

export const cancel: UseCase<'loans', 'cancel'> = (ports, openid, input) => {
  return act(ports, openid, input.loanId, { type: 'CANCEL' })
}

export const repay: UseCase<'loans', 'repay'> = (ports, openid, input) => {
  return act(ports, openid, input.loanId, { type: 'REPAY', amount: input.amountFen })
}

/** Decide the event on the stored loan and persist it with compare-and-set; on a lost race, decide again. */
async function act(ports: Ports, openid: string, loanId: string, event: LoanEvent): Promise<ApiResult<LoanView>> {
  for (let attempt = 0; attempt < 8; attempt++) {
    const doc = await ownLoan(ports, openid, loanId)
    if (!doc) return fail('NOT_FOUND', { field: 'loanId' })
    const now = ports.clock.now()
    const t = transition(doc.data.loan, event, now)
    if (!t.ok) {
      return fail(t.code, {
        message: t.message,
        detail: t.allowedFen ? t.allowedFen.join(',') : undefined,
      })
    }
    const saved = await ports.store.update<LoanDoc>(COLLECTIONS.loans, loanId, doc.version, {
      ...doc.data,
      loan: t.loan,
      track: trackOf(t.loan),
    })
    if (!saved.ok) continue
    await runEffects(ports, openid, t.loan, doc.version, t.effects, now)
    await writeAudit(ports, openid, t.loan, doc.version, [auditStep(event, t.loan, t.effects)], now)
    // Principal that came back frees the line again.
    const freed = t.effects.reduce(
      (sum, e) =>
        sum + (e.type === 'RECEIPT' && (e.kind === 'repay' || e.kind === 'cancel') ? e.breakdown.principalFen : 0),
      0,
    )
    if (freed > 0) await releaseLine(ports, openid, t.loan.product, freed, now)
    return ok(view(t.loan, now))
  }
  return fail('CONFLICT')
}

export async function releaseLine(
  ports: Ports,
  openid: string,
  product: string,
  amountFen: number,
  now: number,
): Promise<void> {
  await changeUser(ports.store, openid, now, (u) => ({
    write: { ...u, lineUsage: { ...u.lineUsage, [product]: Math.max(0, (u.lineUsage?.[product] ?? 0) - amountFen) } },
    result: null,
  }))
}
