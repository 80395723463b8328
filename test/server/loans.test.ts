import { makeCard } from '../support/cards'
import type { ApplyResult, LoanView, PaymentView, ReceiptView } from '../../src/api'
import type { LineChange } from '../../src/domain/line'
import { DAY_MS, HOUR_MS } from '../../src/domain/china-time'
import type { Evaluation } from '../../src/domain/rules'
import { priceOffer } from '../../src/domain/pricing'
import { markOverdue, type AuditDoc } from '../../server/app/loans/index'
import { ALL_AGREEMENTS, makeTestCloud, noteHash, type TestCloud } from '../support/cloud'
import { cancelAndPay, openLine, payAndSee, repayAndPay } from '../support/borrower'
import { runLineJobs, type LineDoc } from '../../server/app/lines'
import { apply as applyUseCase } from '../../server/app/loans/apply'
import { createMain } from '../../server/app/handler'
import { runPayoutJobs } from '../../server/app/payouts'
import type { RequestDoc } from '../../server/app/once'
import { whoIsLocal } from '../../server/local/runtime/gateway'
import { makeApplicant, makeIdNumber } from '../support/factories'
import { REFUSED_PURPOSES } from '../../src/domain/purposes'

let cloud: TestCloud
beforeEach(async () => {
  cloud = await makeTestCloud()
})
afterEach(() => cloud.close())

const card = (fill: string) => makeCard('622588', fill)
/** Agreements, real name and a bound debit card for a demo persona. */
async function ready(user: string) {
  const person = makeApplicant({ idNumber: makeIdNumber({ seq: String(300 + user.charCodeAt(0)).slice(-3) }) })
  await cloud.call('onboarding', 'acceptAgreements', { accepted: ALL_AGREEMENTS }, { user })
  expect((await cloud.call('onboarding', 'verifyIdentity', person, { user })).ok).toBe(true)
  const bound = await cloud.call(
    'onboarding',
    'bindCard',
    {
      cardNumber: card('1234567' + String(user.length).padStart(3, '0')),
      mobile: person.mobile,
      name: person.name,
      idNumber: person.idNumber,
    },
    { user },
  )
  expect(bound.ok).toBe(true)
}
/** The product's line, as stored (its "in use" is what the drawdowns hold). */
const lineOf = async (user = 'alice', product = 'we2000') =>
  (await cloud.ports.store.get<LineDoc>('lines', `o_dev_${user}:${product}`))?.data.line ?? null
/** The product's history (额度记录), as its owner reads it. */
const historyOf = async (user = 'alice', product = 'we2000') => {
  const r = await cloud.call<LineChange[]>('lines', 'history', { product }, { user })
  if (!r.ok) throw new Error(r.error.code)
  return r.data
}
const hardInquiries = async (user = 'alice') =>
  (await cloud.ports.bureau.softReport({ openid: `o_dev_${user}`, idHash: '' }, cloud.ports.clock.now()))
    .hardInquiryTimes.length
/** A drawdown against the product's line, opened first (its one inquiry) when it is not open. */
const apply = async (over: Record<string, unknown> = {}, user = 'alice') => {
  const product = (over.product as string) ?? 'we2000'
  await openLine(cloud, user, product)
  return cloud.call<ApplyResult>(
    'loans',
    'apply',
    { product, amountFen: 200_000, termMonths: 6, mode: 'equal-installment', purpose: 'consumption', ...over },
    { user },
  )
}
const approvedLoan = async (over: Record<string, unknown> = {}) => {
  const r = await apply(over)
  if (!r.ok) throw new Error(r.error.code)
  expect(r.data.outcome).toBe('approved')
  return r.data.loan
}
const receiptsOf = async (loanId: string, user = 'alice') => {
  const r = await cloud.call<ReceiptView[]>('loans', 'receipts', { loanId }, { user })
  if (!r.ok) throw new Error(r.error.code)
  return r.data
}

