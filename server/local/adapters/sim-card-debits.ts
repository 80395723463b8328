// The local cloud's card-debit rail (代扣; the lender's gateway in production): debits kept in the
// store, each decided `settleAfterMs` of real time after it was asked for (at once by default) by
// the simulated profile — taken if the card holds enough (SimProfile.cardBalanceFen), refused
// INSUFFICIENT_FUNDS if not; money taken goes back once per refund number, never more than was
// taken. It can be made to throw (an unreachable gateway) and to answer an asked-for debit as
// not found once (a request lost on the way), and its records are the day's statement for
// reconciliation.
import { Outages } from './outages'
import { recordMovement, simStatement } from './sim-statements'
import type { StatementLine } from '../../../src/domain/reconcile'
import { DEFAULT_CARD_BALANCE_FEN, type SimWorld } from './simulators'
import type { CardDebits, Store } from '../../ports'

export const SIM_CARD_DEBITS = 'simCardDebits'

export interface SimDebit {
  debitId: string
  loanId: string
  openid: string
  amountFen: number
  askedAtMs: number
  state: 'PROCESSING' | 'SUCCESS' | 'FAILED'
  reference: string | null
  at: number | null
  failure: string | null
  refunds: Record<string, number>
}

export class SimCardDebits implements CardDebits {
  readonly outages = new Outages<'send' | 'query' | 'refund' | 'statement'>('lender gateway card debits')

  constructor(
    private readonly store: Store,
    private readonly world: Pick<SimWorld, 'profile'>,
    private readonly now: () => number,
    public settleAfterMs = 0,
    private readonly realNow: () => number = Date.now,
  ) {}

  /** Changes a debit; money it moved goes on the day's debit file in the same transaction. */
  private async change(debitId: string, edit: (d: SimDebit) => SimDebit | null): Promise<SimDebit | null> {
    return this.store.transact(async (tx) => {
      const doc = await tx.get<SimDebit>(SIM_CARD_DEBITS, debitId)
      if (!doc) return null
      const next = edit(doc.data)
      if (!next) return doc.data
      await tx.update(SIM_CARD_DEBITS, debitId, doc.version, next)
      const row = { ref: debitId, transactionId: next.reference, paidAt: next.at ?? 0 }
      if (next.state === 'SUCCESS' && doc.data.state !== 'SUCCESS' && next.at !== null)
        await recordMovement(tx, 'cardDebit', debitId, { ...row, kind: 'received', fen: next.amountFen, at: next.at })
      for (const [no, fen] of Object.entries(next.refunds))
        if (doc.data.refunds[no] === undefined)
          await recordMovement(tx, 'cardDebit', `${debitId}:${no}`, { ...row, kind: 'refunded', fen, at: this.now() })
      return next
    })
  }

  /** The gateway's debit file for the day, from the statement rows its debits and refunds wrote. */
  async statement(date: string): Promise<StatementLine[]> {
    this.outages.hit('statement')
    return simStatement(this.store, 'cardDebit', date)
  }

  async send(d: Parameters<CardDebits['send']>[0]): Promise<{ ok: true } | { ok: false; detail: string }> {
    this.outages.hit('send')
    if (!Number.isSafeInteger(d.amountFen) || d.amountFen < 1) return { ok: false, detail: 'amount must be whole fen' }
    if (!/^\d{4}$/.test(d.last4) || !d.cardToken) return { ok: false, detail: 'NO_CARD' }
    const existing = await this.store.get<SimDebit>(SIM_CARD_DEBITS, d.debitId)
    if (existing)
      return existing.data.amountFen === d.amountFen ? { ok: true } : { ok: false, detail: 'debit id reused' }
    const inserted = await this.store.insert<SimDebit>(SIM_CARD_DEBITS, d.debitId, {
      debitId: d.debitId,
      loanId: d.loanId,
      openid: d.openid,
      amountFen: d.amountFen,
      askedAtMs: this.realNow(),
      state: 'PROCESSING',
      reference: null,
      at: null,
      failure: null,
      refunds: {},
    })
    // Two sends at once: the other made it, and the same id answers the same debit.
    return inserted.ok || (await this.store.get<SimDebit>(SIM_CARD_DEBITS, d.debitId))?.data.amountFen === d.amountFen
      ? { ok: true }
      : { ok: false, detail: 'debit id reused' }
  }

  async query(debitId: string) {
    this.outages.hit('query')
    const doc = await this.store.get<SimDebit>(SIM_CARD_DEBITS, debitId)
    if (!doc) return { found: false as const }
    let d = doc.data
    if (d.state === 'PROCESSING' && this.realNow() >= d.askedAtMs + this.settleAfterMs) {
      // Its time has come: the card holds enough, or it does not.
      const balance = (await this.world.profile(d.openid)).cardBalanceFen ?? DEFAULT_CARD_BALANCE_FEN
      const at = this.now()
      d =
        (await this.change(debitId, (x) =>
          x.state !== 'PROCESSING'
            ? null
            : d.amountFen <= balance
              ? { ...x, state: 'SUCCESS', at, reference: `sd${debitId.slice(-20)}` }
              : { ...x, state: 'FAILED', at, failure: 'INSUFFICIENT_FUNDS' },
        )) ?? d
    }
    return {
      found: true as const,
      state: d.state,
      amountFen: d.amountFen,
      reference: d.reference,
      at: d.at,
      failure: d.failure,
    }
  }

  async refund(r: Parameters<CardDebits['refund']>[0]) {
    this.outages.hit('refund')
    let refused: string | null = null
    const d = await this.change(r.debitId, (x) => {
      if (x.refunds[r.refundId] !== undefined) return null
      const back = Object.values(x.refunds).reduce((s, n) => s + n, 0)
      if (x.state !== 'SUCCESS' || r.amountFen < 1 || back + r.amountFen > x.amountFen) {
        refused = x.state !== 'SUCCESS' ? 'NOT_TAKEN' : 'MORE_THAN_TAKEN'
        return null
      }
      return { ...x, refunds: { ...x.refunds, [r.refundId]: r.amountFen } }
    })
    if (!d) return { ok: false as const, detail: 'NOT_FOUND' }
    if (refused) return { ok: false as const, detail: refused }
    return { ok: true as const, refundId: r.refundId }
  }
}
