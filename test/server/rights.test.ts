/**
 * The borrower's rights over what they gave and what is kept: withdrawing each optional consent
 * stops exactly what needs it (and is recorded, never deleted); deleting the account keeps what
 * retention requires, pseudonymised, until the purge job removes it after the period; automated
 * decisions are explained, and a person's review can be asked for, waits visibly and expires.
 */
import type { ConsentView, DeleteResult, Explanation, LineView, ReviewCaseView, WithdrawResult } from '../../src/api'
import { addChinaMonths, DAY_MS } from '../../src/domain/china-time'
import { runScheduledJobs } from '../../server/app/timer'
import { pseudonymOf } from '../../server/app/retention'
import { borrow, onboardBorrower, openLine, repayAndPay } from '../support/borrower'
import { ALL_AGREEMENTS, makeTestCloud, type TestCloud } from '../support/cloud'
import { makeApplicant, makeIdNumber } from '../support/factories'

let cloud: TestCloud
beforeEach(async () => {
  cloud = await makeTestCloud()
})
afterEach(() => cloud.close())

async function withdraw(kind: string) {
  const r = await cloud.call<WithdrawResult>('account', 'withdrawConsent', { kind })
  if (!r.ok) throw new Error(r.error.code)
  return r.data
}

describe('account.withdrawConsent', () => {
  it('financial data: the pre-check, opening and drawing ask for it again; repaying goes on; the withdrawal stays in the log', async () => {
    await onboardBorrower(cloud)
    const loan = await borrow(cloud)
    cloud.ports.clock.advance(3_600_000)
    const r = await withdraw('financialDataConsent')
    expect(r).toMatchObject({ kind: 'financialDataConsent', wasGiven: true, withdrawnAt: cloud.ports.clock.now() })
    expect(r.stops.join('')).toContain('预审、开通额度、借款')
    for (const [fn, action, data] of [
      ['credit', 'precheck', {}],
      ['credit', 'offers', {}],
      ['lines', 'consent', { product: 'we2000' }],
      [
        'loans',
        'apply',
        { product: 'we2000', amountFen: 100_000, termMonths: 6, mode: 'equal-principal', purpose: 'consumption' },
      ],
      ['contracts', 'preview', { kind: 'line', product: 'we2000' }],
    ] as const)
      expect(await cloud.call(fn, action, data)).toMatchObject({
        ok: false,
        error: { code: 'CONSENT_REQUIRED', detail: 'financialDataConsent' },
      })
    // What was borrowed is repaid as before.
    cloud.ports.clock.advance(DAY_MS)
    expect((await repayAndPay(cloud, loan.id, 'due')).ok).toBe(true)
    // Recorded beside the acceptance, never instead of it.
    const log = r.consents.filter((c) => c.kind === 'financialDataConsent')
    expect(log.map((c) => !!c.withdrawn)).toEqual([false, true])
    // Given again, it works again, and the log has all three.
    cloud.ports.clock.advance(3_600_000)
    await cloud.call('onboarding', 'acceptAgreements', { accepted: ALL_AGREEMENTS })
    expect((await cloud.call('credit', 'precheck', {})).ok).toBe(true)
    const again = (await cloud.call<ConsentView[]>('account', 'consents', {})) as { ok: true; data: ConsentView[] }
    expect(again.data.filter((c) => c.kind === 'financialDataConsent').map((c) => !!c.withdrawn)).toEqual([
      false,
      true,
      false,
    ])
  })

  it('biometric: face verification stops, and nothing else does', async () => {
    const person = await onboardBorrower(cloud)
    const r = await withdraw('biometricConsent')
    expect(r.stops.join('')).toContain('小鹅花钱')
    expect(await cloud.call('onboarding', 'startFace', { name: person.name, idNumber: person.idNumber })).toMatchObject(
      {
        ok: false,
        error: { code: 'CONSENT_REQUIRED', detail: 'biometricConsent' },
      },
    )
    expect((await cloud.call('credit', 'precheck', {})).ok).toBe(true)
    expect((await openLine(cloud)).state).toBe('active')
  })

  it('automatic debit: every line’s mandate is turned off, recorded in its history', async () => {
    await onboardBorrower(cloud)
    await openLine(cloud)
    expect(await cloud.call('lines', 'autoDebit', { product: 'we2000', on: true })).toMatchObject({
      ok: true,
      data: { autoDebit: { last4: expect.any(String) } },
    })
    const r = await withdraw('autoDebit')
    expect(r.wasGiven).toBe(true)
    expect(await cloud.call<LineView>('lines', 'get', { product: 'we2000' })).toMatchObject({
      data: { autoDebit: null },
    })
    expect(r.consents.filter((c) => c.kind === 'autoDebit').map((c) => c.on)).toEqual([true, false])
  })

  it('reminders: subscribe-message grants end, the message center stays', async () => {
    await onboardBorrower(cloud)
    const templateId = cloud.ports.reminderTemplates.due
    expect((await cloud.call('reminders', 'grant', { templateIds: [templateId] })).ok).toBe(true)
    cloud.ports.clock.advance(60_000)
    const r = await withdraw('reminders')
    expect(r.wasGiven).toBe(true)
    expect(r.stops.join('')).toContain('消息中心')
    const users = await cloud.ports.store.get<{ grants: Record<string, number> }>('users', 'o_dev_alice')
    expect(users?.data.grants).toEqual({})
    // Withdrawing what was not given records nothing new.
    const twice = await withdraw('reminders')
    expect(twice.wasGiven).toBe(false)
    expect(twice.consents.filter((c) => c.kind === 'reminders').map((c) => !!c.withdrawn)).toEqual([false, true])
    // Subscribed again: its own record, after the withdrawal.
    cloud.ports.clock.advance(60_000)
    expect((await cloud.call('reminders', 'grant', { templateIds: [templateId] })).ok).toBe(true)
    const log = (await cloud.call<ConsentView[]>('account', 'consents', {})) as { ok: true; data: ConsentView[] }
    expect(log.data.filter((c) => c.kind === 'reminders').map((c) => !!c.withdrawn)).toEqual([false, true, false])
  })
})