describe('loans.apply: a drawdown against the open line', () => {
  beforeEach(() => ready('alice'))

  it('approves, disburses and prices on the server at the line’s rate: the schedule is the engine’s, with receipts for each step', async () => {
    const loan = await approvedLoan({ dailyRatePpm: 1, aprPercent: 0.01, schedule: [] })
    const engine = priceOffer({
      product: 'we2000',
      amountFen: 200_000,
      term: { months: 6 },
      mode: 'equal-installment',
      disbursedAt: cloud.ports.clock.now(),
    })
    if (!engine.ok) throw new Error(engine.error.code)
    expect(loan).toMatchObject({
      state: 'disbursed',
      amountFen: 200_000,
      dailyRatePercent: 0.05,
      aprPercent: 21.74,
      coolingOffEndsAt: cloud.ports.clock.now() + DAY_MS,
    })
    expect(loan.aprPercent).toBe(engine.offer.aprPercent)
    expect(loan.schedule.map((l) => l.totalFen)).toEqual(engine.offer.schedule.map((l) => l.totalFen))
    expect((await receiptsOf(loan.id)).map((r) => r.kind)).toEqual(['apply', 'approve', 'disburse'])
    expect(await lineOf()).toMatchObject({ inUseFen: 200_000 })
  })

  /** The audit's finding: five loans in six months refused a good borrower TOO_MANY_HARD_INQUIRIES by the product's own inquiries. */
  it('ten drawdowns in six months cost exactly one hard inquiry: the line’s opening', async () => {
    const before = await hardInquiries()
    for (let i = 0; i < 10; i++) {
      const loan = await approvedLoan({ amountFen: 10_000 })
      expect(loan.state).toBe('disbursed')
      cloud.ports.clock.advance(18 * DAY_MS)
    }
    expect(await hardInquiries()).toBe(before + 1)
    expect(await lineOf()).toMatchObject({ state: 'active', inUseFen: 100_000 })
    const drawn = (await historyOf()).filter((c) => c.reason === 'DRAWN')
    expect(drawn).toHaveLength(10)
  })

  it('no open line: NO_ACTIVE_LINE; a frozen line: LINE_FROZEN; more than available: LINE_EXCEEDED with the amount — nothing written', async () => {
    const req = {
      product: 'we2000',
      amountFen: 10_000,
      termMonths: 6,
      mode: 'equal-installment',
      purpose: 'consumption',
    }
    const before = cloud.dump()
    expect(await cloud.call('loans', 'apply', req)).toMatchObject({ ok: false, error: { code: 'NO_ACTIVE_LINE' } })
    expect(cloud.dump()).toBe(before)
    const line = await openLine(cloud, 'alice', 'we2000')
    expect(line).toMatchObject({ state: 'active', limitFen: 200_000, availableFen: 200_000 })
    expect((await cloud.call('loans', 'apply', { ...req, amountFen: 150_000 })).ok).toBe(true)
    const opened = cloud.dump()
    expect(await cloud.call('loans', 'apply', { ...req, amountFen: 50_001 })).toMatchObject({
      ok: false,
      error: {
        code: 'LINE_EXCEEDED',
        field: 'amountFen',
        detail: '50000',
        message: '超过可用额度：当前最多可借 ¥500.00。',
      },
    })
    expect(cloud.dump()).toBe(opened)
    expect((await cloud.call('loans', 'apply', { ...req, amountFen: 50_000 })).ok).toBe(true)
    const doc = (await cloud.ports.store.get<LineDoc>('lines', 'o_dev_alice:we2000'))!
    await cloud.ports.store.update('lines', doc.id, doc.version, {
      ...doc.data,
      line: { ...doc.data.line, state: 'frozen' },
    })
    expect(await cloud.call('loans', 'apply', req)).toMatchObject({ ok: false, error: { code: 'LINE_FROZEN' } })
  })

  it('the post-loan check (soft data) refuses a drawdown while the person is overdue elsewhere: the loan records it, the line holds nothing, no inquiry', async () => {
    await openLine(cloud, 'alice', 'we2000')
    const p = cloud.ports.world.defaultProfile('o_dev_alice')
    await cloud.ports.world.edit('o_dev_alice', {
      ...p,
      bureau: { ...p.bureau, overdueCount24m: 1, maxOverdueDays: 45 },
    })
    const inquiries = await hardInquiries()
    const r = await apply()
    expect(r).toMatchObject({
      ok: true,
      data: {
        outcome: 'refused',
        loan: { state: 'refused', reasons: ['OVERDUE_ELSEWHERE'] },
        reasons: [{ code: 'OVERDUE_ELSEWHERE', title: '在其他机构的借款逾期超过30天' }],
      },
    })
    if (r.ok) expect((await receiptsOf(r.data.loan.id)).map((x) => x.kind)).toEqual(['apply', 'refuse'])
    expect(await lineOf()).toMatchObject({ inUseFen: 0 })
    expect(await hardInquiries()).toBe(inquiries)
  })

  /**
   * Regression: an investment purpose was refused only after the soft report and the hard inquiry,
   * so asking for a loan "for stocks" cost the borrower an inquiry on their credit file. Purpose and
   * account type are decided before anyone is asked anything; nothing is written.
   */
  it('an investment purpose or account is refused before any query: nothing written, and an allowed drawdown asks only soft data', async () => {
    await openLine(cloud, 'alice', 'we2000')
    const calls: string[] = []
    const bureau = cloud.ports.bureau
    cloud.ports.bureau = {
      softReport: (subject, now) => (calls.push('soft'), bureau.softReport(subject, now)),
      hardInquiry: (subject, q, now) => (calls.push('hard'), bureau.hardInquiry(subject, q, now)),
    }
    const before = cloud.dump()
    // Every purpose the Interim Measures (2020) forbid, and investment and crypto besides.
    for (const over of REFUSED_PURPOSES.map((purpose) => ({ purpose }))) {
      expect(await apply(over)).toMatchObject({ ok: false, error: { code: 'PURPOSE_REFUSED', field: 'purpose' } })
    }
    expect(await apply({ accountType: 'securities' })).toMatchObject({
      ok: false,
      error: { code: 'PURPOSE_REFUSED', field: 'accountType' },
    })
    expect(calls).toEqual([])
    expect(cloud.dump()).toBe(before)
    expect(await apply()).toMatchObject({ ok: true, data: { outcome: 'approved' } })
    expect(calls).toEqual(['soft'])
  })

  it('the pre-check, the offers and drawdowns cost no inquiry: only the opening does', async () => {
    const before = await hardInquiries()
    for (let i = 0; i < 3; i++) {
      expect((await cloud.call('credit', 'precheck', {})).ok).toBe(true)
      expect((await cloud.call('credit', 'offers', {})).ok).toBe(true)
    }
    expect(await hardInquiries()).toBe(before)
    await approvedLoan({ amountFen: 50_000 })
    await approvedLoan({ amountFen: 50_000 })
    expect(await hardInquiries()).toBe(before + 1)
  })

  /**
   * Regression: this only checked the state, so a review that disbursed (or reserved nothing) passed.
   * A review holds the amount against the line and moves no money: no payout receipt, no plan running,
   * no cancel or repayment possible.
   */
  it('over 50,000 CNY goes to manual review: a status, not a refusal, the amount reserved, no money moves', async () => {
    const r = await apply({ product: 'weilidai', amountFen: 5_000_001, termMonths: 10 })
    expect(r).toMatchObject({
      ok: true,
      data: {
        outcome: 'manual-review',
        loan: { state: 'review', disbursedAt: null, coolingOffEndsAt: null, due: null },
      },
    })
    if (!r.ok) return
    const loanId = r.data.loan.id
    expect((await receiptsOf(loanId)).map((x) => x.kind)).toEqual(['apply', 'review'])
    expect(await lineOf('alice', 'weilidai')).toMatchObject({ inUseFen: 5_000_001 })
    const doc = await cloud.ports.store.get<{ track: { watch: number; remind: number } }>('loans', loanId)
    expect(doc!.data.track).toMatchObject({ watch: 0, remind: 0 })
    for (const [action, data] of [
      ['cancel', { loanId }],
      ['repay', { loanId, amountFen: 'all' }],
      ['drawdown', { loanId }],
    ] as const)
      expect(await cloud.call('loans', action, data)).toMatchObject({
        ok: false,
        error: { code: 'INVALID_TRANSITION' },
      })
    expect((await receiptsOf(loanId)).map((x) => x.kind)).toEqual(['apply', 'review'])
  })

  it('a drawdown review nobody decides within 7 days is refused REVIEW_EXPIRED by the line job, and gives its reservation back', async () => {
    const r = await apply({ product: 'weilidai', amountFen: 6_000_000, termMonths: 10 })
    if (!r.ok) throw new Error(r.error.code)
    const loanId = r.data.loan.id
    cloud.ports.clock.advance(7 * DAY_MS - 1)
    await runLineJobs(cloud.ports)
    expect(await cloud.call('loans', 'get', { loanId })).toMatchObject({ ok: true, data: { state: 'review' } })
    cloud.ports.clock.advance(1)
    await runLineJobs(cloud.ports)
    expect(await cloud.call('loans', 'get', { loanId })).toMatchObject({
      ok: true,
      data: { state: 'refused', reasons: ['REVIEW_EXPIRED'] },
    })
    const line = (await lineOf('alice', 'weilidai'))!
    expect(line.inUseFen).toBe(0)
    expect((await historyOf('alice', 'weilidai')).map((c) => c.reason).slice(-2)).toEqual(['DRAWN', 'RELEASED'])
    expect((await receiptsOf(loanId)).map((x) => x.kind)).toEqual(['apply', 'review', 'refuse'])
  })

  it('the line is never exceeded, even by parallel drawdowns', async () => {
    await openLine(cloud, 'alice', 'we2000')
    const results = await Promise.all(Array.from({ length: 10 }, () => apply({ amountFen: 50_000 })))
    const approved = results.filter((r) => r.ok && r.data.outcome === 'approved')
    expect(approved).toHaveLength(4)
    expect(results.filter((r) => !r.ok).every((r) => !r.ok && r.error.code === 'LINE_EXCEEDED')).toBe(true)
    expect(await lineOf()).toMatchObject({ limitFen: 200_000, inUseFen: 200_000 })
  })

  it('repaid principal becomes available again (revolving); a cancel in the cooling-off gives all of it back', async () => {
    const first = await approvedLoan({ amountFen: 200_000 })
    expect(await apply({ amountFen: 50_000 })).toMatchObject({
      ok: false,
      error: { code: 'LINE_EXCEEDED', detail: '0' },
    })
    const due = await cloud.call<LoanView>('loans', 'get', { loanId: first.id })
    if (!due.ok) throw new Error(due.error.code)
    const repaid = await repayAndPay(cloud, first.id, due.data.due!.dueNowFen)
    if (!repaid.ok) throw new Error(repaid.error.code)
    const paid = { data: repaid.data.loan }
    expect(await lineOf()).toMatchObject({ inUseFen: 200_000 - paid.data.paid.principalFen })
    expect((await historyOf()).at(-1)).toMatchObject({
      reason: 'REPAID',
      loanId: first.id,
      amountFen: paid.data.paid.principalFen,
    })
    const second = await approvedLoan({ amountFen: paid.data.paid.principalFen })
    expect(await lineOf()).toMatchObject({ inUseFen: 200_000 })
    // The cooling-off return is a payment of the principal: the line is freed when it is paid.
    expect((await cancelAndPay(cloud, second.id)).ok).toBe(true)
    expect(await lineOf()).toMatchObject({ inUseFen: 200_000 - paid.data.paid.principalFen })
    expect((await historyOf()).at(-1)).toMatchObject({ reason: 'RELEASED', loanId: second.id })
  })

  /**
   * Regression (review): each run of a drawdown made a new loan id, so a retry after a crash (the
   * loan written, the request not yet answered — the claim is taken over after 30 s) made a second
   * loan and a second payout. The request names its loan: the retry answers the loan it made.
   */
  it('a drawdown run again for the same request (a retry after a crash) answers the loan it made: one loan, one reservation', async () => {
    await openLine(cloud, 'alice', 'we2000')
    const input = {
      product: 'we2000' as const,
      amountFen: 50_000,
      termMonths: 6,
      mode: 'equal-installment' as const,
      purpose: 'consumption' as const,
      accountType: 'debit' as const,
      contractSha256: await noteHash(cloud, {
        product: 'we2000',
        amountFen: 50_000,
        termMonths: 6,
        mode: 'equal-installment',
        purpose: 'consumption',
      }),
    }
    const since = cloud.ports.clock.now() - 40_000
    const first = await applyUseCase(cloud.ports, 'o_dev_alice', input, { requestId: 'req_crashed_1', since })
    const again = await applyUseCase(cloud.ports, 'o_dev_alice', input, { requestId: 'req_crashed_1', since })
    if (!first.ok || !again.ok) throw new Error('refused')
    expect(again.data.loan.id).toBe(first.data.loan.id)
    // Named from when the request was first claimed: loans (and all named from them) sort by time.
    expect(first.data.loan.id.startsWith(`L_${since.toString(36).padStart(9, '0')}`)).toBe(true)
    expect(again.data).toMatchObject({ outcome: 'approved', loan: { state: 'disbursed', amountFen: 50_000 } })
    expect((await lineOf())!.inUseFen).toBe(50_000)
    const loans = await cloud.call<LoanView[]>('loans', 'list', {})
    expect(loans.ok && loans.data).toHaveLength(1)
    expect((await receiptsOf(first.data.loan.id)).map((r) => r.kind)).toEqual(['apply', 'approve', 'disburse'])
    // Another request is another loan.
    const other = await applyUseCase(cloud.ports, 'o_dev_alice', input, { requestId: 'req_other_2', since })
    expect(other.ok && other.data.loan.id).not.toBe(first.data.loan.id)
    // A claim made before the first claim's time was kept (no `since`) names its loan as it did
    // then, so a retry of it after the upgrade still finds the loan it made.
    const legacy = await applyUseCase(cloud.ports, 'o_dev_alice', input, { requestId: 'req_old_3' })
    const legacyAgain = await applyUseCase(cloud.ports, 'o_dev_alice', input, { requestId: 'req_old_3' })
    expect(legacy.ok && legacy.data.loan.id).toMatch(/^L_[0-9a-f]{24}$/)
    expect(legacyAgain.ok && legacyAgain.data.loan.id).toBe(legacy.ok && legacy.data.loan.id)
    expect((await lineOf())!.inUseFen).toBe(150_000)
  })

  describe('a drawdown whose answer was lost after its loan was written', () => {
    const drawdown = {
      product: 'we2000',
      amountFen: 50_000,
      termMonths: 6,
      mode: 'equal-installment',
      purpose: 'consumption',
    }
    const ctx = { OPENID: 'o_dev_alice' }
    /** The loans function on ports whose first transaction commits and then throws (the answer lost). */
    const losingTheAnswer = () => {
      const store = cloud.ports.store
      let failAfterCommit = true
      const ports = {
        ...cloud.ports,
        store: Object.assign(Object.create(Object.getPrototypeOf(store) as object) as typeof store, store, {
          transact: async (work: Parameters<typeof store.transact>[0]) => {
            const r = await store.transact(work)
            if (failAfterCommit) {
              failAfterCommit = false
              throw new Error('lost after the commit')
            }
            return r
          },
        }),
      }
      return createMain('loans', () => ports, whoIsLocal)
    }
    const loans = () => createMain('loans', () => cloud.ports, whoIsLocal)
    /** loans.apply's envelope for the drawdown, its note signed, under `requestId`. */
    const signedApply = async (requestId: string) => ({
      action: 'apply',
      requestId,
      data: { ...drawdown, contractSha256: await noteHash(cloud, drawdown) },
    })
    const listed = async () => {
      const r = await cloud.call<LoanView[]>('loans', 'list', {})
      return r.ok ? r.data.map((l) => [l.id, l.state]) : []
    }
    const setLine = async (state: 'frozen' | 'active') => {
      const doc = (await cloud.ports.store.get<LineDoc>('lines', 'o_dev_alice:we2000'))!
      await cloud.ports.store.update<LineDoc>('lines', doc.id, doc.version, {
        ...doc.data,
        line: { ...doc.data.line, state },
      })
    }

    /**
     * The run threw after the commit: the claim is released, not removed, and the retry — at once,
     * a second later, under the first claim's time — answers the same loan instead of making and
     * paying out a second one.
     */
    it('the retry answers the loan it made: one loan, one reservation, named from the first claim', async () => {
      await openLine(cloud, 'alice', 'we2000')
      const envelope = await signedApply('req_threw_01')
      expect(await losingTheAnswer()(envelope, ctx)).toMatchObject({ ok: false, error: { code: 'INTERNAL' } })
      const claim = await cloud.ports.store.get<RequestDoc>('requests', 'o_dev_alice:req_threw_01')
      expect(claim?.data.state).toBe('released')
      cloud.ports.clock.advance(1_000)
      const retried = await loans()(envelope, ctx)
      // The first run threw before it asked for the payout: the loan waits for the payout job.
      expect(retried).toMatchObject({ ok: true, data: { outcome: 'approved', loan: { state: 'disbursing' } } })
      const id = (retried as { data: ApplyResult }).data.loan.id
      expect(id.startsWith(`L_${claim!.data.since!.toString(36).padStart(9, '0')}`)).toBe(true)
      await runPayoutJobs(cloud.ports)
      expect(await listed()).toEqual([[id, 'disbursed']])
      expect((await lineOf())!.inUseFen).toBe(50_000)
    })

    /**
     * Regression (review): a retry was checked again before its loan was looked for, so a line
     * frozen meanwhile refused it, the refusal removed the claim, and the retry after the line
     * thawed claimed afresh under a new time: a second loan and a second payout.
     */
    it('a retry made after the line froze is answered with its loan, not refused; a later retry makes no second loan', async () => {
      await openLine(cloud, 'alice', 'we2000')
      const envelope = await signedApply('req_threw_02')
      expect(await losingTheAnswer()(envelope, ctx)).toMatchObject({ ok: false })
      await setLine('frozen')
      cloud.ports.clock.advance(60_000)
      const whileFrozen = await loans()(envelope, ctx)
      expect(whileFrozen).toMatchObject({ ok: true, data: { outcome: 'approved' } })
      await setLine('active')
      cloud.ports.clock.advance(60_000)
      expect(await loans()(envelope, ctx)).toEqual(whileFrozen)
      await runPayoutJobs(cloud.ports)
      expect(await listed()).toHaveLength(1)
      expect((await lineOf())!.inUseFen).toBe(50_000)
    })

    /** A loan an earlier version made (named by the keyed hash alone) whose claim it then removed: the retry finds it. */
    it('a retry across the upgrade finds the loan under the name it had before', async () => {
      await openLine(cloud, 'alice', 'we2000')
      const signed = { ...drawdown, contractSha256: await noteHash(cloud, drawdown) } as Parameters<
        typeof applyUseCase
      >[2]
      const before = await applyUseCase(cloud.ports, 'o_dev_alice', signed, { requestId: 'req_upgr_01' })
      expect(before.ok && before.data.loan.id).toMatch(/^L_[0-9a-f]{24}$/)
      const retried = await loans()({ action: 'apply', requestId: 'req_upgr_01', data: signed }, ctx)
      expect(retried).toMatchObject({ ok: true, data: { loan: { id: before.ok && before.data.loan.id } } })
      expect(await listed()).toHaveLength(1)
      expect((await lineOf())!.inUseFen).toBe(50_000)
    })
  })

  it('pricing errors are typed: a term the product does not offer', async () => {
    expect(await apply({ termMonths: 13 })).toMatchObject({ ok: false, error: { code: 'TERM_NOT_OFFERED' } })
  })

  it('what is missing is said in the guard’s one order: agreements, the real-name check, the consent, then the line', async () => {
    const req = {
      product: 'we2000',
      amountFen: 200_000,
      termMonths: 6,
      mode: 'equal-installment',
      purpose: 'consumption',
    }
    const tried = () => cloud.call('loans', 'apply', req, { user: 'yan' })
    expect(await tried()).toMatchObject({ ok: false, error: { code: 'AGREEMENTS_REQUIRED' } })
    const required = ALL_AGREEMENTS.filter((a) => a.kind === 'userAgreement' || a.kind === 'privacyPolicy')
    await cloud.call('onboarding', 'acceptAgreements', { accepted: required }, { user: 'yan' })
    expect(await tried()).toMatchObject({ ok: false, error: { code: 'STEP_REQUIRED', detail: 'realName' } })
    await cloud.call('onboarding', 'verifyIdentity', makeApplicant({ idNumber: makeIdNumber({ seq: '903' }) }), {
      user: 'yan',
    })
    expect(await tried()).toMatchObject({
      ok: false,
      error: { code: 'CONSENT_REQUIRED', detail: 'financialDataConsent' },
    })
    await cloud.call('onboarding', 'acceptAgreements', { accepted: ALL_AGREEMENTS }, { user: 'yan' })
    expect(await tried()).toMatchObject({ ok: false, error: { code: 'NO_ACTIVE_LINE' } })
  })

  it('no bound card: the line cannot be opened (STEP_REQUIRED bankCard), so nothing can be drawn', async () => {
    await cloud.call('onboarding', 'acceptAgreements', { accepted: ALL_AGREEMENTS }, { user: 'zed' })
    await cloud.call('onboarding', 'verifyIdentity', makeApplicant({ idNumber: makeIdNumber({ seq: '901' }) }), {
      user: 'zed',
    })
    const precheck = await cloud.call<Evaluation>('credit', 'precheck', {}, { user: 'zed' })
    expect(precheck.ok).toBe(true)
    await expect(openLine(cloud, 'zed', 'we2000')).rejects.toThrow('STEP_REQUIRED')
    expect(
      await cloud.call(
        'loans',
        'apply',
        { product: 'we2000', amountFen: 10_000, termMonths: 6, mode: 'equal-installment', purpose: 'consumption' },
        { user: 'zed' },
      ),
    ).toMatchObject({ ok: false, error: { code: 'NO_ACTIVE_LINE' } })
  })
})

