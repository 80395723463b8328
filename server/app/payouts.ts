// The payout (放款): an approved loan is `disbursing` until the lender's gateway confirms the money
// reached the bound debit card; then it is `disbursed` — its plan runs and its 24-hour cooling-off
// counts from then — and its payout posts to the books. A failed payout ends the loan with no
// money out and gives its line back, and the borrower is told. Each step is safe to repeat: the
// payout is asked for once per id (the loan's), and its outcome is recorded once, through the
// loan's compare-and-set; the payout job asks about every loan still disbursing.
import type { Loan } from '../../src/domain/loan'
import type { Doc, Ports } from '../ports'
import { COLLECTIONS } from '../schema'
import { loadUser, type UserDoc } from './users'
import { applyLoanEvent } from './loans/lifecycle'
import type { LoanDoc } from './loans/docs'
import type { MessageDoc } from './reminders'

/** A loan's payout id: one per loan, so asking again never pays twice. */
export const payoutIdOf = (loanId: string) => `po_${loanId.replace(/^L_/, '')}`

/** The loan a payout id names. */
export const loanIdOfPayout = (payoutId: string) => `L_${payoutId.replace(/^po_/, '')}`

/** What a caller that just wrote the loan (a drawdown) already holds: not read again. */
export interface KnownLoan {
  id: string
  data: LoanDoc
  user: UserDoc | null
}

/**
 * Asks for the payout of a loan now disbursing, then (unless `settle` is false) records its outcome
 * if the gateway already has one. A refused request cancels the loan only if the gateway has no
 * payout under its id (a refused duplicate of one that reached it is not a failure). Answers the
 * loan as this call recorded it, or null when it recorded nothing (the payout still on its way).
 */
export async function startPayout(
  ports: Ports,
  openid: string,
  loanId: string,
  opts: { settle?: boolean; known?: KnownLoan } = {},
): Promise<Loan | null> {
  const doc = opts.known ?? (await ports.store.get<LoanDoc>(COLLECTIONS.loans, loanId))
  if (!doc || doc.data.openid !== openid || doc.data.loan.state !== 'disbursing') return null
  const user = opts.known ? opts.known.user : ((await loadUser(ports.store, openid))?.data ?? null)
  const card = user?.cards?.[0]
  const payoutId = payoutIdOf(loanId)
  try {
    const sent = card
      ? await ports.payouts.send({
          payoutId,
          loanId,
          amountFen: doc.data.loan.amountFen,
          cardToken: card.token,
          last4: card.last4,
          subjectHash: user?.identity?.idHash ?? '',
        })
      : { ok: false as const, detail: 'NO_CARD' }
    if (!sent.ok) {
      ports.log.warn('payout_refused', { loanId, detail: sent.detail })
      const q = card ? await ports.payouts.query(payoutId) : { found: false as const }
      if (!q.found) return record(ports, openid, loanId, { type: 'PAYOUT_FAILED', reason: sent.detail })
    }
  } catch (error) {
    // Not known to have reached the gateway: the payout job asks again (the same id pays once).
    ports.log.warn('payout_send_failed', { loanId, error: error instanceof Error ? error.message : String(error) })
    return null
  }
  return opts.settle === false ? null : (await settle(ports, doc)).loan
}

/** Asks the gateway about a disbursing loan's payout and records what it says. */
export async function settlePayout(
  ports: Ports,
  loanId: string,
): Promise<'disbursing' | 'disbursed' | 'cancelled' | 'unknown'> {
  const doc = await ports.store.get<LoanDoc>(COLLECTIONS.loans, loanId)
  if (!doc) return 'unknown'
  if (doc.data.loan.state !== 'disbursing') return doc.data.loan.state === 'cancelled' ? 'cancelled' : 'disbursed'
  return (await settle(ports, doc)).state
}

/** settlePayout for a loan read as disbursing: what it is now, and the loan if this call recorded its outcome. */
async function settle(
  ports: Ports,
  doc: Pick<Doc<LoanDoc>, 'id' | 'data'>,
): Promise<{ state: 'disbursing' | 'disbursed' | 'cancelled'; loan: Loan | null }> {
  const loanId = doc.id
  const ask = async () => {
    try {
      return await ports.payouts.query(payoutIdOf(loanId))
    } catch (error) {
      ports.log.warn('payout_query_failed', { loanId, error: error instanceof Error ? error.message : String(error) })
      return null
    }
  }
  let q = await ask()
  if (q && !q.found) {
    // Never reached the gateway (a crash or an outage between the loan's write and the request):
    // asked again, once, and then asked about once.
    await startPayout(ports, doc.data.openid, loanId, { settle: false })
    q = await ask()
  }
  if (!q || !q.found || q.state === 'PROCESSING') {
    const now = (await ports.store.get<LoanDoc>(COLLECTIONS.loans, loanId))?.data.loan.state
    return { state: now === 'cancelled' ? 'cancelled' : 'disbursing', loan: null }
  }
  if (q.state === 'SUCCESS') {
    const loan = await record(ports, doc.data.openid, loanId, {
      type: 'PAYOUT_CONFIRMED',
      at: q.at ?? ports.clock.now(),
    })
    return { state: 'disbursed', loan }
  }
  const loan = await record(ports, doc.data.openid, loanId, {
    type: 'PAYOUT_FAILED',
    reason: q.failure ?? 'PAYOUT_FAILED',
  })
  return { state: 'cancelled', loan }
}

async function record(
  ports: Ports,
  openid: string,
  loanId: string,
  event: { type: 'PAYOUT_CONFIRMED'; at: number } | { type: 'PAYOUT_FAILED'; reason: string },
): Promise<Loan | null> {
  const now = ports.clock.now()
  const t = await ports.store.transact(async (tx) => {
    const r = await applyLoanEvent(ports, tx, openid, loanId, event, now)
    // The borrower is told in the same write (the message center; the loan, cancelled, says why).
    if (r?.ok && event.type === 'PAYOUT_FAILED')
      await tx.create<MessageDoc>(COLLECTIONS.messages, `${loanId}:payout-failed`, {
        openid,
        loanId,
        kind: 'payout-failed',
        title: '放款未成功',
        body: '银行卡未能收到这笔借款，借款已取消，没有产生任何利息和费用；额度已恢复。请检查银行卡状态后重新借款。',
        at: now,
        read: false,
      })
    return r
  })
  if (t?.ok && event.type === 'PAYOUT_FAILED') ports.log.warn('payout_failed', { loanId, reason: event.reason })
  // The loan as recorded here (null: another run recorded it first, or it was not the loan's to record).
  return t?.ok ? t.loan : null
}

/** The payout job: every loan still disbursing is asked about (the timer; the local cloud's interval). */
export async function runPayoutJobs(
  ports: Ports,
  limit = 200,
): Promise<{ disbursed: number; failed: number; waiting: number }> {
  const docs = await ports.store.query<LoanDoc>(COLLECTIONS.loans, { index: 'byPayout', eq: 1, limit })
  const out = { disbursed: 0, failed: 0, waiting: 0 }
  for (const d of docs) {
    // One loan's trouble never stops the others (nor the jobs after this one).
    const r = await settlePayout(ports, d.id).catch((error: unknown) => {
      ports.log.error('payout_job_failed', {
        loanId: d.id,
        error: error instanceof Error ? error.message : String(error),
      })
      return 'disbursing' as const
    })
    if (r === 'disbursed') out.disbursed++
    else if (r === 'cancelled') out.failed++
    else out.waiting++
  }
  return out
}