describe('retention after account.delete', () => {
  it('keeps the settled loan’s records pseudonymised for five years after it closed, then the purge job removes them', async () => {
    await onboardBorrower(cloud)
    const loan = await borrow(cloud)
    cloud.ports.clock.advance(DAY_MS)
    const paid = await repayAndPay(cloud, loan.id, 'all')
    if (!paid.ok) throw new Error(paid.error.code)
    const contracts = await cloud.call<Array<{ contractId: string }>>('contracts', 'list', {})
    if (!contracts.ok) throw new Error(contracts.error.code)
    // A PDF downloaded before the deletion is not kept: it goes once its address has expired.
    const pdf = await cloud.call<{ fileId: string; expiresAt: number }>('contracts', 'pdf', {
      contractId: contracts.data[0].contractId,
    })
    if (!pdf.ok) throw new Error(pdf.error.code)
    expect(await cloud.ports.files.get(pdf.data.fileId)).not.toBeNull()
    const deletedAt = cloud.ports.clock.now()
    const r = await cloud.call<DeleteResult>('account', 'delete', { confirm: true })
    if (!r.ok) throw new Error(r.error.code)
    cloud.ports.clock.advance(16 * 60_000)
    expect((await runScheduledJobs(cloud.ports)).downloads).toEqual({ removed: 1 })
    expect(await cloud.ports.files.get(pdf.data.fileId)).toBeNull()
    const until = addChinaMonths(paid.data.loan.closedAt!, 60)
    expect(r.data.kept.filter((k) => k.until === until)).toHaveLength(1)
    // Nothing kept names the account any more: its openid is gone from every document.
    const pseudonym = pseudonymOf(cloud.ports, 'o_dev_alice', deletedAt)
    const dump = cloud.dump()
    expect(dump.split('\n').filter((l) => l.includes('o_dev_alice') && !/^sim/.test(l))).toEqual([])
    expect(dump).toContain(pseudonym)
    const kept = cloud.counts()
    expect(kept.contracts).toBe(contracts.data.length)
    expect(kept.receipts).toBeGreaterThan(0)
    expect(kept.audit).toBeGreaterThan(0)
    expect(kept.users ?? 0).toBe(0)
    // The borrower, signing in again, sees none of it.
    expect(await cloud.call('contracts', 'list', {})).toEqual({ ok: true, data: [] })

    // A day before the end of the period the job leaves it; on the day it removes it.
    cloud.ports.clock.advance(until - DAY_MS - cloud.ports.clock.now())
    expect((await runScheduledJobs(cloud.ports)).retention).toEqual({ purged: 0, documents: 0 })
    expect(cloud.counts().contracts).toBe(contracts.data.length)
    cloud.ports.clock.advance(DAY_MS)
    const purged = (await runScheduledJobs(cloud.ports)).retention
    expect(purged).toMatchObject({ purged: 1 })
    for (const c of ['contracts', 'receipts', 'loans', 'payments', 'creditConsents', 'consents', 'audit'])
      expect(cloud.counts()[c] ?? 0).toBe(0)
    // The books stay: they name loans, never the person.
    expect(cloud.counts().journal).toBeGreaterThan(0)
  })

  it('with an open loan, nothing of the loan goes, and the answer says it stays until it is settled', async () => {
    await onboardBorrower(cloud)
    await borrow(cloud)
    const r = await cloud.call<DeleteResult>('account', 'delete', { confirm: true })
    if (!r.ok) throw new Error(r.error.code)
    expect(r.data.kept.every((k) => k.until === null)).toBe(true)
    expect(r.data.kept[1].what).toContain('合同')
    expect((await cloud.call<unknown[]>('contracts', 'list', {})) as { data: unknown[] }).toMatchObject({
      data: [expect.anything(), expect.anything()],
    })
  })
})