describe('冷静期 through the local cloud’s clock', () => {
  beforeEach(() => ready('alice'))

  it('23:59:59.999 after disbursement: cancelled, principal back, no interest, no fee', async () => {
    const loan = await approvedLoan()
    cloud.ports.clock.advance(DAY_MS - 1)
    // Asked in the last millisecond, paid a minute later: it counts from the request.
    const asked = await cloud.call<{ payment: PaymentView }>('loans', 'cancel', { loanId: loan.id })
    if (!asked.ok) throw new Error(asked.error.code)
    expect(asked.data.payment).toMatchObject({ purpose: 'coolingOff', amountFen: 200_000 })
    cloud.ports.clock.advance(60_000)
    const r = await payAndSee(cloud, asked.data.payment.paymentId, loan.id)
    expect(r).toMatchObject({
      ok: true,
      data: { loan: { state: 'cancelled', paid: { principalFen: 200_000, interestFen: 0, feeFen: 0, overdueFen: 0 } } },
    })
    expect((await receiptsOf(loan.id)).map((x) => x.kind)).toEqual(['apply', 'approve', 'disburse', 'cancel'])
  })

  it('24:00:00.000 after disbursement: COOLING_OFF_EXPIRED', async () => {
    const loan = await approvedLoan()
    cloud.ports.clock.advance(DAY_MS)
    expect(await cloud.call('loans', 'cancel', { loanId: loan.id })).toMatchObject({
      ok: false,
      error: { code: 'COOLING_OFF_EXPIRED' },
    })
  })

  /**
   * Regression: the "ledger balances" check compared the winner's receipt with the loan's paid
   * figures — two numbers from the same transition, equal by construction. Now both are money:
   * a cooling-off return and a payoff, both paid at WeChat Pay (its close of the other order lost
   * the race), their callbacks arriving together. Exactly one is applied and pays what was owed
   * before the race; the other is refunded in full; the line gets exactly the principal back.
   */
  it('a cooling-off return and a payoff both paid at once, 50 times: exactly one is applied, the other refunded in full', async () => {
    const usage = async () => (await lineOf())!.inUseFen
    const wins = { cancel: 0, repay: 0 }
    const payments = cloud.ports.payments
    const close = payments.close.bind(payments)
    // WeChat Pay took both: closing the first order when the second was opened came too late.
    payments.close = async () => 'closed'
    try {
      for (let i = 0; i < 50; i++) {
        const loan = await approvedLoan({ amountFen: 10_000, termMonths: 6 })
        cloud.ports.clock.advance(HOUR_MS)
        const before = await cloud.call<LoanView>('loans', 'get', { loanId: loan.id })
        if (!before.ok) throw new Error(before.error.code)
        expect(await usage()).toBe(10_000)
        const c = await cloud.call<{ payment: PaymentView }>('loans', 'cancel', { loanId: loan.id })
        const p = await cloud.call<{ payment: PaymentView }>('loans', 'repay', { loanId: loan.id, amountFen: 'all' })
        if (!c.ok || !p.ok) throw new Error('open')
        const [cp, pp] = [c.data.payment.paymentId, p.data.payment.paymentId]
        // Force both orders payable (the simulated close above closed nothing), then both callbacks at once.
        await Promise.all([
          cloud.ports.simulatePayment('o_dev_alice', cp, { outcome: 'success', duplicates: 2 }),
          cloud.ports.simulatePayment('o_dev_alice', pp, { outcome: 'success', duplicates: 2 }),
        ])
        const states = async (id: string) => (await cloud.call<PaymentView>('payments', 'get', { paymentId: id })).ok
        expect(await states(cp)).toBe(true)
        const list = await cloud.call<PaymentView[]>('payments', 'list', { loanId: loan.id })
        if (!list.ok) throw new Error(list.error.code)
        const applied = list.data.filter((x) => x.state === 'paid')
        expect(applied).toHaveLength(1)
        expect(list.data.filter((x) => x.state === 'refunded').map((x) => x.refundedFen)).toEqual([
          list.data.find((x) => x.state === 'refunded')!.amountFen,
        ])
        const money = (await receiptsOf(loan.id)).filter((r) => r.kind === 'cancel' || r.kind === 'repay')
        expect(money).toHaveLength(1)
        if (applied[0].purpose === 'coolingOff') {
          wins.cancel++
          expect(money[0]).toMatchObject({
            kind: 'cancel',
            amountFen: 10_000,
            breakdown: { principalFen: 10_000, interestFen: 0, feeFen: 0, overdueFen: 0 },
          })
        } else {
          wins.repay++
          expect(money[0]).toMatchObject({ kind: 'repay', amountFen: before.data.due!.payoffFen })
        }
        expect(await usage()).toBe(0)
      }
    } finally {
      payments.close = close
    }
    expect(wins.cancel + wins.repay).toBe(50)
  })
})

