// Money that really moves, from the borrower's side: a repayment or a cooling-off return is a
// WeChat Pay payment first, and the loan changes only when WeChat Pay confirms it — through the
// payCallback function, which asks WeChat Pay itself and records each payment once.
import type { LineView, LoanView, PaymentView, ReceiptView } from '../../src/api'
import { createPayCallback } from '../../server/app/payments'
import { devOpenid } from '../../server/local/runtime/session'
import { COLLECTIONS } from '../../server/schema'
import { debitIdOf, runDebitJobs } from '../../server/app/card-debits'
import { trialBalance, type JournalEntry } from '../../src/domain/journal'
import { borrow, cancelAndPay, onboardBorrower, payAndSee, repayAndPay } from '../support/borrower'
import { makeTestCloud, type TestCloud } from '../support/cloud'
import { NOW } from '../support/factories'
import { DAY_MS, fromChinaDateTime, toChinaDateTime } from '../../src/domain/china-time'

let cloud: TestCloud
beforeEach(async () => {
  cloud = await makeTestCloud()
  await onboardBorrower(cloud)
})
afterEach(() => cloud.close())

const loanOf = async (id: string) => {
  const r = await cloud.call<LoanView>('loans', 'get', { loanId: id })
  if (!r.ok) throw new Error(r.error.code)
  return r.data
}
const journal = () =>
  (
    cloud.ports.store.db.prepare(`SELECT data FROM docs WHERE collection = 'journal'`).all() as Array<{ data: string }>
  ).map((r) => JSON.parse(r.data) as JournalEntry)
const receiptsOf = async (loanId: string) => {
  const r = await cloud.call<ReceiptView[]>('loans', 'receipts', { loanId })
  if (!r.ok) throw new Error(r.error.code)
  return r.data
}
const open = async (loanId: string, amountFen: number | 'all' | 'due', prepay?: 'shorten' | 'reduce') => {
  const r = await cloud.call<{ payment: PaymentView }>('loans', 'repay', {
    loanId,
    amountFen,
    ...(prepay ? { prepay } : {}),
  })
  if (!r.ok) throw new Error(`${r.error.code} ${r.error.message}`)
  return r.data.payment
}
const callback = createPayCallback(() => cloud.ports)

