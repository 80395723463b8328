// 账务 → 对账 (books.reconciliation): a China day's WeChat Pay bill and card-debit file against the
// journal, as finance reads it in the console — matched, paid at the provider and missing in the
// books, in the books and unknown to the provider, another amount than the order; a payment paid
// just before midnight whose callback came after it is the day it was paid; a bad date is refused.
import type { PaymentView } from '../../src/api'
import { fromChinaDateTime } from '../../src/domain/china-time'
import { entryFor } from '../../src/domain/journal'
import { devOpenid } from '../../server/local/runtime/session'
import { COLLECTIONS } from '../../server/schema'
import { runPaymentJobs } from '../../server/app/payments'
import { borrow, onboardBorrower, openRepayment, payAndSee } from '../support/borrower'
import { makeTestCloud, type TestCloud } from '../support/cloud'
import { consoleFor, type ConsoleClient } from '../support/console'

let cloud: TestCloud
let con: ConsoleClient
beforeEach(async () => {
  cloud = await makeTestCloud()
  con = await consoleFor(cloud)
})
afterEach(() => cloud.close())

it('finance reads a day’s reconciliation: each exception listed by kind, a late callback counted on the day it was paid, a bad date refused', async () => {
  await onboardBorrower(cloud)
  const loan = await borrow(cloud)
  // A second drawdown on the same line: one payment at a time is open per loan.
  const second = await cloud.call<{ loan: { id: string } }>('loans', 'apply', {
    product: 'we2000',
    amountFen: 100_000,
    termMonths: 6,
    mode: 'equal-principal',
    purpose: 'consumption',
  })
  if (!second.ok) throw new Error(second.error.code)
  const open = (amountFen: number, loanId = loan.id) => openRepayment(cloud, loanId, amountFen)
  const good = await open(1_000)
  await payAndSee(cloud, good, loan.id, { duplicates: 2 })
  const wrong = await open(2_000)
  await payAndSee(cloud, wrong, loan.id, { amountFen: 1_999 })
  // Paid at WeChat Pay; its notification never came and nobody has asked since.
  const lost = await open(3_000)
  await cloud.ports.simulatePayment(devOpenid('alice'), lost, { outcome: 'success', deliver: false })
  // In the books, unknown to WeChat Pay (an entry nobody's money is behind).
  const at = cloud.ports.clock.now()
  await cloud.ports.store.insert(
    COLLECTIONS.journal,
    'pay_ghost0001',
    entryFor({
      type: 'REPAYMENT_RECEIVED',
      id: 'pay_ghost0001',
      loanId: loan.id,
      at,
      channel: 'wechatPay',
      paid: { principalFen: 700, interestFen: 0, feeFen: 0, overdueFen: 0 },
    }),
  )
  // One second before midnight a payment is made; WeChat's notification arrives two seconds later.
  cloud.ports.clock.advance(fromChinaDateTime({ year: 2026, month: 11, day: 29 }) - 1_000 - cloud.ports.clock.now())
  const late = await open(4_000, second.data.loan.id)
  await cloud.ports.simulatePayment(devOpenid('alice'), late, { outcome: 'success', deliver: false })
  cloud.ports.clock.advance(2_000)
  expect((await cloud.call<PaymentView>('payments', 'get', { paymentId: late })).ok).toBe(true)

  const finance = await con.as('finance')
  const day = await con.call(finance, 'books.reconciliation', { date: '2026-11-28' })
  expect(day).toMatchObject({
    ok: true,
    data: {
      date: '2026-11-28',
      clean: false,
      channels: [
        {
          channel: 'wechatPay',
          statementLines: 4,
          // good, and the late one (booked after midnight, paid before).
          matched: 2,
          missingInBooks: [{ outTradeNo: lost, receivedFen: 3_000, refundedFen: 0 }],
          missingAtProvider: [{ paymentId: 'pay_ghost0001', inFen: 700, outFen: 0 }],
          differing: [{ paymentId: wrong, kind: 'NOT_THE_ORDERED_AMOUNT', providerFen: 1_999, orderedFen: 2_000 }],
        },
        {
          channel: 'cardDebit',
          statementLines: 0,
          matched: 0,
          missingInBooks: [],
          missingAtProvider: [],
          differing: [],
        },
      ],
    },
  })
  // The day after: the late payment's entry is booked then, but it is the 28th's matter — nothing listed.
  expect(await con.call(finance, 'books.reconciliation', { date: '2026-11-29' })).toMatchObject({
    ok: true,
    data: { clean: true, channels: [{ statementLines: 0, matched: 0, missingAtProvider: [] }, { statementLines: 0 }] },
  })
  // Booked on the 29th for the 28th's payment, beyond what was taken: listed on the 29th (and on the 28th, whose payment it is).
  await cloud.ports.store.insert(
    COLLECTIONS.journal,
    `${late}:owed9`,
    entryFor({
      type: 'PAYMENT_UNAPPLIED',
      id: `${late}:owed9`,
      loanId: second.data.loan.id,
      at: cloud.ports.clock.now(),
      channel: 'wechatPay',
      amountFen: 500,
    }),
  )
  const excess = { paymentId: late, kind: 'RECEIVED_DIFFERS', providerFen: 4_000, booksFen: 4_500 }
  expect(await con.call(finance, 'books.reconciliation', { date: '2026-11-29' })).toMatchObject({
    ok: true,
    data: { clean: false, channels: [{ statementLines: 0, differing: [excess] }, { statementLines: 0 }] },
  })
  const again = await con.call(finance, 'books.reconciliation', { date: '2026-11-28' })
  expect(again.ok && again.data.channels[0].differing).toContainEqual(excess)
  // The 28th's bill lost it after all: the 29th, where its entries are, lists it as not at the provider.
  const row = await cloud.ports.store.get('simStatements', `wechatPay:${late}`)
  await cloud.ports.store.remove('simStatements', `wechatPay:${late}`, row!.version)
  const lost28 = await con.call(finance, 'books.reconciliation', { date: '2026-11-29' })
  expect(lost28.ok && lost28.data.channels[0].missingAtProvider).toEqual([
    { paymentId: late, inFen: 4_500, outFen: 0, orderedFen: null },
  ])
  // Today's day is not over (its statement is incomplete, and says so); a day not begun is refused;
  // a provider that cannot give its statement is said so, never read as an empty day.
  expect(await con.call(finance, 'books.reconciliation', { date: '2026-11-29' })).toMatchObject({
    ok: true,
    data: { dayClosed: false },
  })
  expect(await con.call(finance, 'books.reconciliation', { date: '2026-11-28' })).toMatchObject({
    ok: true,
    data: { dayClosed: true },
  })
  expect(await con.call(finance, 'books.reconciliation', { date: '2026-11-30' })).toMatchObject({
    ok: false,
    error: { code: 'INVALID_DATE', field: 'date' },
  })
  cloud.ports.payments.outages.set('statement', 1)
  expect(await con.call(finance, 'books.reconciliation', { date: '2026-11-28' })).toMatchObject({
    ok: false,
    error: { code: 'STATEMENT_UNAVAILABLE' },
  })
  // An auditor reads it too; a reviewer may not; a date that is not a day is refused with the field named.
  expect((await con.call(await con.as('auditor'), 'books.reconciliation', { date: '2026-11-28' })).ok).toBe(true)
  expect(await con.call(await con.as('reviewer-a'), 'books.reconciliation', { date: '2026-11-28' })).toMatchObject({
    ok: false,
    error: { code: 'FORBIDDEN' },
  })
  for (const date of ['2026-02-30', '2026-13-01'])
    expect(await con.call(finance, 'books.reconciliation', { date })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_DATE', field: 'date' },
    })
  expect(await con.call(finance, 'books.reconciliation', { date: '28/11/2026' })).toMatchObject({
    ok: false,
    error: { code: 'INVALID_INPUT' },
  })
})