describe('face again before drawdown (new device or distant sign-in)', () => {
  beforeEach(() => ready('alice'))

  it('the loan is approved but held; it disburses only after a face check that passed after the application', async () => {
    const fresh = cloud.ports.world.defaultProfile('o_dev_alice')
    await cloud.ports.world.edit('o_dev_alice', { ...fresh, device: { newDevice: true, distantLocation: false } })
    const r = await apply()
    if (!r.ok) throw new Error(r.error.code)
    expect(r.data).toMatchObject({
      outcome: 'approved',
      faceRequiredBeforeDrawdown: true,
      loan: { state: 'approved', disbursedAt: null },
    })
    const loanId = r.data.loan.id
    expect(await cloud.call('loans', 'drawdown', { loanId })).toMatchObject({
      ok: false,
      error: { code: 'FACE_REQUIRED' },
    })
    const person = makeApplicant({ idNumber: makeIdNumber({ seq: String(300 + 'alice'.charCodeAt(0)).slice(-3) }) })
    // The person starts the face check a minute after applying.
    cloud.ports.clock.advance(60_000)
    const face = await cloud.call<{ verifyId: string }>('onboarding', 'startFace', {
      name: person.name,
      idNumber: person.idNumber,
    })
    if (!face.ok) throw new Error(face.error.code)
    await cloud.ports.face.setOutcome(face.data.verifyId, 'o_dev_alice', 'pass')
    expect((await cloud.call('onboarding', 'confirmFace', { verifyId: face.data.verifyId })).ok).toBe(true)
    expect(await cloud.call('loans', 'drawdown', { loanId })).toMatchObject({ ok: true, data: { state: 'disbursed' } })
    expect(await cloud.call('loans', 'drawdown', { loanId })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_TRANSITION' },
    })
    expect(await cloud.call('loans', 'drawdown', { loanId }, { user: 'bob' })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    })
  })

  /**
   * Regression: the drawdown accepted any pass confirmed after the application, so a face session
   * started before it (on the old device, say) and confirmed late passed the new-device check.
   */
  it('a pass from a session started before the application does not release the hold; a fresh one does', async () => {
    const person = makeApplicant({ idNumber: makeIdNumber({ seq: String(300 + 'alice'.charCodeAt(0)).slice(-3) }) })
    const startFace = async () => {
      const f = await cloud.call<{ verifyId: string }>('onboarding', 'startFace', {
        name: person.name,
        idNumber: person.idNumber,
      })
      if (!f.ok) throw new Error(f.error.code)
      return f.data.verifyId
    }
    const old = await startFace()
    cloud.ports.clock.advance(60_000)
    const fresh = cloud.ports.world.defaultProfile('o_dev_alice')
    await cloud.ports.world.edit('o_dev_alice', { ...fresh, device: { newDevice: true, distantLocation: false } })
    const r = await apply()
    if (!r.ok) throw new Error(r.error.code)
    const loanId = r.data.loan.id
    cloud.ports.clock.advance(60_000)
    await cloud.ports.face.setOutcome(old, 'o_dev_alice', 'pass')
    expect((await cloud.call('onboarding', 'confirmFace', { verifyId: old })).ok).toBe(true)
    expect(await cloud.call('loans', 'drawdown', { loanId })).toMatchObject({
      ok: false,
      error: { code: 'FACE_REQUIRED' },
    })
    const next = await startFace()
    await cloud.ports.face.setOutcome(next, 'o_dev_alice', 'pass')
    expect((await cloud.call('onboarding', 'confirmFace', { verifyId: next })).ok).toBe(true)
    expect(await cloud.call('loans', 'drawdown', { loanId })).toMatchObject({ ok: true, data: { state: 'disbursed' } })
  })
})