describe('a repayment is a payment first', () => {
  it('loans.repay opens a pending payment and changes nothing; paying it changes the loan, once, with its receipt and entry', async () => {
    const loan = await borrow(cloud)
    const payment = await open(loan.id, 'due')
    expect(payment).toMatchObject({
      loanId: loan.id,
      purpose: 'repay',
      amountFen: loan.due!.dueNowFen,
      state: 'pending',
      request: { provider: 'simulated', paymentId: payment.paymentId },
      expiresAt: NOW + 30 * 60_000,
    })
    expect(await loanOf(loan.id)).toEqual({ ...loan, serverTime: NOW })
    expect(journal().filter((e) => e.type === 'REPAYMENT_RECEIVED')).toEqual([])

    const paid = await payAndSee(cloud, payment.paymentId, loan.id)
    if (!paid.ok) throw new Error(paid.error.code)
    expect(paid.data.payment).toMatchObject({ state: 'paid', paidAt: NOW, request: null })
    expect(paid.data.loan).toMatchObject({ state: 'repaying' })
    expect(paid.data.loan.schedule[0]).toMatchObject({ paid: true })
    const money = (await receiptsOf(loan.id)).filter((r) => r.kind === 'repay')
    expect(money).toEqual([
      expect.objectContaining({ id: payment.paymentId, paymentId: payment.paymentId, amountFen: payment.amountFen }),
    ])
    expect(journal().filter((e) => e.type === 'REPAYMENT_RECEIVED')).toEqual([
      expect.objectContaining({ id: payment.paymentId, loanId: loan.id }),
    ])
  })

  it('a payoff opened before midnight and paid after it settles the loan; its receipt is dated when the money came', async () => {
    const loan = await borrow(cloud)
    // To 23:50 China time, the day after the drawdown.
    const midnight = fromChinaDateTime({ ...toChinaDateTime(NOW + DAY_MS), hour: 0, minute: 0 }) + DAY_MS
    cloud.ports.clock.advance(midnight - 10 * 60_000 - NOW)
    const payment = await open(loan.id, 'all')
    cloud.ports.clock.advance(20 * 60_000)
    // A day's more interest would be due now: the amount shown still settles.
    expect((await loanOf(loan.id)).due!.payoffFen).toBeGreaterThan(payment.amountFen)
    const paid = await payAndSee(cloud, payment.paymentId, loan.id)
    if (!paid.ok) throw new Error(paid.error.code)
    expect(paid.data.loan.state).toBe('settled')
    const receipt = (await receiptsOf(loan.id)).find((r) => r.id === payment.paymentId)!
    expect(receipt.at).toBe(midnight + 10 * 60_000)
  })

  it('every way a borrower can try to lower what a loan owes without paying changes nothing', async () => {
    const loan = await borrow(cloud)
    const payment = await open(loan.id, 'all')
    const forged = {
      outTradeNo: payment.paymentId,
      totalFee: payment.amountFen,
      resultCode: 'SUCCESS',
      returnCode: 'SUCCESS',
      transactionId: '4200000000',
    }
    // The client's own "success", any forged notification, polling, another repay, a cancel after the window, a fake receipt:
    const tries: Array<() => Promise<unknown>> = [
      () => callback(forged),
      () => callback({ ...forged, outTradeNo: 'pay_forged00000000000000' }),
      () => callback({ ...forged, totalFee: 1 }),
      () => callback({}),
      () => cloud.call('payments', 'get', { paymentId: payment.paymentId }),
      () => cloud.call('payments', 'list', { loanId: loan.id }),
      () => cloud.call('loans', 'repay', { loanId: loan.id, amountFen: 'all' }),
      () => cloud.call('loans', 'repay', { loanId: loan.id, amountFen: 1 }),
      () => cloud.call('loans', 'previewRepayment', { loanId: loan.id, amountFen: 'all' }),
      () =>
        cloud.call('loans', 'verifyReceipt', {
          receipt: { id: payment.paymentId, kind: 'repay', amountFen: 1, signature: 'x' },
        }),
      () => cloud.call('loans', 'drawdown', { loanId: loan.id }),
      () => cloud.call('payments', 'get', { paymentId: payment.paymentId }, { user: 'bob' }),
      // Automatic debit on, a run of its job before any due day, a forged notification naming a debit's id.
      () => cloud.call('lines', 'autoDebit', { product: 'we2000', on: true }),
      () => runDebitJobs(cloud.ports),
      () => callback({ ...forged, outTradeNo: debitIdOf(cloud.ports, loan.id, loan.schedule[0].dueDate, 1) }),
    ]
    for (const t of tries) await t()
    expect(await callback(forged)).toEqual({ errcode: 0, errmsg: 'OK' })
    const after = await loanOf(loan.id)
    expect(after.due).toEqual(loan.due)
    expect(after.paid).toEqual(loan.paid)
    expect(after.state).toBe('disbursed')
    expect(journal().map((e) => e.type)).toEqual(['PAYOUT_CONFIRMED'])
    expect(cloud.logs.some((l) => l.event === 'pay_callback_unpaid_order')).toBe(true)
  })

  it('100 copies of the callback at once: one repayment, one receipt, one journal entry', async () => {
    const loan = await borrow(cloud)
    const payment = await open(loan.id, 'due')
    const paid = await payAndSee(cloud, payment.paymentId, loan.id, { duplicates: 99 })
    if (!paid.ok) throw new Error(paid.error.code)
    expect(paid.data.loan.paid.principalFen).toBe(loan.schedule[0].principalFen)
    expect((await receiptsOf(loan.id)).filter((r) => r.kind === 'repay')).toHaveLength(1)
    expect(journal().filter((e) => e.type === 'REPAYMENT_RECEIVED')).toHaveLength(1)
    // Every copy was acknowledged; ten late ones more (WeChat Pay redelivers for days) change nothing either.
    const again = await cloud.ports.simulatePayment(devOpenid('alice'), payment.paymentId, {
      outcome: 'success',
      duplicates: 9,
    })
    expect(again?.answers).toEqual(Array.from({ length: 10 }, () => ({ errcode: 0, errmsg: 'OK' })))
    expect(journal().filter((e) => e.type === 'REPAYMENT_RECEIVED')).toHaveLength(1)
    expect(trialBalance(journal()).balanced).toBe(true)
  })

  it('a callback for an order nobody made: acknowledged, logged, nothing written', async () => {
    const before = cloud.counts()
    expect(await callback({ outTradeNo: 'pay_nobody000000000000000', totalFee: 100 })).toEqual({
      errcode: 0,
      errmsg: 'OK',
    })
    expect(cloud.counts()).toEqual(before)
    expect(cloud.logs.some((l) => l.event === 'pay_callback_unknown_order')).toBe(true)
  })

  it('WeChat Pay received another amount than the order: not applied, all of it refunded, the books say so', async () => {
    const loan = await borrow(cloud)
    const payment = await open(loan.id, 'due')
    const paid = await payAndSee(cloud, payment.paymentId, loan.id, { amountFen: payment.amountFen - 1 })
    if (!paid.ok) throw new Error(paid.error.code)
    // Failed, and all of it sent back: refunded, the reason kept.
    expect(paid.data.payment).toMatchObject({
      state: 'refunded',
      failure: 'AMOUNT_MISMATCH',
      refundedFen: payment.amountFen - 1,
    })
    expect(paid.data.loan.paid).toEqual(loan.paid)
    const types = journal().map((e) => e.type)
    expect(types).toEqual(['PAYOUT_CONFIRMED', 'PAYMENT_UNAPPLIED', 'REFUND_SENT'])
    const tb = trialBalance(journal())
    expect(tb.balanced).toBe(true)
    expect(tb.accounts.refundsPayable.balanceFen).toBe(0)
    expect(tb.accounts.wechatPayClearing.balanceFen).toBe(0)
    expect(cloud.logs.some((l) => l.event === 'payment_not_applied' && l.level === 'error')).toBe(true)
    expect((await receiptsOf(loan.id)).filter((r) => r.kind === 'refund')).toHaveLength(1)
  })

  it('any amount: 1 fen is taken, and frees the line by exactly the principal it paid', async () => {
    const loan = await borrow(cloud)
    const lineBefore = await cloud.call<LineView>('lines', 'get', { product: 'we2000' })
    const paid = await repayAndPay(cloud, loan.id, 12_345)
    if (!paid.ok) throw new Error(paid.error.code)
    const l = paid.data.loan
    expect(l.due!.dueNowFen).toBe(loan.due!.dueNowFen - 12_345)
    const principal = l.paid.principalFen
    expect(l.paid.principalFen + l.paid.feeFen + l.paid.interestFen).toBe(12_345)
    expect(l.schedule[0]).toMatchObject({ paid: false, paidFen: 12_345 })
    const lineAfter = await cloud.call<LineView>('lines', 'get', { product: 'we2000' })
    if (!lineBefore.ok || !lineAfter.ok) throw new Error('line')
    expect(lineAfter.data.availableFen).toBe(lineBefore.data.availableFen + principal)
  })

  it('the preview is what the confirmed payment does: a prepayment that shortens the plan', async () => {
    const loan = await borrow(cloud)
    const amount = loan.schedule[0].totalFen + 30_000
    const preview = await cloud.call<{ after: LoanView; prepaidFen: number }>('loans', 'previewRepayment', {
      loanId: loan.id,
      amountFen: amount,
      prepay: 'shorten',
    })
    if (!preview.ok) throw new Error(preview.error.code)
    // ¥300 beyond the installment, and what recalculating the period's interest saves of it.
    expect(preview.data.prepaidFen).toBeGreaterThan(30_000)
    const paid = await repayAndPay(cloud, loan.id, amount, { prepay: 'shorten' })
    if (!paid.ok) throw new Error(paid.error.code)
    expect(paid.data.loan.schedule).toEqual(preview.data.after.schedule)
    expect(paid.data.loan.schedule.length).toBeLessThan(loan.schedule.length)
    expect(paid.data.loan.paid.principalFen).toBe(loan.schedule[0].principalFen + preview.data.prepaidFen)
    expect(paid.data.loan.paid.principalFen + paid.data.loan.paid.interestFen + paid.data.loan.paid.feeFen).toBe(amount)
  })

  it('more than settles the loan is refused before any order; "all" settles it', async () => {
    const loan = await borrow(cloud)
    expect(await cloud.call('loans', 'repay', { loanId: loan.id, amountFen: loan.due!.payoffFen + 1 })).toMatchObject({
      ok: false,
      error: { code: 'OVERPAYMENT', field: 'amountFen' },
    })
    expect(await cloud.call('loans', 'repay', { loanId: loan.id, amountFen: 0 })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_AMOUNT' },
    })
    expect(cloud.counts().payments ?? 0).toBe(0)
    const paid = await repayAndPay(cloud, loan.id, 'all')
    if (!paid.ok) throw new Error(paid.error.code)
    expect(paid.data.loan.state).toBe('settled')
    expect(await cloud.call('loans', 'repay', { loanId: loan.id, amountFen: 'all' })).toMatchObject({
      ok: false,
      error: { code: 'LOAN_CLOSED' },
    })
  })

  it('two repayments opened at the same moment and both paid: one settles the loan, the rest is refunded', async () => {
    const loan = await borrow(cloud)
    // Two repay calls at once (two taps from two devices): whatever each answers, every order they
    // made is paid at WeChat Pay. Exactly one settles the loan; all other money goes back.
    const made: string[] = []
    const create = cloud.ports.payments.create.bind(cloud.ports.payments)
    cloud.ports.payments.create = async (o) => {
      made.push(o.outTradeNo)
      return create(o)
    }
    await Promise.all([
      cloud.call('loans', 'repay', { loanId: loan.id, amountFen: 'all' }),
      cloud.call('loans', 'repay', { loanId: loan.id, amountFen: 'all' }),
    ])
    for (const id of made) {
      const order = await cloud.ports.payments.order(id)
      // Even an order already closed at WeChat Pay: as if its payer had paid the instant before.
      if (order?.state === 'CLOSED') await cloud.ports.store.update('simPayments', id, 2, { ...order, state: 'NOTPAY' })
      await payAndSee(cloud, id, loan.id)
    }
    const list = await cloud.call<PaymentView[]>('payments', 'list', { loanId: loan.id })
    if (!list.ok) throw new Error(list.error.code)
    expect((await loanOf(loan.id)).state).toBe('settled')
    expect(list.data.filter((p) => p.state === 'paid')).toHaveLength(1)
    for (const p of list.data.filter((x) => x.state !== 'paid')) expect(p.state).toBe('refunded')
    const tb = trialBalance(journal())
    expect(tb.accounts.refundsPayable.balanceFen).toBe(0)
    expect(tb.accounts.principalReceivable.balanceFen).toBe(0)
  })

  it('a new repayment closes the one left pending; if it was paid after all, that one is settled first', async () => {
    const loan = await borrow(cloud)
    const first = await open(loan.id, 'due')
    const second = await open(loan.id, 'all')
    expect(
      (await cloud.call<PaymentView>('payments', 'get', { paymentId: first.paymentId })).ok &&
        (await cloud.ports.payments.order(first.paymentId))?.state,
    ).toBe('CLOSED')
    const list = await cloud.call<PaymentView[]>('payments', 'list', { loanId: loan.id })
    expect(list.ok && list.data.map((p) => [p.paymentId, p.state])).toEqual([
      [second.paymentId, 'pending'],
      [first.paymentId, 'expired'],
    ])
    // Paid at WeChat Pay, its callback lost: the next repay finds it paid and settles it.
    const invoke = cloud.ports.payments.invoke
    cloud.ports.payments.invoke = null
    await cloud.ports.simulatePayment(devOpenid('alice'), second.paymentId, { outcome: 'success' })
    cloud.ports.payments.invoke = invoke
    expect(await cloud.call('loans', 'repay', { loanId: loan.id, amountFen: 100 })).toMatchObject({
      ok: false,
      error: { code: 'PAYMENT_PENDING' },
    })
    expect((await loanOf(loan.id)).state).toBe('settled')
  })

  it('a payer paying after the order’s time is refused by WeChat Pay: nothing changes', async () => {
    const loan = await borrow(cloud)
    const payment = await open(loan.id, 'due')
    cloud.ports.clock.advance(30 * 60_000)
    const late = await payAndSee(cloud, payment.paymentId, loan.id)
    if (!late.ok) throw new Error(late.error.code)
    expect(late.data.payment.state).toBe('expired')
    expect(late.data.loan.paid).toEqual(loan.paid)
  })

  it('a refund WeChat Pay will not take now leaves the payment recorded (the callback is acknowledged) and the job sends it later', async () => {
    const loan = await borrow(cloud)
    const a = await open(loan.id, 'all')
    cloud.ports.payments.outages.set('refund', 1)
    // WeChat Pay received another amount than the order's: all of it is owed back, and the refund fails once.
    const paid = await cloud.ports.simulatePayment(devOpenid('alice'), a.paymentId, {
      outcome: 'success',
      amountFen: a.amountFen + 5,
    })
    expect(paid?.answers).toEqual([{ errcode: 0, errmsg: 'OK' }])
    const { runPaymentJobs } = await import('../../server/app/payments')
    expect(await runPaymentJobs(cloud.ports)).toMatchObject({ refunds: 1 })
    const got = await cloud.call<PaymentView>('payments', 'get', { paymentId: a.paymentId })
    expect(got.ok && got.data).toMatchObject({ state: 'refunded', refundedFen: a.amountFen + 5 })
    expect(trialBalance(journal()).accounts.refundsPayable.balanceFen).toBe(0)
  })

  it('deleting the account while a payment is in flight is refused, and nothing is deleted', async () => {
    const loan = await borrow(cloud)
    await repayAndPay(cloud, loan.id, 'all')
    const pending = await cloud.call('loans', 'repay', { loanId: loan.id, amountFen: 'all' })
    expect(pending).toMatchObject({ ok: false, error: { code: 'LOAN_CLOSED' } })
    const other = await borrow(cloud, 'alice', { amountFen: 50_000 })
    await repayAndPay(cloud, other.id, 'all')
    // A payment whose order is not yet paid (the borrower closed the sheet): money may still come.
    const third = await borrow(cloud, 'alice', { amountFen: 50_000 })
    await open(third.id, 'due')
    const before = cloud.counts()
    expect(await cloud.call('account', 'delete', { confirm: true })).toMatchObject({
      ok: false,
      error: { code: 'PAYMENT_PENDING' },
    })
    expect(cloud.counts()).toEqual(before)
  })

  it('not paid in time: the job closes the order and the payment expires; paying it afterwards is impossible', async () => {
    const loan = await borrow(cloud)
    const payment = await open(loan.id, 'due')
    cloud.ports.clock.advance(30 * 60_000)
    const { runPaymentJobs } = await import('../../server/app/payments')
    expect(await runPaymentJobs(cloud.ports)).toMatchObject({ expired: 1 })
    const late = await payAndSee(cloud, payment.paymentId, loan.id)
    if (!late.ok) throw new Error(late.error.code)
    expect(late.data.payment).toMatchObject({ state: 'expired', request: null })
    expect(late.data.loan.paid).toEqual(loan.paid)
  })

  it('WeChat Pay cannot be asked: the callback answers RETRY and records nothing; the next delivery records it', async () => {
    const loan = await borrow(cloud)
    const payment = await open(loan.id, 'due')
    cloud.ports.payments.outages.set('query', 1)
    const first = await cloud.ports.simulatePayment(devOpenid('alice'), payment.paymentId, { outcome: 'success' })
    expect(first).toEqual({ answers: [{ errcode: -1, errmsg: 'RETRY' }] })
    expect((await loanOf(loan.id)).paid).toEqual(loan.paid)
    const order = (await cloud.ports.payments.order(payment.paymentId))!
    expect(await cloud.ports.payments.deliver(order)).toEqual([{ errcode: 0, errmsg: 'OK' }])
    expect((await loanOf(loan.id)).schedule[0].paid).toBe(true)
  })

  it('a failed payment fails, and the loan is as it was', async () => {
    const loan = await borrow(cloud)
    const payment = await open(loan.id, 'due')
    const r = await payAndSee(cloud, payment.paymentId, loan.id, { outcome: 'fail' })
    if (!r.ok) throw new Error(r.error.code)
    expect(r.data.payment).toMatchObject({ state: 'failed', failure: 'PAYMENT_FAILED' })
    expect(r.data.loan.paid).toEqual(loan.paid)
  })

  it('WeChat Pay cannot take the order: PAYMENT_UNAVAILABLE, and the payment is recorded as failed', async () => {
    const loan = await borrow(cloud)
    cloud.ports.payments.outages.set('create', 1)
    expect(await cloud.call('loans', 'repay', { loanId: loan.id, amountFen: 'due' })).toMatchObject({
      ok: false,
      error: { code: 'PAYMENT_UNAVAILABLE' },
    })
    const list = await cloud.call<PaymentView[]>('payments', 'list', { loanId: loan.id })
    expect(list.ok && list.data.map((p) => p.state)).toEqual(['failed'])
  })
})