it('a refund sent on a later day is that day’s line: no difference on either day when the books agree', async () => {
  await onboardBorrower(cloud)
  const loan = await borrow(cloud)
  const id = await openRepayment(cloud, loan.id, 2_000)
  // Paid another amount than the order: owed back; WeChat Pay refuses the refund today (an outage).
  cloud.ports.payments.outages.set('refund', 1)
  await payAndSee(cloud, id, loan.id, { amountFen: 1_999 })
  cloud.ports.clock.advance(fromChinaDateTime({ year: 2026, month: 11, day: 29, hour: 9 }) - cloud.ports.clock.now())
  expect(await runPaymentJobs(cloud.ports)).toMatchObject({ refunds: 1 })
  const finance = await con.as('finance')
  const [d28, d29] = await Promise.all(
    ['2026-11-28', '2026-11-29'].map((date) => con.call(finance, 'books.reconciliation', { date })),
  )
  expect(d28).toMatchObject({
    ok: true,
    data: {
      channels: [
        {
          statementLines: 1,
          matched: 0,
          missingInBooks: [],
          missingAtProvider: [],
          differing: [{ paymentId: id, kind: 'NOT_THE_ORDERED_AMOUNT', providerFen: 1_999, orderedFen: 2_000 }],
        },
        {},
      ],
    },
  })
  expect(d29).toMatchObject({
    ok: true,
    data: { clean: true, channels: [{ statementLines: 1, matched: 1, differing: [] }, {}] },
  })
})