/**
 * Regression: `apply` wrote every step's audit entry with the final state (so "approve" said
 * `disbursed`), and overdue marking wrote none: the log did not say what happened when.
 */
describe('the audit log: one entry per state change, with the state that step produced', () => {
  beforeEach(() => ready('alice'))
  const auditOf = async (loanId: string) =>
    (await cloud.ports.store.query<AuditDoc>('audit', { index: 'byOpenid', eq: 'o_dev_alice', limit: 1000 }))
      .filter((d) => d.data.loanId === loanId)
      .map((d) => `${d.data.action}:${d.data.state}`)

  it('approved and paid out: apply → applied, approve → approved, disburse → disbursed', async () => {
    const loan = await approvedLoan()
    // The payout asked for, then confirmed by the lender's gateway: two steps, two entries.
    expect(await auditOf(loan.id)).toEqual([
      'apply:applied',
      'approve:approved',
      'disburse:disbursing',
      'payout:disbursed',
    ])
  })

  it('manual review and refusal each record their own state', async () => {
    const review = await apply({ product: 'weilidai', amountFen: 5_000_001, termMonths: 10 })
    if (!review.ok) throw new Error(review.error.code)
    expect(await auditOf(review.data.loan.id)).toEqual(['apply:applied', 'review:review'])
    const p = cloud.ports.world.defaultProfile('o_dev_alice')
    await cloud.ports.world.edit('o_dev_alice', {
      ...p,
      bureau: { ...p.bureau, overdueCount24m: 1, maxOverdueDays: 45 },
    })
    const refused = await apply({ product: 'weilidai', amountFen: 100_000, termMonths: 10 })
    if (!refused.ok) throw new Error(refused.error.code)
    expect(await auditOf(refused.data.loan.id)).toEqual(['apply:applied', 'refuse:refused'])
  })

  it('overdue marking writes one, and so does the repayment after it, in order', async () => {
    const loan = await approvedLoan({ amountFen: 100_000, termMonths: 6, mode: 'equal-principal' })
    cloud.ports.clock.advance(40 * DAY_MS)
    expect(await markOverdue(cloud.ports)).toEqual({ marked: 1, skipped: 0 })
    // A second run marks nothing and writes nothing.
    expect(await markOverdue(cloud.ports)).toEqual({ marked: 0, skipped: 0 })
    const got = await cloud.call<LoanView>('loans', 'get', { loanId: loan.id })
    if (!got.ok) throw new Error(got.error.code)
    expect((await repayAndPay(cloud, loan.id, got.data.due!.dueNowFen)).ok).toBe(true)
    expect(await auditOf(loan.id)).toEqual([
      'apply:applied',
      'approve:approved',
      'disburse:disbursing',
      'payout:disbursed',
      'overdue:overdue',
      'repay:repaying',
    ])
    // Each with the amount its step moved: the loan's, none for the marking, what was paid for the repayment.
    const amounts = (
      await cloud.ports.store.query<AuditDoc>('audit', { index: 'byOpenid', eq: 'o_dev_alice', limit: 1000 })
    )
      .filter((d) => d.data.loanId === loan.id)
      .map((d) => d.data.amountFen)
    expect(amounts).toEqual([100_000, 100_000, 0, 100_000, 0, got.data.due!.dueNowFen])
  })
})