describe('retention, the hard cases (review)', () => {
  it('a drawdown racing the deletion: whichever lands first, no open loan is ever left without its account', async () => {
    for (let round = 0; round < 6; round++) {
      const user = `racer${round}`
      await onboardBorrower(cloud, user, makeApplicant({ idNumber: makeIdNumber({ seq: String(700 + round) }) }))
      await openLine(cloud, user)
      const [drawn, deleted] = await Promise.all([
        cloud.call<{ loan: { id: string } }>(
          'loans',
          'apply',
          { product: 'we2000', amountFen: 100_000, termMonths: 6, mode: 'equal-principal', purpose: 'consumption' },
          { user },
        ),
        cloud.call<DeleteResult>('account', 'delete', { confirm: true }, { user }),
      ])
      const loans = await cloud.ports.store.query<{ loan: { state: string } }>('loans', {
        index: 'byOpenid',
        eq: `o_dev_${user}`,
        limit: 10,
      })
      if (drawn.ok && (drawn.data as { outcome?: string }).outcome !== 'refused') {
        // The loan landed: it is still the person's, with their account, whatever the deletion said.
        expect(loans).toHaveLength(1)
        expect(await cloud.ports.store.get('users', `o_dev_${user}`)).not.toBeNull()
      } else expect(deleted.ok).toBe(true)
    }
  })

  it('moves every record, however many, and a second account deleted again keeps its own records and date', async () => {
    await onboardBorrower(cloud)
    await borrow(cloud)
    // 1,005 audit entries: more than one page.
    for (let i = 0; i < 1005; i++)
      await cloud.ports.store.insert('audit', `extra:${i}`, {
        openid: 'o_dev_alice',
        loanId: 'x',
        action: 'apply',
        at: i,
      })
    const loans = (await cloud.call<Array<{ id: string }>>('loans', 'list', {})) as { data: Array<{ id: string }> }
    cloud.ports.clock.advance(DAY_MS)
    expect((await repayAndPay(cloud, loans.data[0].id, 'all')).ok).toBe(true)
    const first = await cloud.call<DeleteResult>('account', 'delete', { confirm: true })
    if (!first.ok) throw new Error(first.error.code)
    expect(
      cloud
        .dump()
        .split('\n')
        .filter((l) => l.includes('o_dev_alice') && !/^sim/.test(l)),
    ).toEqual([])
    const firstUntil = first.data.kept[1].until
    // A year later the same WeChat account comes back, accepts the same agreements, and deletes again.
    cloud.ports.clock.advance(365 * DAY_MS)
    await cloud.call('onboarding', 'acceptAgreements', { accepted: ALL_AGREEMENTS })
    const second = await cloud.call<DeleteResult>('account', 'delete', { confirm: true })
    if (!second.ok) throw new Error(second.error.code)
    expect(second.data.kept[1].what).toContain('协议同意与授权撤回记录 4 条')
    expect(second.data.kept[1].what).not.toContain('合同')
    expect(second.data.kept[1].until).toBeGreaterThan(firstUntil!)
    // Both sets are kept: the first deletion's agreements were not written over by the second's.
    expect(cloud.counts().consents).toBe(8)
    // The first deletion's records go on their own date, the second's stay.
    cloud.ports.clock.advance(firstUntil! - cloud.ports.clock.now())
    expect((await runScheduledJobs(cloud.ports)).retention).toMatchObject({ purged: 1 })
    expect(cloud.counts().consents).toBe(4)
    expect(cloud.counts().audit ?? 0).toBe(0)
  })

  it('biometric consent withdrawn: 小鹅花钱, which needs face verification, cannot open or draw until it is given again', async () => {
    const person = await onboardBorrower(cloud)
    const face = await cloud.call<{ verifyId: string }>('onboarding', 'startFace', {
      name: person.name,
      idNumber: person.idNumber,
    })
    if (!face.ok) throw new Error(face.error.code)
    await cloud.ports.face.setOutcome(face.data.verifyId, 'o_dev_alice', 'pass')
    expect((await cloud.call('onboarding', 'confirmFace', { verifyId: face.data.verifyId })).ok).toBe(true)
    await cloud.call('onboarding', 'authorizePayScore', {})
    expect((await openLine(cloud, 'alice', 'xiaoe')).state).toBe('active')
    await withdraw('biometricConsent')
    const pre = (await cloud.call('credit', 'precheck', {})) as {
      ok: true
      data: { products: Array<{ product: string; pendingSteps: string[] }> }
    }
    expect(pre.data.products.find((p) => p.product === 'xiaoe')!.pendingSteps).toContain('face')
    expect(
      await cloud.call('loans', 'apply', {
        product: 'xiaoe',
        amountFen: 100_000,
        termDays: 30,
        mode: 'flexible',
        purpose: 'consumption',
      }),
    ).toMatchObject({ ok: false, error: { code: 'CONSENT_REQUIRED', detail: 'biometricConsent' } })
    // WE2000 needs no face: it goes on.
    expect((await openLine(cloud, 'alice', 'we2000')).state).toBe('active')
  })
})

