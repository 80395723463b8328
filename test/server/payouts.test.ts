// The payout: an approved loan is disbursing until the lender's gateway confirms the money reached
// the bound card; only then does it run, count its cooling-off and post to the books. A failed
// payout ends the loan with nothing owed and the line given back, and the borrower is told.
import type { InboxMessage, LineView, LoanView } from '../../src/api'
import { trialBalance, type JournalEntry } from '../../src/domain/journal'
import { runPayoutJobs, payoutIdOf } from '../../server/app/payouts'
import { COLLECTIONS } from '../../server/schema'
import { borrow, onboardBorrower } from '../support/borrower'
import { makeTestCloud, type TestCloud } from '../support/cloud'
import { startHttpCloud } from '../support/http-cloud'
import { borrowOverHttp, onboardOverHttp } from '../support/http-borrower'
import { makeApplicant } from '../support/factories'
import { makeCard } from '../support/cards'

let cloud: TestCloud
beforeEach(async () => {
  cloud = await makeTestCloud()
  await onboardBorrower(cloud)
})
afterEach(() => cloud.close())

const journal = () => [...cloud.ports.store.scan<JournalEntry>(COLLECTIONS.journal)].map((d) => d.data)
const line = async () => {
  const r = await cloud.call<LineView>('lines', 'get', { product: 'we2000' })
  if (!r.ok) throw new Error(r.error.code)
  return r.data
}
const get = async (loanId: string) => {
  const r = await cloud.call<LoanView>('loans', 'get', { loanId })
  if (!r.ok) throw new Error(r.error.code)
  return r.data
}

describe('the payout', () => {
  it('disbursing until the gateway confirms: no plan running, no cooling-off, no repayment, no entry; then disbursed once', async () => {
    cloud.ports.payouts.confirmAfterMs = 60_000
    const loan = await borrow(cloud)
    expect(loan).toMatchObject({ state: 'disbursing', disbursedAt: null, coolingOffEndsAt: null, due: null })
    expect((await line()).inUseFen).toBe(loan.amountFen)
    expect(journal()).toEqual([])
    for (const [action, data] of [
      ['repay', { loanId: loan.id, amountFen: 'all' }],
      ['cancel', { loanId: loan.id }],
    ] as const)
      expect(await cloud.call('loans', action, data)).toMatchObject({
        ok: false,
        error: { code: 'INVALID_TRANSITION' },
      })
    expect((await get(loan.id)).state).toBe('disbursing')
    // It lands: the next read asks the gateway and records it, once.
    cloud.ports.payouts.confirmAfterMs = 0
    cloud.ports.clock.advance(90_000)
    const landed = await get(loan.id)
    expect(landed).toMatchObject({ state: 'disbursed', disbursedAt: cloud.ports.clock.now() })
    expect(landed.coolingOffEndsAt).toBe(cloud.ports.clock.now() + 24 * 3_600_000)
    await get(loan.id)
    await runPayoutJobs(cloud.ports)
    expect(journal().map((e) => e.type)).toEqual(['PAYOUT_CONFIRMED'])
    expect(journal()[0].at).toBe(landed.disbursedAt)
  })

  it('a failed payout: the loan is cancelled with nothing owed, the line is free again, the borrower is told, the books are untouched', async () => {
    cloud.ports.payouts.confirmAfterMs = 60_000
    const loan = await borrow(cloud)
    expect(await cloud.ports.payouts.fail(payoutIdOf(loan.id))).toBe('failed')
    expect(await runPayoutJobs(cloud.ports)).toEqual({ disbursed: 0, failed: 1, waiting: 0 })
    expect(await get(loan.id)).toMatchObject({ state: 'cancelled', reasons: ['PAYOUT_FAILED'], disbursedAt: null })
    expect((await line()).inUseFen).toBe(0)
    const inbox = await cloud.call<{ messages: InboxMessage[] }>('reminders', 'inbox', {})
    expect(inbox.ok && inbox.data.messages.map((m) => m.title)).toEqual(['放款未成功'])
    expect(journal()).toEqual([])
    expect(trialBalance(journal()).balanced).toBe(true)
    // Failed again (a late answer): nothing more happens.
    expect(await runPayoutJobs(cloud.ports)).toEqual({ disbursed: 0, failed: 0, waiting: 0 })
  })

  it('the gateway cannot be reached when the loan is made: the loan waits, the job asks again, one payout lands', async () => {
    cloud.ports.payouts.outages.set('send', 1)
    const loan = await borrow(cloud)
    expect(loan.state).toBe('disbursing')
    expect(await runPayoutJobs(cloud.ports)).toEqual({ disbursed: 1, failed: 0, waiting: 0 })
    expect((await get(loan.id)).state).toBe('disbursed')
    expect(cloud.counts().simPayouts).toBe(1)
    expect(journal().filter((e) => e.type === 'PAYOUT_CONFIRMED')).toHaveLength(1)
  })
})