describe('the overdue job', () => {
  beforeEach(() => ready('alice'))

  it('marks a loan whose line is past due, and not before; the repayment then carries the charge', async () => {
    const loan = await approvedLoan({ amountFen: 100_000, termMonths: 6, mode: 'equal-principal' })
    expect(await markOverdue(cloud.ports)).toEqual({ marked: 0, skipped: 0 })
    cloud.ports.clock.advance(40 * DAY_MS)
    expect(await markOverdue(cloud.ports)).toEqual({ marked: 1, skipped: 0 })
    const got = await cloud.call<LoanView>('loans', 'get', { loanId: loan.id })
    if (!got.ok) throw new Error(got.error.code)
    expect(got.data.state).toBe('overdue')
    expect(got.data.due!.overdueFen).toBeGreaterThan(0)
    const paid = await repayAndPay(cloud, loan.id, got.data.due!.dueNowFen)
    if (!paid.ok) throw new Error(paid.error.code)
    const repaid = { data: paid.data.loan }
    expect(repaid.data.state).toBe('repaying')
    expect(repaid.data.schedule.map((l) => l.paid)).toEqual([true, false, false, false, false, false])
    expect(await markOverdue(cloud.ports)).toEqual({ marked: 0, skipped: 0 })
  })

  it('racing a repayment, 30 times: the ledger always balances to the fen', async () => {
    for (let i = 0; i < 30; i++) {
      // Thirty times 35 days outlast the line's 12 months: the job expires it, and it is opened again.
      await runLineJobs(cloud.ports)
      const loan = await approvedLoan({ amountFen: 10_000, termMonths: 6, mode: 'equal-principal' })
      cloud.ports.clock.advance(35 * DAY_MS)
      const before = await cloud.call<LoanView>('loans', 'get', { loanId: loan.id })
      if (!before.ok) throw new Error(before.error.code)
      // The repayment's confirmation (its callback) races the overdue job.
      const opened = await cloud.call<{ payment: PaymentView }>('loans', 'repay', {
        loanId: loan.id,
        amountFen: before.data.due!.dueNowFen,
      })
      if (!opened.ok) throw new Error(opened.error.code)
      const [, repaid] = await Promise.all([
        markOverdue(cloud.ports),
        cloud.ports.simulatePayment('o_dev_alice', opened.data.payment.paymentId, { outcome: 'success' }),
      ])
      expect(repaid?.answers).toEqual([{ errcode: 0, errmsg: 'OK' }])
      const after = await cloud.call<LoanView>('loans', 'get', { loanId: loan.id })
      if (!after.ok) throw new Error(after.error.code)
      expect(after.data.state).toBe('repaying')
      const money = (await receiptsOf(loan.id)).filter((r) => r.kind === 'repay')
      const p = after.data.paid
      // What was due before the race is what was paid: marking overdue changes no figure.
      expect(money.map((r) => r.amountFen)).toEqual([before.data.due!.dueNowFen])
      expect(p.principalFen + p.interestFen + p.feeFen + p.overdueFen).toBe(before.data.due!.dueNowFen)
      expect(p.principalFen).toBe(before.data.schedule[0].principalFen)
      // Settled, so the next round's loan fits in the line again.
      expect((await repayAndPay(cloud, loan.id, 'all')).ok).toBe(true)
    }
  })
})

