// Automatic debit (自动扣款): its own consent when the line opens (never ticked for the borrower)
// and a switch; the notice the day before; on the due day at 09:00 China time a debit of what is
// due, retried at 13:00 and 18:00; each attempt once; the money recorded only when the lender's
// gateway says it was taken, posted to the card-debit clearing account; a failed day left to the
// overdue rules; money the loan cannot use (the borrower paid meanwhile) back to the card.
import type { ConsentView, InboxMessage, LineView, LoanView, PaymentView, ReceiptView } from '../../src/api'
import type { LineChange } from '../../src/domain/line'
import { attemptTime } from '../../src/domain/auto-debit'
import { fromChinaDateTime, HOUR_MS, MINUTE_MS } from '../../src/domain/china-time'
import { trialBalance, type JournalEntry } from '../../src/domain/journal'
import { debitIdOf, runDebitJobs } from '../../server/app/card-debits'
import { runScheduledJobs } from '../../server/app/timer'
import { applyLoanEvent } from '../../server/app/loans/lifecycle'
import { SIM_CARD_DEBITS, type SimDebit } from '../../server/local/adapters/sim-card-debits'
import { COLLECTIONS } from '../../server/schema'
import { borrow, CARD_NUMBER, onboardBorrower, payAndSee } from '../support/borrower'
import { makeTestCloud, type TestCloud } from '../support/cloud'

let cloud: TestCloud
beforeEach(async () => {
  cloud = await makeTestCloud()
  await onboardBorrower(cloud)
})
afterEach(() => cloud.close())

const ALICE = 'o_dev_alice'

async function call<T>(fn: Parameters<TestCloud['call']>[0], action: string, data: Record<string, unknown> = {}) {
  const r = await cloud.call<T>(fn, action, data)
  if (!r.ok) throw new Error(`${fn}.${action}: ${r.error.code}`)
  return r.data
}

/** Opens WE2000 with automatic debit ticked (or not). */
async function openLine(autoDebit: boolean) {
  const c = await call<{ consentId: string }>('lines', 'consent', { product: 'we2000' })
  return call<LineView>('lines', 'open', {
    product: 'we2000',
    consentId: c.consentId,
    ...(autoDebit ? { autoDebit } : {}),
  })
}

const at = (t: number) => cloud.ports.clock.advance(t - cloud.ports.clock.now())
const loan = (id: string) => call<LoanView>('loans', 'get', { loanId: id })
const debits = async (loanId: string) =>
  (await call<PaymentView[]>('payments', 'list', { loanId })).filter((p) => p.channel === 'cardDebit')
const journal = () => [...cloud.ports.store.scan<JournalEntry>(COLLECTIONS.journal)].map((d) => d.data)
const messages = async (kind: string) =>
  (await call<{ messages: InboxMessage[] }>('reminders', 'inbox')).messages.filter((m) => m.kind === kind)
const setBalance = async (fen: number) =>
  cloud.ports.world.edit(ALICE, { ...(await cloud.ports.world.profile(ALICE)), cardBalanceFen: fen })

describe('automatic debit: the consent and the switch', () => {
  it('is off unless ticked; ticked at opening it names the bound card, and the history and consents keep it', async () => {
    const line = await openLine(true)
    expect(line.autoDebit).toEqual({ last4: CARD_NUMBER.slice(-4), since: cloud.ports.clock.now() })
    const history = await call<LineChange[]>('lines', 'history', { product: 'we2000' })
    expect(history.map((c) => c.reason)).toEqual(['OPENED', 'AUTO_DEBIT_ON'])
    expect(history[1].detail).toBe(`尾号${line.autoDebit!.last4}`)
    // Off at any time, recorded; off again changes nothing.
    cloud.ports.clock.advance(MINUTE_MS)
    expect((await call<LineView>('lines', 'autoDebit', { product: 'we2000', on: false })).autoDebit).toBeNull()
    expect((await call<LineView>('lines', 'autoDebit', { product: 'we2000', on: false })).autoDebit).toBeNull()
    const consents = (await call<ConsentView[]>('account', 'consents')).filter((c) => c.kind === 'autoDebit')
    expect(consents.map((c) => [c.on, c.at - consents[0].at])).toEqual([
      [true, 0],
      [false, MINUTE_MS],
    ])
  })

  it('not ticked at opening: the line has none until the borrower turns it on; no line → NOT_FOUND, nothing written', async () => {
    const before = cloud.counts()
    expect(await cloud.call('lines', 'autoDebit', { product: 'we2000', on: true })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    })
    expect(cloud.counts()).toEqual(before)
    expect((await openLine(false)).autoDebit).toBeNull()
    const on = await call<LineView>('lines', 'autoDebit', { product: 'we2000', on: true })
    expect(on.autoDebit?.since).toBe(cloud.ports.clock.now())
  })

  it('bad input is refused with a typed code', async () => {
    await openLine(false)
    expect(await cloud.call('lines', 'autoDebit', { product: 'we2000', on: 'yes' })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT' },
    })
    expect(await cloud.call('lines', 'autoDebit', { product: 'nope', on: true })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT' },
    })
  })
})