describe('the payout, when the gateway refuses or lags', () => {
  it('a refused request whose payout did reach the gateway (a duplicate) does not cancel the loan: it lands', async () => {
    cloud.ports.payouts.confirmAfterMs = 60_000
    const loan = await borrow(cloud)
    const send = cloud.ports.payouts.send.bind(cloud.ports.payouts)
    // The gateway answers "refused" to the job's request again (a duplicate id), though it has the payout.
    cloud.ports.payouts.send = async (p) => {
      await send(p)
      return { ok: false, detail: 'DUPLICATE' }
    }
    const { startPayout } = await import('../../server/app/payouts')
    await startPayout(cloud.ports, 'o_dev_alice', loan.id)
    expect((await get(loan.id)).state).toBe('disbursing')
    cloud.ports.payouts.confirmAfterMs = 0
    expect(await runPayoutJobs(cloud.ports)).toEqual({ disbursed: 1, failed: 0, waiting: 0 })
  })

  it('a request the gateway refuses outright (it has no payout): the loan is cancelled, and the borrower told in the same write', async () => {
    cloud.ports.payouts.send = async () => ({ ok: false, detail: 'CARD_CLOSED' })
    const loan = await borrow(cloud)
    expect(loan).toMatchObject({ state: 'cancelled', reasons: ['PAYOUT_FAILED'] })
    const inbox = await cloud.call<{ messages: InboxMessage[] }>('reminders', 'inbox', {})
    expect(inbox.ok && inbox.data.messages.map((m) => m.loanId)).toEqual([loan.id])
  })

  it('a gateway that keeps answering "no such payout": one request again and one question per look, never a loop', async () => {
    cloud.ports.payouts.confirmAfterMs = 60_000
    const loan = await borrow(cloud)
    let asked = 0
    cloud.ports.payouts.query = async () => {
      asked++
      return { found: false }
    }
    expect(await runPayoutJobs(cloud.ports)).toEqual({ disbursed: 0, failed: 0, waiting: 1 })
    expect(asked).toBe(2)
    expect((await get(loan.id)).state).toBe('disbursing')
  })
})

describe('POST /__dev/payouts/<payoutId>', () => {
  it('fails the signed-in borrower’s payout before it lands; anyone else’s is NOT_FOUND; bad input is refused', async () => {
    const http = await startHttpCloud()
    try {
      http.ports.payouts.confirmAfterMs = 60_000
      const token = await http.signIn('alice')
      const call = http.api(token)
      await onboardOverHttp(call, makeApplicant(), makeCard('622588', '555666777'))
      const loan = await borrowOverHttp(call, { amountFen: 50_000, termMonths: 6, mode: 'equal-installment' })
      expect(loan.data.loan.state).toBe('disbursing')
      const payoutId = payoutIdOf(loan.data.loan.id)
      const bob = await http.signIn('bob')
      expect((await http.call(bob, '../__dev/payouts/' + payoutId, { outcome: 'fail' })).json).toMatchObject({
        ok: false,
        error: { code: 'NOT_FOUND' },
      })
      expect((await http.call(token, '../__dev/payouts/' + payoutId, { outcome: 'maybe' })).json).toMatchObject({
        ok: false,
        error: { code: 'INVALID_INPUT' },
      })
      expect((await http.call(token, '../__dev/payouts/' + payoutId, { outcome: 'fail' })).json).toMatchObject({
        ok: true,
        data: { outcome: 'failed', loan: 'cancelled' },
      })
      expect((await call('loans', 'get', { loanId: loan.data.loan.id })).data.state).toBe('cancelled')
    } finally {
      await http.close()
    }
  })
})