describe('loans.repay, list, get, receipts', () => {
  beforeEach(() => ready('alice'))

  it('repay all settles the loan; more than the payoff is refused with the allowed amounts', async () => {
    const loan = await approvedLoan()
    cloud.ports.clock.advance(10 * DAY_MS)
    const over = await cloud.call('loans', 'repay', { loanId: loan.id, amountFen: 10_000_000 })
    expect(over).toMatchObject({
      ok: false,
      error: { code: 'OVERPAYMENT', detail: expect.stringMatching(/^\d+,\d+$/) },
    })
    expect(await repayAndPay(cloud, loan.id, 'all')).toMatchObject({
      ok: true,
      data: { loan: { state: 'settled' }, payment: { state: 'paid' } },
    })
    expect(await cloud.call('loans', 'repay', { loanId: loan.id, amountFen: 'all' })).toMatchObject({
      ok: false,
      error: { code: 'LOAN_CLOSED' },
    })
  })

  it('lists the caller’s loans, newest first', async () => {
    const a = await approvedLoan({ amountFen: 10_000 })
    cloud.ports.clock.advance(1000)
    const b = await approvedLoan({ amountFen: 20_000 })
    const r = await cloud.call<LoanView[]>('loans', 'list', {})
    expect(r.ok && r.data.map((l) => l.id)).toEqual([b.id, a.id])
  })

  it('receipts verify, and a changed figure does not', async () => {
    const loan = await approvedLoan()
    const [first] = await receiptsOf(loan.id)
    expect(await cloud.call('loans', 'verifyReceipt', { receipt: first })).toEqual({ ok: true, data: { valid: true } })
    expect(
      await cloud.call('loans', 'verifyReceipt', { receipt: { ...first, amountFen: first.amountFen + 1 } }),
    ).toEqual({ ok: true, data: { valid: false } })
  })

  it('every operation leaves an audit entry with the rule set and catalog versions', async () => {
    await approvedLoan()
    const audit = await cloud.ports.store.query<{ action: string; versions: { ruleSet: string; catalog: string } }>(
      'audit',
      { index: 'byOpenid', eq: 'o_dev_alice', limit: 10 },
    )
    expect(audit.map((a) => a.data.action)).toEqual(['apply', 'approve', 'disburse', 'payout'])
    expect(
      audit.every((a) => /^rules\//.test(a.data.versions.ruleSet) && /^demo-catalog\//.test(a.data.versions.catalog)),
    ).toBe(true)
  })

  it('another user’s loan id is NOT_FOUND for every action that takes one', async () => {
    const loan = await approvedLoan()
    for (const [action, data] of [
      ['get', { loanId: loan.id }],
      ['cancel', { loanId: loan.id }],
      ['repay', { loanId: loan.id, amountFen: 'all' }],
      ['previewRepayment', { loanId: loan.id, amountFen: 100 }],
      ['receipts', { loanId: loan.id }],
    ] as const) {
      expect(await cloud.call('loans', action, data, { user: 'bob' })).toMatchObject({
        ok: false,
        error: { code: 'NOT_FOUND' },
      })
    }
    expect(await cloud.call('loans', 'get', { loanId: loan.id })).toMatchObject({ ok: true })
  })
})