describe('explained decisions and a person’s review', () => {
  it('explains each dimension and every rule, and a refusal can be sent to a person, who has 7 days', async () => {
    await onboardBorrower(cloud)
    // dave pays too rarely with WeChat Pay: WE2000 refuses him.
    await onboardBorrower(cloud, 'dave', makeApplicant({ idNumber: makeIdNumber({ seq: '502' }) }))
    const dave = { user: 'dave' }
    const e = await cloud.call<Explanation>('credit', 'explain', { product: 'we2000' }, dave)
    if (!e.ok) throw new Error(e.error.code)
    expect(e.data.eligible).toBe(false)
    expect(e.data.refused).toMatchObject({
      by: 'evaluation',
      reasons: [expect.objectContaining({ code: 'LOW_ACTIVITY' })],
    })
    expect(e.data.dimensions.map((d) => d.dimension)).toEqual(['credit', 'activity', 'consumption', 'assets'])
    expect(e.data.dimensions.reduce((s, d) => s + d.weight, 0)).toBe(100)
    const failed = e.data.rules.filter((r) => !r.passed)
    expect(failed).toContainEqual(
      expect.objectContaining({ id: 'activity.payments', version: e.data.ruleSetVersion, fix: expect.any(String) }),
    )
    expect(e.data.rules.filter((r) => r.passed).length).toBeGreaterThan(0)
    expect(e.data.review).toBeNull()

    // An eligible product has nothing to review.
    expect(await cloud.call('credit', 'requestReview', { product: 'we2000', note: '' })).toMatchObject({
      ok: false,
      error: { code: 'NOTHING_TO_REVIEW' },
    })
    const asked = await cloud.call<ReviewCaseView>(
      'credit',
      'requestReview',
      { product: 'we2000', note: ' 我有工资流水 ' },
      dave,
    )
    if (!asked.ok) throw new Error(asked.error.code)
    expect(asked.data).toMatchObject({
      state: 'waiting',
      note: '我有工资流水',
      expiresAt: cloud.ports.clock.now() + 7 * DAY_MS,
    })
    expect(await cloud.call('credit', 'requestReview', { product: 'we2000', note: '' }, dave)).toMatchObject({
      ok: false,
      error: { code: 'REVIEW_ALREADY_REQUESTED' },
    })
    // It waits, visibly, on the explanation page.
    expect(await cloud.call('credit', 'explain', { product: 'we2000' }, dave)).toMatchObject({
      data: { review: { caseId: asked.data.caseId, state: 'waiting' } },
    })
    // Nobody decided within 7 days: it ends, the borrower is told, and may ask again.
    cloud.ports.clock.advance(7 * DAY_MS - 1)
    expect((await runScheduledJobs(cloud.ports)).reviews).toEqual({ expired: 0 })
    cloud.ports.clock.advance(1)
    expect((await runScheduledJobs(cloud.ports)).reviews).toEqual({ expired: 1 })
    expect(await cloud.call('credit', 'explain', { product: 'we2000' }, dave)).toMatchObject({
      data: { review: { state: 'expired', outcome: expect.stringContaining('7 天') } },
    })
    const inbox = await cloud.call<{ messages: Array<{ kind: string }> }>('reminders', 'inbox', {}, dave)
    expect(inbox.ok && inbox.data.messages.map((m) => m.kind)).toContain('review:REVIEW_EXPIRED')
    expect((await cloud.call('credit', 'requestReview', { product: 'we2000', note: '' }, dave)).ok).toBe(true)
    // Another person sees only their own decision, never dave's case.
    expect(await cloud.call('credit', 'explain', { product: 'we2000' })).toMatchObject({
      ok: true,
      data: { review: null },
    })
  })
})
