import type { DeleteResult } from '../../src/api'
import { DAY_MS, addChinaMonths } from '../../src/domain/china-time'
import { runScheduledJobs } from '../../server/app/timer'
import { makeTestCloud, type TestCloud } from '../support/cloud'
import { makeApplicant } from '../support/factories'
import { CARD_NUMBER, borrow as borrowLoan, onboardBorrower, repayAndPay } from '../support/borrower'

let cloud: TestCloud
beforeEach(async () => {
  cloud = await makeTestCloud()
})
afterEach(() => cloud.close())

const applicant = makeApplicant()
const cardNumber = CARD_NUMBER
async function borrow() {
  await onboardBorrower(cloud, 'alice', applicant)
  return borrowLoan(cloud)
}

describe('account.consents', () => {
  it('lists every agreement and credit-query consent with its version or purpose and time', async () => {
    await borrow()
    const r = await cloud.call<Array<{ kind: string; version?: string; purpose?: string; usedBy?: string }>>(
      'account',
      'consents',
      {},
    )
    if (!r.ok) throw new Error(r.error.code)
    expect(r.data.map((c) => c.kind)).toEqual(
      expect.arrayContaining([
        'userAgreement',
        'privacyPolicy',
        'biometricConsent',
        'financialDataConsent',
        'creditQuery',
      ]),
    )
    // The one credit query is the line's opening; the drawdown asked for none.
    expect(r.data.filter((c) => c.kind === 'creditQuery')).toEqual([
      expect.objectContaining({ purpose: 'credit-line', product: 'we2000', usedBy: 'o_dev_alice:we2000' }),
    ])
  })
})

describe('account.export', () => {
  it('returns the caller’s data in masked form: no raw ID, card or mobile, no hashes', async () => {
    await borrow()
    const r = await cloud.call<Record<string, unknown>>('account', 'export', {})
    if (!r.ok) throw new Error(r.error.code)
    const text = JSON.stringify(r.data)
    expect(r.data).toMatchObject({
      identity: { name: '*三' },
      cards: [{ bank: '招商银行', last4: cardNumber.slice(-4) }],
    })
    expect((r.data.loans as unknown[]).length).toBe(1)
    for (const secret of [applicant.idNumber, cardNumber, applicant.mobile]) expect(text).not.toContain(secret)
    // Keyed hashes and card tokens are for look-ups, not for the person; receipts keep their signatures (vouchers).
    expect(text).not.toMatch(/"(idHash|nameHash|mobileHash|token)"/)
  })
})

describe('account.delete', () => {
  it('needs an explicit confirm: true', async () => {
    expect(await cloud.call('account', 'delete', {})).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', field: 'confirm' },
    })
  })

  it('with an open loan: keeps what the loan needs and says what and why', async () => {
    const loan = await borrow()
    const r = await cloud.call<DeleteResult>('account', 'delete', { confirm: true })
    if (!r.ok) throw new Error(r.error.code)
    expect(r.data.kept.map((k) => k.what).join(' ')).toContain(loan.id)
    expect(await cloud.call('loans', 'get', { loanId: loan.id })).toMatchObject({ ok: true })
    expect(await cloud.call('onboarding', 'status', {})).toMatchObject({
      data: { next: 'agreements', identity: { name: '*三' } },
    })
  })

  it('with no open loan: everything goes, and a fresh start is possible', async () => {
    const loan = await borrow()
    cloud.ports.clock.advance(DAY_MS)
    const paid = await repayAndPay(cloud, loan.id, 'all')
    if (!paid.ok) throw new Error(paid.error.code)
    const closedAt = paid.data.loan.closedAt!
    const r = await cloud.call<DeleteResult>('account', 'delete', { confirm: true })
    if (!r.ok) throw new Error(r.error.code)
    // The books stay (they name the loan, never the person); the loan's records stay pseudonymised
    // for five years after it closed, and the answer says until when.
    expect(r.data.kept[0]).toEqual({
      what: expect.stringContaining('记账分录'),
      why: expect.stringContaining('会计账簿'),
      until: null,
    })
    expect(r.data.kept).toHaveLength(2)
    const retained = r.data.kept[1]
    for (const what of [
      '已签署的合同',
      '电子凭证',
      '借款记录',
      '付款与扣款记录',
      '征信查询授权记录',
      '协议同意与授权撤回记录',
      '审计记录',
    ])
      expect(retained.what).toContain(what)
    expect(retained).toMatchObject({ until: addChinaMonths(closedAt, 60), why: expect.stringContaining('5 年') })
    expect(r.data.deleted).toMatchObject({ users: 1 })
    expect(r.data.deleted.loans).toBeUndefined()
    const left = cloud
      .dump()
      .split('\n')
      .filter(
        // The simulators' own records are the world's (WeChat Pay keeps its orders), not Kaitong's.
        (line) => line.includes('o_dev_alice') && !line.startsWith('simProfiles/') && !line.startsWith('simPayments/'),
      )
    expect(left).toEqual([])
    expect(await cloud.call('loans', 'get', { loanId: loan.id })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    })
  })
})

describe('account.delete and the message center', () => {
  it('reminders and messages go too, and the export listed them before', async () => {
    const loan = await borrow()
    // Two days before the due date, at 09:00 China time: the D-3 reminder lands in the message center.
    cloud.ports.clock.advance(27 * DAY_MS)
    const run = await runScheduledJobs(cloud.ports)
    expect(run.reminders.inbox + run.reminders.sent).toBeGreaterThan(0)
    const exported = await cloud.call<{ messages: unknown[] }>('account', 'export', {})
    if (!exported.ok) throw new Error(exported.error.code)
    expect(exported.data.messages.length).toBeGreaterThan(0)
    expect((await repayAndPay(cloud, loan.id, 'all')).ok).toBe(true)
    const r = await cloud.call<DeleteResult>('account', 'delete', { confirm: true })
    if (!r.ok) throw new Error(r.error.code)
    expect(r.data.deleted).toMatchObject({ messages: expect.any(Number), reminders: expect.any(Number) })
    const left = cloud
      .dump()
      .split('\n')
      .filter(
        // The simulators' own records are the world's (WeChat Pay keeps its orders), not Kaitong's.
        (line) => line.includes('o_dev_alice') && !line.startsWith('simProfiles/') && !line.startsWith('simPayments/'),
      )
    expect(left).toEqual([])
  })
})
