// `kaitong reconcile --date`: the simulated WeChat Pay and card-debit statements of a day against
// the journal — matched payments, money a provider took that the books do not have (a callback
// never delivered, a debit never recorded), an amount other than the order's (refused and
// refunded, and listed).
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { PaymentView } from '../../src/api'
import { chinaDateString } from '../../src/domain/china-time'
import { reconcileCommand } from '../../scripts/cli/reconcile'
import { localPorts } from '../../server/local/ports'
import { ephemeralKeyring } from '../../server/local/adapters/basics'
import { devOpenid } from '../../server/local/runtime/session'
import { borrow, onboardBorrower, openLine, openRepayment, payAndSee } from '../support/borrower'
import { attemptTime } from '../../src/domain/auto-debit'
import { runDebitJobs } from '../../server/app/card-debits'
import { makeTestCloud } from '../support/cloud'
import { NOW } from '../support/factories'

const quiet = { info() {}, warn() {}, error() {} }

it('lists matched, missing and differing payments of the day; exit 1 when anything does not match; bad use is refused', async () => {
  const dbFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'kt-reconcile-')), 'k.db')
  const cloud = await makeTestCloud({ dbFile })
  await onboardBorrower(cloud)
  const loan = await borrow(cloud)
  const open = (amountFen: number) => openRepayment(cloud, loan.id, amountFen)
  const good = await open(1_000)
  await payAndSee(cloud, good, loan.id, { duplicates: 3 })
  const wrong = await open(2_000)
  await payAndSee(cloud, wrong, loan.id, { amountFen: 1_999 })
  // Paid at WeChat Pay, its callback never arrived (and nobody has asked since).
  const lost = await open(3_000)
  cloud.ports.payments.invoke = null
  await cloud.ports.simulatePayment(devOpenid('alice'), lost, { outcome: 'success' })
  const day = chinaDateString(NOW)
  const run = (argv: string[]) =>
    reconcileCommand(argv, () => localPorts({ dbFile, log: quiet, dataKeys: ephemeralKeyring() }))
  const r = await run(['--date', day])
  expect(r.exitCode).toBe(1)
  expect(r.output).toMatchObject({
    date: day,
    clean: false,
    wechatPay: {
      statementLines: 3,
      matched: 1,
      missingInBooks: [{ outTradeNo: lost, receivedFen: 3_000 }],
      missingAtProvider: [],
      differing: [{ paymentId: wrong, kind: 'NOT_THE_ORDERED_AMOUNT', providerFen: 1_999, orderedFen: 2_000 }],
    },
  })
  // Once the lost one is settled (the payment job asks WeChat Pay), only the wrong amount is left listed.
  expect((await cloud.call<PaymentView>('payments', 'get', { paymentId: lost })).ok).toBe(true)
  expect((await run(['--date', day])).output).toMatchObject({
    wechatPay: { matched: 2, missingInBooks: [], differing: [{ paymentId: wrong }] },
  })
  // Another day: nothing.
  expect(await run(['--date', '2020-01-01'])).toMatchObject({
    exitCode: 0,
    output: {
      clean: true,
      wechatPay: { statementLines: 0, matched: 0, missingInBooks: [], missingAtProvider: [], differing: [] },
    },
  })
  for (const bad of [[], ['--date'], ['--date', '2026-13-45x'], ['--date', '2026-02-30'], ['--when', day]])
    expect(await run(bad)).toMatchObject({ exitCode: 1, output: { error: { code: 'USAGE' } } })
  cloud.close()
})

it('card debits are reconciled against their own clearing account: a debit taken and booked matches; one taken and never booked is listed', async () => {
  const dbFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'kt-reconcile-debits-')), 'k.db')
  const cloud = await makeTestCloud({ dbFile })
  await onboardBorrower(cloud)
  await openLine(cloud)
  await cloud.call('lines', 'autoDebit', { product: 'we2000', on: true })
  const loan = await borrow(cloud)
  const due = loan.schedule[0].dueDate
  cloud.ports.clock.advance(attemptTime(due, 1) - cloud.ports.clock.now())
  expect(await runDebitJobs(cloud.ports)).toMatchObject({ asked: 1, taken: 1 })
  // The gateway took another debit the books never heard of (a record lost on its way back).
  await cloud.ports.cardDebits.send({
    debitId: 'ad_0123456789abcdef01234567',
    loanId: loan.id,
    amountFen: 500,
    openid: devOpenid('alice'),
    cardToken: 'x',
    last4: '1234',
    subjectHash: '',
  })
  await cloud.ports.cardDebits.query('ad_0123456789abcdef01234567')
  const r = await reconcileCommand(['--date', due], () =>
    localPorts({ dbFile, log: quiet, dataKeys: ephemeralKeyring() }),
  )
  expect(r.exitCode).toBe(1)
  expect(r.output).toMatchObject({
    wechatPay: { statementLines: 0, matched: 0 },
    cardDebits: {
      statementLines: 2,
      matched: 1,
      missingInBooks: [{ outTradeNo: 'ad_0123456789abcdef01234567', receivedFen: 500 }],
      missingAtProvider: [],
      differing: [],
    },
  })
  cloud.close()
})