describe('the cooling-off cancel is the principal paid back', () => {
  it('asked inside the window it opens a payment of the principal (2 hours); the loan closes when it is paid', async () => {
    const loan = await borrow(cloud)
    cloud.ports.clock.advance(23.5 * 3_600_000)
    const r = await cloud.call<{ loan: LoanView; payment: PaymentView }>('loans', 'cancel', { loanId: loan.id })
    if (!r.ok) throw new Error(r.error.code)
    expect(r.data.payment).toMatchObject({
      purpose: 'coolingOff',
      amountFen: loan.amountFen,
      expiresAt: NOW + 23.5 * 3_600_000 + 2 * 3_600_000,
    })
    expect(r.data.loan.state).toBe('disbursed')
    // Paid after the window would have closed for a new request (asked at 23 h 30, paid at 24 h 30): it counts from the request.
    cloud.ports.clock.advance(60 * 60_000)
    const paid = await payAndSee(cloud, r.data.payment.paymentId, loan.id)
    if (!paid.ok) throw new Error(paid.error.code)
    expect(paid.data.loan).toMatchObject({
      state: 'cancelled',
      paid: { principalFen: loan.amountFen, interestFen: 0, feeFen: 0 },
    })
    expect(journal().map((e) => e.type)).toEqual(['PAYOUT_CONFIRMED', 'COOLING_OFF_RETURN'])
    expect(trialBalance(journal()).accounts.principalReceivable.balanceFen).toBe(0)
  })

  it('if it lapses, nothing changed: the loan runs on as before', async () => {
    const loan = await borrow(cloud)
    const r = await cancelAndPay(cloud, loan.id)
    expect(r.ok).toBe(true)
    const other = await borrow(cloud, 'alice', { amountFen: 50_000 })
    const c = await cloud.call<{ payment: PaymentView }>('loans', 'cancel', { loanId: other.id })
    if (!c.ok) throw new Error(c.error.code)
    cloud.ports.clock.advance(2 * 3_600_000)
    const { runPaymentJobs } = await import('../../server/app/payments')
    await runPaymentJobs(cloud.ports)
    expect(await loanOf(other.id)).toMatchObject({ state: 'disbursed', paid: other.paid })
  })

  it('a repayment made while the return is pending closes the return: the cancel is then refused', async () => {
    const loan = await borrow(cloud)
    const c = await cloud.call<{ payment: PaymentView }>('loans', 'cancel', { loanId: loan.id })
    if (!c.ok) throw new Error(c.error.code)
    const paid = await repayAndPay(cloud, loan.id, 1_000)
    if (!paid.ok) throw new Error(paid.error.code)
    expect((await cloud.ports.payments.order(c.data.payment.paymentId))?.state).toBe('CLOSED')
    expect(await cloud.call('loans', 'cancel', { loanId: loan.id })).toMatchObject({
      ok: false,
      error: { code: 'CANCEL_AFTER_REPAYMENT' },
    })
  })

  it('money for a payment given up on (its order paid as it was being closed) is refunded in full, never lost', async () => {
    const loan = await borrow(cloud)
    const c = await cloud.call<{ payment: PaymentView }>('loans', 'cancel', { loanId: loan.id })
    if (!c.ok) throw new Error(c.error.code)
    const id = c.data.payment.paymentId
    // WeChat Pay took the money; its notification is late. Meanwhile our job expires the payment,
    // its close of the order losing the race (WeChat Pay answered "closed" as the payer paid).
    await cloud.ports.simulatePayment(devOpenid('alice'), id, { outcome: 'success', deliver: false })
    cloud.ports.clock.advance(2 * 3_600_000)
    const close = cloud.ports.payments.close.bind(cloud.ports.payments)
    cloud.ports.payments.close = async () => 'closed'
    const { runPaymentJobs } = await import('../../server/app/payments')
    expect(await runPaymentJobs(cloud.ports)).toMatchObject({ expired: 1 })
    cloud.ports.payments.close = close
    // The late notification: the money is recorded and sent back in full, never applied, never dropped.
    expect(await cloud.ports.payments.deliver((await cloud.ports.payments.order(id))!)).toEqual([
      { errcode: 0, errmsg: 'OK' },
    ])
    const r = await payAndSee(cloud, id, loan.id)
    if (!r.ok) throw new Error(r.error.code)
    expect(r.data.payment).toMatchObject({ state: 'refunded', refundedFen: loan.amountFen, failure: 'NOT_APPLICABLE' })
    expect(r.data.loan.state).toBe('disbursed')
    const tb = trialBalance(journal())
    expect(tb.accounts.refundsPayable.balanceFen).toBe(0)
    expect(tb.accounts.wechatPayClearing.balanceFen).toBe(0)
  })

  it('after the window: refused before any order', async () => {
    const loan = await borrow(cloud)
    cloud.ports.clock.advance(24 * 3_600_000)
    expect(await cloud.call('loans', 'cancel', { loanId: loan.id })).toMatchObject({
      ok: false,
      error: { code: 'COOLING_OFF_EXPIRED' },
    })
    expect(cloud.counts().payments ?? 0).toBe(0)
    expect(
      cloud.ports.store.db.prepare(`SELECT COUNT(*) n FROM docs WHERE collection = ?`).get(COLLECTIONS.payments),
    ).toEqual({ n: 0 })
  })
})