describe('automatic debit on the due date', () => {
  it('the day before, the reminder is its notice; at 09:00 what is due is debited once and recorded as a card debit', async () => {
    await openLine(true)
    const l = await borrow(cloud)
    const first = l.schedule[0]
    const [y, m, d] = first.dueDate.split('-').map(Number)
    // The day before at 09:00: the notice, in the message center (no subscribe grant here).
    at(fromChinaDateTime({ year: y, month: m, day: d, hour: 9 }) - 24 * HOUR_MS)
    await runScheduledJobs(cloud.ports)
    const notice = (await messages('D-1'))[0]
    expect(notice.body).toContain('明天 09:00 将从尾号')
    expect(notice.body).toContain('可在额度页随时关闭')
    // 08:59 on the day: nothing yet.
    at(attemptTime(first.dueDate, 1) - MINUTE_MS)
    expect((await runDebitJobs(cloud.ports)).asked).toBe(0)
    // 09:00: the debit of the installment, taken and recorded.
    at(attemptTime(first.dueDate, 1))
    const run = await runScheduledJobs(cloud.ports)
    expect(run.debits).toMatchObject({ asked: 1, taken: 1, refused: 0, waiting: 0 })
    const [debit] = await debits(l.id)
    expect(debit).toMatchObject({ state: 'paid', channel: 'cardDebit', amountFen: first.totalFen, request: null })
    expect(debit.paymentId).toBe(debitIdOf(cloud.ports, l.id, first.dueDate, 1))
    const after = await loan(l.id)
    expect(after.schedule[0]).toMatchObject({ paid: true, paidFen: first.totalFen })
    expect(after.state).toBe('repaying')
    const receipt = (await call<ReceiptView[]>('loans', 'receipts', { loanId: l.id })).find(
      (r) => r.paymentId === debit.paymentId,
    )!
    expect(receipt).toMatchObject({ kind: 'repay', channel: 'cardDebit', amountFen: first.totalFen })
    expect(await call('loans', 'verifyReceipt', { receipt })).toEqual({ valid: true })
    const entry = journal().find((e) => e.id === debit.paymentId)!
    expect(entry.postings.find((p) => p.side === 'debit')).toEqual({
      account: 'cardDebitClearing',
      side: 'debit',
      amountFen: first.totalFen,
    })
    // Again the same day, at the retry times too: nothing more is asked or recorded.
    for (const h of [10, 13, 18]) {
      at(fromChinaDateTime({ year: y, month: m, day: d, hour: h }))
      expect(await runDebitJobs(cloud.ports)).toMatchObject({ asked: 0 })
    }
    expect(await debits(l.id)).toHaveLength(1)
    expect([...cloud.ports.store.scan<SimDebit>(SIM_CARD_DEBITS)]).toHaveLength(1)
    expect(trialBalance(journal()).balanced).toBe(true)
  })

  it('a card that does not hold enough: 09:00, 13:00 and 18:00, each told; then the overdue rules, and no more debits that day', async () => {
    await openLine(true)
    const l = await borrow(cloud)
    const due = l.schedule[0].dueDate
    await setBalance(0)
    for (const n of [1, 2, 3]) {
      at(attemptTime(due, n))
      expect((await runScheduledJobs(cloud.ports)).debits).toMatchObject({ asked: 1, refused: 1, taken: 0 })
      // Between attempts, nothing.
      cloud.ports.clock.advance(30 * MINUTE_MS)
      expect((await runDebitJobs(cloud.ports)).asked).toBe(0)
    }
    const failed = await messages('debit-failed')
    expect(failed).toHaveLength(3)
    expect(failed.map((f) => f.body).join('\n')).toContain('银行卡余额不足')
    expect(failed.some((f) => f.body.includes('今天 13:00、18:00 会再试'))).toBe(true)
    expect(failed.some((f) => f.body.includes('今天不再尝试'))).toBe(true)
    expect((await debits(l.id)).map((p) => [p.state, p.failure])).toEqual([
      ['failed', 'INSUFFICIENT_FUNDS'],
      ['failed', 'INSUFFICIENT_FUNDS'],
      ['failed', 'INSUFFICIENT_FUNDS'],
    ])
    // Nothing moved: the loan owes what it owed, the books hold only the payout.
    expect((await loan(l.id)).schedule[0].paidFen).toBe(0)
    expect(journal().map((e) => e.type)).toEqual(['PAYOUT_CONFIRMED'])
    // The next morning the installment is overdue by the overdue rules; no debit for a day gone by.
    at(attemptTime(due, 1) + 24 * HOUR_MS)
    const next = await runScheduledJobs(cloud.ports)
    expect(next.debits).toMatchObject({ asked: 0 })
    expect((await loan(l.id)).state).toBe('overdue')
  })

  it('a retry takes it once the card holds enough', async () => {
    await openLine(true)
    const l = await borrow(cloud)
    const due = l.schedule[0].dueDate
    await setBalance(100)
    at(attemptTime(due, 1))
    await runDebitJobs(cloud.ports)
    await setBalance(1_000_000)
    at(attemptTime(due, 2))
    expect(await runDebitJobs(cloud.ports)).toMatchObject({ asked: 1, taken: 1 })
    expect((await debits(l.id)).map((p) => p.state)).toEqual(['paid', 'failed'])
    expect((await loan(l.id)).schedule[0].paid).toBe(true)
  })

  it('turned off: nothing is debited; a loan without the consent is never debited', async () => {
    await openLine(true)
    const l = await borrow(cloud)
    await call('lines', 'autoDebit', { product: 'we2000', on: false })
    at(attemptTime(l.schedule[0].dueDate, 1))
    expect(await runDebitJobs(cloud.ports)).toMatchObject({ scanned: 1, asked: 0 })
    expect(await debits(l.id)).toEqual([])
  })

  it('a run that missed 09:00 debits when it comes, and never two attempts within an hour', async () => {
    await openLine(true)
    const l = await borrow(cloud)
    const due = l.schedule[0].dueDate
    await setBalance(0)
    at(attemptTime(due, 2) + 30 * MINUTE_MS) // 13:30: the first attempt, late
    expect((await runDebitJobs(cloud.ports)).asked).toBe(1)
    cloud.ports.clock.advance(10 * MINUTE_MS) // 13:40: the 13:00 attempt's time has come, but not an hour since
    expect((await runDebitJobs(cloud.ports)).asked).toBe(0)
    cloud.ports.clock.advance(50 * MINUTE_MS) // 14:30
    expect((await runDebitJobs(cloud.ports)).asked).toBe(1)
  })

  it('a gateway that is down: the attempt waits and is asked about (and asked for again under its id) by the next run', async () => {
    await openLine(true)
    const l = await borrow(cloud)
    at(attemptTime(l.schedule[0].dueDate, 1))
    cloud.ports.cardDebits.outages.set('send', 1)
    expect(await runDebitJobs(cloud.ports)).toMatchObject({ asked: 1, waiting: 1 })
    expect((await debits(l.id)).map((p) => p.state)).toEqual(['pending'])
    cloud.ports.clock.advance(5 * MINUTE_MS)
    // The payment job finds it not at the gateway, asks for it again, and records it taken.
    await runScheduledJobs(cloud.ports)
    expect((await debits(l.id)).map((p) => p.state)).toEqual(['paid'])
    expect([...cloud.ports.store.scan<SimDebit>(SIM_CARD_DEBITS)]).toHaveLength(1)
    expect(journal().filter((e) => e.type === 'REPAYMENT_RECEIVED')).toHaveLength(1)
  })

  it('while a debit is under way the borrower is asked to wait; money a debit brings that the loan no longer owes goes back to the card', async () => {
    await openLine(true)
    const l = await borrow(cloud)
    const first = l.schedule[0]
    cloud.ports.cardDebits.settleAfterMs = 60_000
    at(attemptTime(first.dueDate, 1))
    expect(await runDebitJobs(cloud.ports)).toMatchObject({ asked: 1, waiting: 1 })
    // Paying the same installment beside it would pay it twice: refused, and nothing written.
    expect(await cloud.call('loans', 'repay', { loanId: l.id, amountFen: 'due' })).toMatchObject({
      ok: false,
      error: { code: 'PAYMENT_PENDING' },
    })
    expect((await call<PaymentView[]>('payments', 'list', { loanId: l.id })).length).toBe(1)
    // The installment is paid by other confirmed money meanwhile (as a late WeChat Pay payment would).
    await cloud.ports.store.transact((tx) =>
      applyLoanEvent(
        cloud.ports,
        tx,
        ALICE,
        l.id,
        { type: 'REPAY', amount: 'due' },
        cloud.ports.clock.now(),
        'pay_other',
      ),
    )
    cloud.ports.cardDebits.settleAfterMs = 0
    cloud.ports.clock.advance(5 * MINUTE_MS)
    await runScheduledJobs(cloud.ports)
    const [debit] = await debits(l.id)
    expect(debit).toMatchObject({ state: 'refunded', refundedFen: first.totalFen, failure: 'NOT_APPLICABLE' })
    expect((await loan(l.id)).schedule[1].paidFen).toBe(0)
    const sim = [...cloud.ports.store.scan<SimDebit>(SIM_CARD_DEBITS)][0].data
    expect(Object.values(sim.refunds)).toEqual([first.totalFen])
    const tb = trialBalance(journal())
    expect(tb.balanced).toBe(true)
    expect(tb.accounts.cardDebitClearing.balanceFen).toBe(0)
    expect(tb.accounts.refundsPayable.balanceFen).toBe(0)
  })

  it('a WeChat Pay payment the borrower is making at 09:00 is left to decide; paid, no debit follows', async () => {
    await openLine(true)
    const l = await borrow(cloud)
    const due = l.schedule[0].dueDate
    at(attemptTime(due, 1) - 5 * MINUTE_MS)
    const r = await call<{ payment: PaymentView }>('loans', 'repay', { loanId: l.id, amountFen: 'due' })
    at(attemptTime(due, 1))
    expect(await runDebitJobs(cloud.ports)).toMatchObject({ asked: 0 })
    await payAndSee(cloud, r.payment.paymentId, l.id)
    at(attemptTime(due, 2))
    expect(await runDebitJobs(cloud.ports)).toMatchObject({ asked: 0 })
    expect(await debits(l.id)).toEqual([])
  })

  it('a debit that never reached the gateway is not asked for again once automatic debit is off, or its day is over', async () => {
    await openLine(true)
    const l = await borrow(cloud)
    at(attemptTime(l.schedule[0].dueDate, 1))
    cloud.ports.cardDebits.outages.set('send', 1)
    expect(await runDebitJobs(cloud.ports)).toMatchObject({ asked: 1, waiting: 1 })
    await call('lines', 'autoDebit', { product: 'we2000', on: false })
    cloud.ports.clock.advance(5 * MINUTE_MS)
    await runScheduledJobs(cloud.ports)
    expect((await debits(l.id)).map((p) => p.state)).toEqual(['expired'])
    expect([...cloud.ports.store.scan<SimDebit>(SIM_CARD_DEBITS)]).toEqual([])
    // Nor the next day (or ever), whoever asks.
    cloud.ports.clock.advance(24 * HOUR_MS)
    await runScheduledJobs(cloud.ports)
    await call('payments', 'get', { paymentId: (await debits(l.id))[0].paymentId })
    expect([...cloud.ports.store.scan<SimDebit>(SIM_CARD_DEBITS)]).toEqual([])
  })

  it('never in the quiet hours: a run that comes after 22:00 leaves the day to the overdue rules', async () => {
    await openLine(true)
    const l = await borrow(cloud)
    const [y, m, d] = l.schedule[0].dueDate.split('-').map(Number)
    at(fromChinaDateTime({ year: y, month: m, day: d, hour: 22 }))
    expect(await runDebitJobs(cloud.ports)).toMatchObject({ asked: 0 })
  })

  it('an installment due before 09:00 is not overdue (nor its line frozen) while the day’s debits may take it', async () => {
    // Drawn at 07:30: each installment falls due at 07:30.
    cloud.close()
    const [y, m, d] = [2026, 11, 28]
    cloud = await makeTestCloud({ now: fromChinaDateTime({ year: y, month: m, day: d, hour: 7, minute: 30 }) })
    await onboardBorrower(cloud)
    await openLine(true)
    const l = await borrow(cloud)
    const due = l.schedule[0].dueDate
    at(attemptTime(due, 1) - 30 * MINUTE_MS) // 08:30: past due, but the 09:00 debit is coming
    await runScheduledJobs(cloud.ports)
    expect((await loan(l.id)).state).toBe('disbursed')
    expect((await call<LineView>('lines', 'get', { product: 'we2000' })).state).toBe('active')
    at(attemptTime(due, 1))
    await runScheduledJobs(cloud.ports)
    expect((await loan(l.id)).schedule[0].paid).toBe(true)
    expect((await loan(l.id)).state).toBe('repaying')
  })

  it('the last installment is debited at no more than settles the loan', async () => {
    await openLine(true)
    const l = await borrow(cloud, 'alice', { termMonths: 6 })
    for (const line of l.schedule) {
      at(attemptTime(line.dueDate, 1))
      const owed = (await loan(l.id)).due!.payoffFen
      await runScheduledJobs(cloud.ports)
      const last = (await debits(l.id))[0]
      expect(last.state).toBe('paid')
      expect(last.amountFen).toBeLessThanOrEqual(owed)
    }
    expect((await loan(l.id)).state).toBe('settled')
    expect((await debits(l.id)).every((p) => p.refundedFen === 0)).toBe(true)
  })
})
