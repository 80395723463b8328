// The local cloud's payout rail (the lender's gateway in production): payouts kept in the store,
// each landing by itself `confirmAfterMs` of real time after it was asked for (2 s at most in the
// served local cloud; at once in tests) unless the dev endpoint says it failed first
// (POST /__dev/payouts/<payoutId> { "outcome": "fail" }). It can also be made to throw.
import { Outages } from './outages'
import type { Payouts, Store } from '../../ports'

export const SIM_PAYOUTS = 'simPayouts'

interface SimPayout {
  payoutId: string
  loanId: string
  amountFen: number
  askedAtMs: number
  state: 'PROCESSING' | 'SUCCESS' | 'FAILED'
  at: number | null
  failure: string | null
}

export class SimPayouts implements Payouts {
  /** Makes the next `n` calls of an operation throw, as an unreachable gateway does (tests). */
  readonly outages = new Outages<'send' | 'query'>('lender gateway payouts')

  constructor(
    private readonly store: Store,
    private readonly now: () => number,
    /** How long a payout takes to land, in real time. */
    public confirmAfterMs = 0,
    private readonly realNow: () => number = Date.now,
  ) {}

  async send(p: Parameters<Payouts['send']>[0]): Promise<{ ok: true } | { ok: false; detail: string }> {
    this.outages.hit('send')
    if (!Number.isSafeInteger(p.amountFen) || p.amountFen < 1) return { ok: false, detail: 'amount must be whole fen' }
    const existing = await this.store.get<SimPayout>(SIM_PAYOUTS, p.payoutId)
    if (existing)
      return existing.data.amountFen === p.amountFen ? { ok: true } : { ok: false, detail: 'payout id reused' }
    // A rail that lands at once (tests, benchmarks) records it landed in the same write, as a bank
    // that answers a transfer synchronously does; otherwise it is processing until its time comes.
    const atOnce = this.confirmAfterMs <= 0
    const inserted = await this.store.insert<SimPayout>(SIM_PAYOUTS, p.payoutId, {
      payoutId: p.payoutId,
      loanId: p.loanId,
      amountFen: p.amountFen,
      askedAtMs: this.realNow(),
      state: atOnce ? 'SUCCESS' : 'PROCESSING',
      at: atOnce ? this.now() : null,
      failure: null,
    })
    // Two sends at once: the other one made it, and the same id answers the same payout.
    if (!inserted.ok && (await this.store.get<SimPayout>(SIM_PAYOUTS, p.payoutId))?.data.amountFen !== p.amountFen)
      return { ok: false, detail: 'payout id reused' }
    return { ok: true }
  }

  async query(payoutId: string) {
    this.outages.hit('query')
    for (let i = 0; i < 5; i++) {
      const doc = await this.store.get<SimPayout>(SIM_PAYOUTS, payoutId)
      if (!doc) return { found: false as const }
      const p = doc.data
      if (p.state !== 'PROCESSING' || this.realNow() < p.askedAtMs + this.confirmAfterMs)
        return { found: true as const, state: p.state, at: p.at, failure: p.failure }
      // Its time has come: it lands.
      const landed: SimPayout = { ...p, state: 'SUCCESS', at: this.now() }
      if ((await this.store.update(SIM_PAYOUTS, payoutId, doc.version, landed)).ok)
        return { found: true as const, state: landed.state, at: landed.at, failure: null }
    }
    throw new Error('simulated payouts: payout kept changing')
  }

  /** The dev endpoint: the payout fails (the card refused it), if it has not landed yet. False if none. */
  async fail(payoutId: string, failure = 'CARD_REJECTED'): Promise<'failed' | 'landed' | 'missing'> {
    for (let i = 0; i < 5; i++) {
      const doc = await this.store.get<SimPayout>(SIM_PAYOUTS, payoutId)
      if (!doc) return 'missing'
      if (doc.data.state === 'SUCCESS') return 'landed'
      if (doc.data.state === 'FAILED') return 'failed'
      if ((await this.store.update(SIM_PAYOUTS, payoutId, doc.version, { ...doc.data, state: 'FAILED', failure })).ok)
        return 'failed'
    }
    return 'missing'
  }
}
