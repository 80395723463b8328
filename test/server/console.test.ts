import { generate } from 'otplib'
import { CONSOLE_ACTIONS, ROLES, type ConsoleAction, type Role } from '../../src/api/console'
import { DEFAULT_CATALOG } from '../../src/domain/catalog'
import { encodeScene } from '../../src/domain/scene'
import { DAY_MS } from '../../src/domain/china-time'
import type { ApplyResult, LineView } from '../../src/api'
import { DEMO_OPERATORS, DEMO_PASSWORD, LOCK_MS, SESSION_MS } from '../../server/app/console/operators'
import { runLineJobs, type LineDoc } from '../../server/app/lines'
import { settlePayout } from '../../server/app/payouts'
import { ALL_AGREEMENTS, makeTestCloud, type TestCloud } from '../support/cloud'
import { onboardBorrower, openLine } from '../support/borrower'
import { addReviewer, consoleFor, type ConsoleClient } from '../support/console'
import { makeApplicant, makeIdNumber } from '../support/factories'
import { devOpenid } from '../../server/local/runtime/session'

let cloud: TestCloud
let con: ConsoleClient
beforeEach(async () => {
  cloud = await makeTestCloud()
  con = await consoleFor(cloud)
})
afterEach(() => cloud.close())

const code = (r: { ok: boolean; error?: { code: string } }) => (r.ok ? 'ok' : r.error!.code)
const roleUser: Record<Role, string> = {
  admin: 'admin',
  reviewer: 'reviewer-a',
  risk: 'risk',
  operations: 'ops',
  finance: 'finance',
  auditor: 'auditor',
}

/** A drawdown over 50,000 CNY: sent to a person, its amount reserved on the line. */
async function drawdownInReview(user = 'alice') {
  await onboardBorrower(cloud, user, makeApplicant({ idNumber: makeIdNumber({ seq: String(100 + user.length) }) }))
  await openLine(cloud, user, 'weilidai')
  const r = await cloud.call<ApplyResult>(
    'loans',
    'apply',
    { product: 'weilidai', amountFen: 6_000_000, termMonths: 10, mode: 'equal-installment', purpose: 'consumption' },
    { user },
  )
  if (!r.ok) throw new Error(r.error.code)
  expect(r.data.outcome).toBe('manual-review')
  const queue = await con.call(await con.as('reviewer-a'), 'reviews.list', {})
  if (!queue.ok) throw new Error(queue.error.code)
  const c = queue.data.find((x) => x.kind === 'drawdown')!
  return { loanId: r.data.loan.id, caseId: c.caseId }
}

const lineOf = async (user: string, product: string) =>
  (await cloud.ports.store.get<LineDoc>('lines', `${devOpenid(user)}:${product}`))!.data.line

describe('operators: sign-in with password and TOTP, sessions, lock-out', () => {
  it('signs in with the right password and code, and the session names the operator and role', async () => {
    const r = await con.call(undefined, 'console.signIn', {
      username: 'reviewer-a',
      password: DEMO_PASSWORD,
      totp: await con.totp('reviewer-a'),
    })
    expect(r).toMatchObject({ ok: true, data: { operator: { username: 'reviewer-a', role: 'reviewer' } } })
    if (!r.ok) return
    expect(r.data.expiresAt).toBe(cloud.ports.clock.now() + SESSION_MS)
    expect(await con.call(r.data.token, 'console.me')).toMatchObject({ ok: true, data: { username: 'reviewer-a' } })
  })

  it('a wrong password, a wrong code or a replayed code is the same SIGN_IN_FAILED, and 5 in a row lock the account for 15 minutes', async () => {
    const totp = await con.totp('risk')
    const first = await con.call(undefined, 'console.signIn', { username: 'risk', password: DEMO_PASSWORD, totp })
    expect(first.ok).toBe(true)
    // The same code again: a replay.
    expect(code(await con.call(undefined, 'console.signIn', { username: 'risk', password: DEMO_PASSWORD, totp }))).toBe(
      'SIGN_IN_FAILED',
    )
    cloud.ports.clock.advance(60_000)
    const fresh = await con.totp('risk')
    expect(
      code(await con.call(undefined, 'console.signIn', { username: 'risk', password: 'wrong-password', totp: fresh })),
    ).toBe('SIGN_IN_FAILED')
    expect(
      code(await con.call(undefined, 'console.signIn', { username: 'nobody', password: DEMO_PASSWORD, totp: fresh })),
    ).toBe('SIGN_IN_FAILED')
    const wrongCode = fresh === '000000' ? '111111' : '000000'
    for (let i = 0; i < 2; i++)
      expect(
        code(
          await con.call(undefined, 'console.signIn', { username: 'risk', password: DEMO_PASSWORD, totp: wrongCode }),
        ),
      ).toBe('SIGN_IN_FAILED')
    // The fifth failure (replay, password, 2 codes, this one) locks it.
    expect(code(await con.call(undefined, 'console.signIn', { username: 'risk', password: 'x', totp: fresh }))).toBe(
      'SIGN_IN_FAILED',
    )
    // Locked: even the right password and code are refused until the 15 minutes are over — with the
    // same answer as for a username that does not exist, so a lock tells nobody the username is real.
    const locked = await con.call(undefined, 'console.signIn', {
      username: 'risk',
      password: DEMO_PASSWORD,
      totp: fresh,
    })
    const unknown = await con.call(undefined, 'console.signIn', {
      username: 'nobody',
      password: DEMO_PASSWORD,
      totp: fresh,
    })
    expect(code(locked)).toBe('SIGN_IN_FAILED')
    expect(JSON.stringify(locked)).toBe(JSON.stringify(unknown))
    cloud.ports.clock.advance(LOCK_MS)
    const after = await con.call(undefined, 'console.signIn', {
      username: 'risk',
      password: DEMO_PASSWORD,
      totp: await con.totp('risk'),
    })
    expect(after.ok).toBe(true)
  })

  it('wrong passwords sent all at once still lock the account after five: none beyond them is even checked', async () => {
    const tries = await Promise.all(
      Array.from({ length: 20 }, () =>
        con.call(undefined, 'console.signIn', { username: 'ops', password: 'guess-guess-guess', totp: '123456' }),
      ),
    )
    expect(tries.every((t) => code(t) === 'SIGN_IN_FAILED')).toBe(true)
    // Four were checked; the fifth locked it; the other fifteen met the lock before any hashing.
    expect(cloud.logs.filter((l) => l.event === 'operator_sign_in_while_locked')).toHaveLength(15)
    const right = await con.call(undefined, 'console.signIn', {
      username: 'ops',
      password: DEMO_PASSWORD,
      totp: await con.totp('ops'),
    })
    expect(code(right)).toBe('SIGN_IN_FAILED')
  })

  it('a session expires after 8 hours, ends on sign-out, and stops when its operator is disabled', async () => {
    const token = await con.as('ops')
    cloud.ports.clock.advance(SESSION_MS - 1)
    expect(code(await con.call(token, 'console.me'))).toBe('ok')
    cloud.ports.clock.advance(1)
    expect(code(await con.call(token, 'console.me'))).toBe('UNAUTHENTICATED')

    const other = await con.call(undefined, 'console.signIn', {
      username: 'finance',
      password: DEMO_PASSWORD,
      totp: await con.totp('finance'),
    })
    if (!other.ok) throw new Error(other.error.code)
    expect(code(await con.call(other.data.token, 'console.signOut'))).toBe('ok')
    expect(code(await con.call(other.data.token, 'console.me'))).toBe('UNAUTHENTICATED')

    const auditor = await con.call(undefined, 'console.signIn', {
      username: 'auditor',
      password: DEMO_PASSWORD,
      totp: await con.totp('auditor'),
    })
    if (!auditor.ok) throw new Error(auditor.error.code)
    const admin = await con.call(undefined, 'console.signIn', {
      username: 'admin',
      password: DEMO_PASSWORD,
      totp: await con.totp('admin'),
    })
    if (!admin.ok) throw new Error(admin.error.code)
    expect(
      await con.call(admin.data.token, 'operators.setEnabled', { username: 'auditor', enabled: false }),
    ).toMatchObject({
      ok: true,
      data: { enabled: false },
    })
    expect(code(await con.call(auditor.data.token, 'console.me'))).toBe('UNAUTHENTICATED')
    // Enabled again, the sessions from before stay dead: signing in again is the way back.
    await con.call(admin.data.token, 'operators.setEnabled', { username: 'auditor', enabled: true })
    expect(code(await con.call(auditor.data.token, 'console.me'))).toBe('UNAUTHENTICATED')
    // An admin cannot lock themselves out.
    expect(code(await con.call(admin.data.token, 'operators.setEnabled', { username: 'admin', enabled: false }))).toBe(
      'FORBIDDEN',
    )
  })

  it('an admin creates an operator: its TOTP secret is answered once; a second admin enables it, and it signs in with it', async () => {
    const made = await con.call(await con.as('admin'), 'operators.create', {
      username: 'reviewer-c',
      role: 'reviewer',
      password: 'a-long-enough-password',
    })
    if (!made.ok) throw new Error(made.error.code)
    expect(made.data.otpauth).toContain(`secret=${made.data.totpSecret}`)
    expect(JSON.stringify(await con.call(await con.as('admin'), 'operators.list'))).not.toContain(made.data.totpSecret)
    // Not even in the stored answer a retry gets: a retry answers without the secret.
    expect(cloud.dump()).not.toContain(made.data.totpSecret)
    expect(cloud.dump()).not.toContain('a-long-enough-password')
    // Four eyes on accounts: it waits, disabled, until an admin other than its creator enables it.
    expect(made.data.operator.enabled).toBe(false)
    const signIn = async () =>
      con.call(undefined, 'console.signIn', {
        username: 'reviewer-c',
        password: 'a-long-enough-password',
        totp: await generate({ secret: made.data.totpSecret, epoch: Math.floor(cloud.ports.clock.now() / 1000) }),
      })
    expect(code(await signIn())).toBe('SIGN_IN_FAILED')
    expect(
      code(await con.call(await con.as('admin'), 'operators.setEnabled', { username: 'reviewer-c', enabled: true })),
    ).toBe('FOUR_EYES_REQUIRED')
    expect(
      await con.call(await con.as('admin-b'), 'operators.setEnabled', { username: 'reviewer-c', enabled: true }),
    ).toMatchObject({
      ok: true,
      data: { enabled: true },
    })
    cloud.ports.clock.advance(30_000)
    expect(await signIn()).toMatchObject({ ok: true, data: { operator: { username: 'reviewer-c', role: 'reviewer' } } })
    expect(
      code(
        await con.call(await con.as('admin'), 'operators.create', {
          username: 'reviewer-c',
          role: 'risk',
          password: 'another-long-password',
        }),
      ),
    ).toBe('OPERATOR_EXISTS')
    expect(
      code(
        await con.call(await con.as('admin'), 'operators.create', {
          username: 'short',
          role: 'risk',
          password: 'short',
        }),
      ),
    ).toBe('INVALID_INPUT')
  })
})

/** The roles allowed each action: written out, so a change to the contract's access table fails here. */
const ALLOWED: Record<ConsoleAction, Role[] | 'all' | 'public'> = {
  'console.signIn': 'public',
  'console.signOut': 'all',
  'console.me': 'all',
  'operators.list': ['admin', 'auditor'],
  'operators.create': ['admin'],
  'operators.setEnabled': ['admin'],
  'reviews.list': ['reviewer', 'risk', 'auditor'],
  'reviews.get': ['reviewer', 'risk', 'auditor'],
  'reviews.decide': ['reviewer'],
  'versions.list': ['risk', 'admin', 'auditor'],
  'versions.draft': ['risk', 'admin'],
  'versions.simulate': ['risk', 'admin'],
  'versions.publish': ['admin'],
  'borrowers.search': ['reviewer', 'risk', 'operations', 'finance', 'auditor'],
  'loans.timeline': ['reviewer', 'risk', 'operations', 'finance', 'auditor'],
  'merchants.list': ['operations', 'admin', 'auditor'],
  'merchants.create': ['operations', 'admin'],
  'merchants.setEnabled': ['operations', 'admin'],
  'merchants.code': ['operations', 'admin'],
  'merchants.funnel': ['operations', 'admin', 'auditor'],
  'whitelist.list': ['operations', 'risk', 'auditor'],
  'whitelist.add': ['operations', 'risk'],
  'whitelist.remove': ['operations', 'risk'],
  'books.trialBalance': ['finance', 'auditor'],
  'books.account': ['finance', 'auditor'],
  'books.reconciliation': ['finance', 'auditor'],
  'reminders.stats': ['operations', 'auditor'],
  'audit.search': ['auditor', 'admin'],
}

/** A valid input for every action (what it is about may not exist: NOT_FOUND is past the role check). */
const INPUT: Record<ConsoleAction, Record<string, unknown>> = {
  'console.signIn': { username: 'nobody', password: 'x', totp: '123456' },
  'console.signOut': {},
  'console.me': {},
  'operators.list': {},
  'operators.create': { username: 'matrix-op', role: 'auditor', password: 'a-long-enough-password' },
  'operators.setEnabled': { username: 'no-such-op', enabled: true },
  'reviews.list': {},
  'reviews.get': { caseId: 'C_none' },
  'reviews.decide': { caseId: 'C_none', decision: 'approve', reason: '材料齐全' },
  'versions.list': {},
  'versions.draft': { kind: 'rules', body: { not: 'a rule set' } },
  'versions.simulate': { versionId: 'rules/none' },
  'versions.publish': { versionId: 'rules/none' },
  'borrowers.search': { query: 'L_none' },
  'loans.timeline': { loanId: 'L_none' },
  'merchants.list': {},
  'merchants.create': { merchantCode: 'matrix', name: '矩阵商户' },
  'merchants.setEnabled': { merchantCode: 'cafe01', enabled: true },
  'merchants.code': { merchantCode: 'cafe01' },
  'merchants.funnel': { merchantCode: 'cafe01', from: '2026-11-01', to: '2026-11-30' },
  'whitelist.list': {},
  'whitelist.add': { product: 'weilidai', openids: ['o_matrix_1'], reason: '测试邀请' },
  'whitelist.remove': { product: 'weilidai', openid: 'o_matrix_1', reason: '测试移除' },
  'books.trialBalance': {},
  'books.account': { account: 'wechatPayClearing', from: 0, to: 1 },
  'books.reconciliation': { date: '2026-12-02' },
  'reminders.stats': { from: 0, to: 1 },
  'audit.search': { from: 0, to: Number.MAX_SAFE_INTEGER },
}

describe('the access matrix: every console action × every role × a borrower token × no token', () => {
  it('each role reaches exactly the actions it is allowed; the others are 403 FORBIDDEN and written to the audit log', async () => {
    expect(Object.keys(ALLOWED).sort()).toEqual([...CONSOLE_ACTIONS].sort())
    const reached: Record<string, Role[]> = {}
    for (const action of CONSOLE_ACTIONS) {
      if (action === 'console.signIn' || action === 'console.signOut') continue
      for (const role of ROLES) {
        const r = await con.call(await con.as(roleUser[role]), action, INPUT[action])
        if (code(r) === 'INTERNAL' || (code(r) === 'INVALID_INPUT' && action !== 'versions.draft'))
          throw new Error(`${action} as ${role}: ${code(r)}`)
        if (code(r) !== 'FORBIDDEN') (reached[action] ??= []).push(role)
      }
      const allowed = ALLOWED[action]
      expect({ action, roles: reached[action] ?? [] }).toEqual({
        action,
        roles: allowed === 'all' ? [...ROLES] : allowed === 'public' ? [] : ROLES.filter((r) => allowed.includes(r)),
      })
    }
    const refused = await con.call(await con.as('auditor'), 'search' as ConsoleAction, {
      from: 0,
      to: Number.MAX_SAFE_INTEGER,
    })
    expect(code(refused)).toBe('UNKNOWN_ACTION')
    const log = await con.call(await con.as('auditor'), 'audit.search', { from: 0, to: Number.MAX_SAFE_INTEGER })
    if (!log.ok) throw new Error(log.error.code)
    expect(log.data.find((a) => a.actor === 'finance' && a.action === 'reviews.decide')).toMatchObject({
      outcome: 'FORBIDDEN',
    })
    expect(log.data.find((a) => a.actor === 'reviewer-a' && a.action === 'reviews.decide')).toMatchObject({
      outcome: 'NOT_FOUND',
    })
  })

  it('no token, a borrower’s token, a forged token: UNAUTHENTICATED for every action but sign-in', async () => {
    const borrower = (await cloud.call<unknown>('onboarding', 'status', {})).ok
    expect(borrower).toBe(true)
    for (const action of CONSOLE_ACTIONS) {
      if (action === 'console.signIn') continue
      for (const token of [undefined, 'eyJvcGVuaWQiOiJvX2Rldl9hbGljZSJ9.sig', 'op_forged-token-000000000000000000000'])
        expect({ action, code: code(await con.call(token, action, INPUT[action])) }).toEqual({
          action,
          code: 'UNAUTHENTICATED',
        })
    }
  })
})

describe('人工审核 with four eyes', () => {
  it('a drawdown review: proposed by one reviewer, refused to the same one again, confirmed by a second — then paid out', async () => {
    const { loanId, caseId } = await drawdownInReview()
    const a = await con.as('reviewer-a')
    const b = await con.as('reviewer-b')
    const seen = await con.call(a, 'reviews.get', { caseId })
    expect(seen).toMatchObject({
      ok: true,
      data: {
        kind: 'drawdown',
        state: 'waiting',
        amountFen: 6_000_000,
        profile: { name: '*三', mobile: '138****5678' },
        evaluation: { reasons: [{ code: 'risk.manualReview' }] },
      },
    })
    expect(JSON.stringify(seen)).not.toMatch(/\d{17}[\dX]/)
    const proposed = await con.call(a, 'reviews.decide', {
      caseId,
      decision: 'approve',
      reason: '收入证明与借款用途一致',
    })
    expect(proposed).toMatchObject({
      ok: true,
      data: { state: 'waiting', proposal: { by: 'reviewer-a', decision: 'approve' } },
    })
    // Nothing changes on a proposal.
    expect(await cloud.call('loans', 'get', { loanId })).toMatchObject({ ok: true, data: { state: 'review' } })
    expect(code(await con.call(a, 'reviews.decide', { caseId, decision: 'approve', reason: '再次确认' }))).toBe(
      'FOUR_EYES_REQUIRED',
    )
    const confirmed = await con.call(b, 'reviews.decide', { caseId, decision: 'approve', reason: '同意' })
    expect(confirmed).toMatchObject({ ok: true, data: { state: 'approved', confirmedBy: 'reviewer-b' } })
    await settlePayout(cloud.ports, loanId)
    expect(await cloud.call('loans', 'get', { loanId })).toMatchObject({ ok: true, data: { state: 'disbursed' } })
    const inbox = await cloud.call<{ messages: Array<{ title: string }> }>('reminders', 'inbox', {})
    expect(inbox.ok && inbox.data.messages.map((m) => m.title)).toContain('微粒贷：借款已通过')
    expect(code(await con.call(b, 'reviews.decide', { caseId, decision: 'approve', reason: '同意' }))).toBe(
      'CASE_CLOSED',
    )
  })

  it('a refusal, confirmed: the drawdown is refused and its reservation given back; a disagreeing reviewer’s decision becomes the proposal', async () => {
    const { loanId, caseId } = await drawdownInReview()
    expect((await lineOf('alice', 'weilidai')).inUseFen).toBe(6_000_000)
    const [a, b] = [await con.as('reviewer-a'), await con.as('reviewer-b')]
    await addReviewer(cloud, 'reviewer-c')
    const c = await con.as('reviewer-c')
    await con.call(a, 'reviews.decide', { caseId, decision: 'approve', reason: '看起来可以' })
    expect(
      await con.call(b, 'reviews.decide', { caseId, decision: 'refuse', reason: '收入不足以覆盖月供' }),
    ).toMatchObject({
      ok: true,
      data: { state: 'waiting', proposal: { by: 'reviewer-b', decision: 'refuse' } },
    })
    expect(await con.call(c, 'reviews.decide', { caseId, decision: 'refuse', reason: '同意拒绝' })).toMatchObject({
      ok: true,
      data: { state: 'refused', confirmedBy: 'reviewer-c' },
    })
    expect(await cloud.call('loans', 'get', { loanId })).toMatchObject({
      ok: true,
      data: { state: 'refused', reasons: ['REVIEW_REFUSED'] },
    })
    expect((await lineOf('alice', 'weilidai')).inUseFen).toBe(0)
  })

  it('two reviewers confirming at once: exactly one decides, and the loan is paid out once', async () => {
    const { loanId, caseId } = await drawdownInReview()
    await addReviewer(cloud, 'reviewer-c')
    await con.call(await con.as('reviewer-a'), 'reviews.decide', { caseId, decision: 'approve', reason: '同意' })
    const [b, c] = await Promise.all([
      con.call(await con.as('reviewer-b'), 'reviews.decide', { caseId, decision: 'approve', reason: '确认' }),
      con.call(await con.as('reviewer-c'), 'reviews.decide', { caseId, decision: 'approve', reason: '确认' }),
    ])
    expect([code(b), code(c)].sort()).toEqual(['CASE_CLOSED', 'ok'])
    await settlePayout(cloud.ports, loanId)
    const receipts = await cloud.call<Array<{ kind: string }>>('loans', 'receipts', { loanId })
    expect(receipts.ok && receipts.data.filter((r) => r.kind === 'disburse')).toHaveLength(1)
    expect((await lineOf('alice', 'weilidai')).inUseFen).toBe(6_000_000)
  })

  it('a reviewer never decides a case about their own borrower account', async () => {
    const { caseId } = await drawdownInReview()
    await addReviewer(cloud, 'reviewer-alice', devOpenid('alice'))
    const own = await con.as('reviewer-alice')
    expect(code(await con.call(own, 'reviews.decide', { caseId, decision: 'approve', reason: '是我自己的' }))).toBe(
      'OWN_CASE',
    )
    await con.call(await con.as('reviewer-a'), 'reviews.decide', { caseId, decision: 'approve', reason: '同意' })
    expect(code(await con.call(own, 'reviews.decide', { caseId, decision: 'approve', reason: '确认' }))).toBe(
      'OWN_CASE',
    )
  })

  it('a line the rules sent to a person opens at the proposed limit once two reviewers agree', async () => {
    await onboardBorrower(cloud, 'alice')
    const p = cloud.ports.world.defaultProfile(devOpenid('alice'))
    await cloud.ports.world.edit(devOpenid('alice'), { ...p, bureau: { ...p.bureau, creditHistoryMonths: 5 } })
    const consent = await cloud.call<{ consentId: string }>('lines', 'consent', { product: 'we2000' })
    if (!consent.ok) throw new Error(consent.error.code)
    const opened = await cloud.call<LineView>('lines', 'open', { product: 'we2000', consentId: consent.data.consentId })
    expect(opened).toMatchObject({ ok: true, data: { state: 'review' } })
    const queue = await con.call(await con.as('reviewer-a'), 'reviews.list', {})
    const c = queue.ok ? queue.data.find((x) => x.kind === 'line') : undefined
    expect(c).toMatchObject({ product: 'we2000', amountFen: 200_000, state: 'waiting' })
    await con.call(await con.as('reviewer-a'), 'reviews.decide', {
      caseId: c!.caseId,
      decision: 'approve',
      reason: '收入稳定',
    })
    await con.call(await con.as('reviewer-b'), 'reviews.decide', {
      caseId: c!.caseId,
      decision: 'approve',
      reason: '同意',
    })
    expect(await cloud.call('lines', 'get', { product: 'we2000' })).toMatchObject({
      ok: true,
      data: { state: 'active', limitFen: 200_000 },
    })
    const history = await cloud.call<Array<{ reason: string }>>('lines', 'history', { product: 'we2000' })
    expect(history.ok && history.data.map((h) => h.reason)).toEqual(['SENT_TO_REVIEW', 'REVIEW_APPROVED'])
  })

  it('a case whose subject expired first ends with it: deciding it is CASE_CLOSED, never a change', async () => {
    const { loanId, caseId } = await drawdownInReview()
    await con.call(await con.as('reviewer-a'), 'reviews.decide', { caseId, decision: 'approve', reason: '同意' })
    cloud.ports.clock.advance(7 * DAY_MS)
    await runLineJobs(cloud.ports)
    expect(
      code(
        await con.call(await con.as('reviewer-b'), 'reviews.decide', { caseId, decision: 'approve', reason: '确认' }),
      ),
    ).toBe('CASE_CLOSED')
    expect(await cloud.call('loans', 'get', { loanId })).toMatchObject({
      ok: true,
      data: { state: 'refused', reasons: ['REVIEW_EXPIRED'] },
    })
  })
})

describe('版本: a rule change simulated on the stored profiles, then published by two admins', () => {
  it('a stricter minimum score: the simulation counts the refusals it would make; published, new decisions use it and old lines keep theirs', async () => {
    await onboardBorrower(cloud, 'alice')
    const opened = await openLine(cloud, 'alice', 'we2000')
    expect(opened.state).toBe('active')
    for (const [u, seq] of [
      ['bob', '501'],
      ['carol', '502'],
    ]) {
      await onboardBorrower(cloud, u, makeApplicant({ idNumber: makeIdNumber({ seq }) }))
      await cloud.call('credit', 'precheck', {}, { user: u })
    }
    await cloud.call('credit', 'precheck', {})
    const risk = await con.as('risk')
    const listed = await con.call(risk, 'versions.list', {})
    if (!listed.ok) throw new Error(listed.error.code)
    const current = listed.data.find((x) => x.state === 'published')!
    expect(current.versionId).toBe('rules/2026-11-28.1')
    const body = JSON.parse(JSON.stringify(current.body))
    body.products.we2000.minScore = 101
    const drafted = await con.call(risk, 'versions.draft', { kind: 'rules', body, note: 'WE2000 暂停新开通' })
    if (!drafted.ok) throw new Error(drafted.error.code)
    const id = drafted.data.versionId
    expect(drafted.data).toMatchObject({ state: 'draft', body: { version: id } })
    const sim = await con.call(risk, 'versions.simulate', { versionId: id })
    expect(sim).toMatchObject({ ok: true, data: { against: 'rules/2026-11-28.1', profiles: 3 } })
    if (!sim.ok) return
    expect(sim.data.byProduct.we2000.nowRefused).toBeGreaterThan(0)
    expect(sim.data.byProduct.xiaoe.changed).toBe(0)
    // Nothing is in force yet: the pre-check still decides under the published version.
    const before = await cloud.call<{ ruleSetVersion: string }>('credit', 'precheck', {}, { user: 'bob' })
    expect(before.ok && before.data.ruleSetVersion).toBe('rules/2026-11-28.1')
    // A risk officer cannot publish; an admin asks, the same admin cannot approve, a second one does.
    expect(code(await con.call(risk, 'versions.publish', { versionId: id }))).toBe('FORBIDDEN')
    expect(await con.call(await con.as('admin'), 'versions.publish', { versionId: id })).toMatchObject({
      ok: true,
      data: { state: 'pending', publishRequestedBy: 'admin' },
    })
    expect(code(await con.call(await con.as('admin'), 'versions.publish', { versionId: id }))).toBe(
      'FOUR_EYES_REQUIRED',
    )
    expect(await con.call(await con.as('admin-b'), 'versions.publish', { versionId: id })).toMatchObject({
      ok: true,
      data: { state: 'published', publishedBy: 'admin-b' },
    })
    const after = await cloud.call<{ ruleSetVersion: string; products: Array<{ product: string; eligible: boolean }> }>(
      'credit',
      'precheck',
      {},
      { user: 'bob' },
    )
    expect(after.ok && after.data.ruleSetVersion).toBe(id)
    expect(after.ok && after.data.products.find((p) => p.product === 'we2000')!.eligible).toBe(false)
    // The line opened before keeps its version and its limit.
    expect((await lineOf('alice', 'we2000')).ruleSetVersion).toBe('rules/2026-11-28.1')
    expect((await lineOf('alice', 'we2000')).limitFen).toBe(opened.limitFen)
    const all = await con.call(risk, 'versions.list', {})
    expect(all.ok && all.data.map((x) => [x.versionId, x.state])).toEqual([
      [id, 'published'],
      ['rules/2026-11-28.1', 'superseded'],
      // The catalog is its own kind: publishing rules leaves it as it was.
      [DEFAULT_CATALOG.version, 'published'],
    ])
    // A body not shaped as a rule set is refused, naming where.
    const broken = JSON.parse(JSON.stringify(current.body))
    delete broken.gates.minAge
    const bad = await con.call(risk, 'versions.draft', { kind: 'rules', body: broken })
    expect(bad).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', field: 'body' } })
    expect(!bad.ok && bad.error.message).toContain('body.gates.minAge')
  })
})

describe('what the review found: holds, frozen lines, drafts that cannot decide, many at one moment', () => {
  it('a drawdown that needed face again is approved and held: the borrower’s fresh face pass releases it', async () => {
    const p = cloud.ports.world.defaultProfile(devOpenid('alice'))
    await cloud.ports.world.edit(devOpenid('alice'), { ...p, device: { newDevice: true, distantLocation: false } })
    const { loanId, caseId } = await drawdownInReview()
    await con.call(await con.as('reviewer-a'), 'reviews.decide', { caseId, decision: 'approve', reason: '同意' })
    expect(
      await con.call(await con.as('reviewer-b'), 'reviews.decide', { caseId, decision: 'approve', reason: '确认' }),
    ).toMatchObject({
      ok: true,
      data: { state: 'approved' },
    })
    expect(await cloud.call('loans', 'get', { loanId })).toMatchObject({ ok: true, data: { state: 'approved' } })
    // Not paid out until a face session started after the application passes.
    expect(code(await cloud.call('loans', 'drawdown', { loanId }))).toBe('FACE_REQUIRED')
  })

  it('an approval while the line is frozen waits: LINE_FROZEN, nothing paid, the case still open', async () => {
    const { loanId, caseId } = await drawdownInReview()
    const id = `${devOpenid('alice')}:weilidai`
    const line = (await cloud.ports.store.get<LineDoc>('lines', id))!
    await cloud.ports.store.update('lines', id, line.version, {
      ...line.data,
      line: { ...line.data.line, state: 'frozen' },
    })
    await con.call(await con.as('reviewer-a'), 'reviews.decide', { caseId, decision: 'approve', reason: '同意' })
    expect(
      code(
        await con.call(await con.as('reviewer-b'), 'reviews.decide', { caseId, decision: 'approve', reason: '确认' }),
      ),
    ).toBe('LINE_FROZEN')
    expect(await cloud.call('loans', 'get', { loanId })).toMatchObject({ ok: true, data: { state: 'review' } })
    expect(await con.call(await con.as('reviewer-a'), 'reviews.get', { caseId })).toMatchObject({
      ok: true,
      data: { state: 'waiting' },
    })
  })

  it('a draft the engine cannot decide with is refused: a divisor at 0, a fraction of a fen', async () => {
    await onboardBorrower(cloud, 'alice')
    await cloud.call('credit', 'precheck', {})
    const risk = await con.as('risk')
    const listed = await con.call(risk, 'versions.list', {})
    if (!listed.ok) throw new Error(listed.error.code)
    const base = listed.data.find((v) => v.kind === 'rules')!.body as any
    const zero = JSON.parse(JSON.stringify(base))
    zero.adjustments.insuranceLimitBonus.perFen = 0
    const r1 = await con.call(risk, 'versions.draft', { kind: 'rules', body: zero })
    expect(r1).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } })
    expect(!r1.ok && r1.error.message).toContain('perFen')
    const fraction = JSON.parse(JSON.stringify(base))
    fraction.risk.manualReviewOverFen = 5_000_000.5
    expect(await con.call(risk, 'versions.draft', { kind: 'rules', body: fraction })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT' },
    })
    // The two seeded versions (the compiled rules and catalog), no draft.
    expect(cloud.counts().versions).toBe(2)
  })

  it('more than a page at one moment: the trial balance and a simulation read every one of them', async () => {
    const at = cloud.ports.clock.now()
    const insert = cloud.ports.store.db.prepare('INSERT INTO docs (collection, id, version, data) VALUES (?, ?, 1, ?)')
    cloud.ports.store.db.transaction(() => {
      for (let i = 0; i < 1_500; i++)
        insert.run(
          'journal',
          `PO_tie_${String(i).padStart(4, '0')}`,
          JSON.stringify({
            id: `PO_tie_${String(i).padStart(4, '0')}`,
            type: 'PAYOUT_CONFIRMED',
            loanId: `L_tie_${i}`,
            at,
            postings: [
              { account: 'principalReceivable', side: 'debit', amountFen: 100 },
              { account: 'payoutClearing', side: 'credit', amountFen: 100 },
            ],
          }),
        )
    })()
    const tb = await con.call(await con.as('finance'), 'books.trialBalance')
    expect(tb).toMatchObject({ ok: true, data: { entries: 1_500, debitFen: 150_000, balanced: true } })
    const account = await con.call(await con.as('finance'), 'books.account', {
      account: 'principalReceivable',
      from: at,
      to: at + 1,
    })
    expect(account).toMatchObject({ ok: true, data: { debitFen: 150_000 } })

    await onboardBorrower(cloud, 'alice')
    await cloud.call('credit', 'precheck', {})
    const kept = (
      cloud.ports.store.db.prepare("SELECT data FROM docs WHERE collection = 'decisionProfiles'").get() as {
        data: string
      }
    ).data
    cloud.ports.store.db.transaction(() => {
      for (let i = 0; i < 1_799; i++)
        insert.run('decisionProfiles', `p_tie_${i}`, JSON.stringify({ ...JSON.parse(kept), key: `p_tie_${i}`, at }))
    })()
    const risk = await con.as('risk')
    const listed = await con.call(risk, 'versions.list', {})
    if (!listed.ok) throw new Error(listed.error.code)
    const drafted = await con.call(risk, 'versions.draft', { kind: 'rules', body: listed.data[0].body })
    if (!drafted.ok) throw new Error(drafted.error.code)
    expect(await con.call(risk, 'versions.simulate', { versionId: drafted.data.versionId })).toMatchObject({
      ok: true,
      data: { profiles: 1_800 },
    })
    expect(
      await con.call(risk, 'versions.simulate', { versionId: drafted.data.versionId, sample: 1_001 }),
    ).toMatchObject({
      ok: true,
      data: { profiles: 1_001 },
    })
  })
})

describe('merchants and their funnel', () => {
  it('counts each step once per person per merchant and day, with the conversion of each step; a deleted account keeps the counts', async () => {
    const ops = await con.as('ops')
    expect(await con.call(ops, 'merchants.create', { merchantCode: 'shop9', name: '九号店' })).toMatchObject({
      ok: true,
      data: { code: 'shop9', enabled: true },
    })
    const scene = encodeScene({ merchantCode: 'shop9' })
    // Four people scan the code; three agree, two pass the real-name check, one of them twice.
    for (const u of ['p1', 'p2', 'p3', 'p4']) await cloud.call('merchants', 'resolve', { scene }, { user: u })
    await cloud.call('merchants', 'resolve', { scene }, { user: 'p1' })
    for (const u of ['p1', 'p2', 'p3'])
      await cloud.call('onboarding', 'acceptAgreements', { accepted: ALL_AGREEMENTS }, { user: u })
    for (const [u, seq] of [
      ['p1', '301'],
      ['p2', '302'],
    ])
      expect(
        (
          await cloud.call('onboarding', 'verifyIdentity', makeApplicant({ idNumber: makeIdNumber({ seq }) }), {
            user: u,
          })
        ).ok,
      ).toBe(true)
    await cloud.call('credit', 'precheck', {}, { user: 'p1' })
    // A step already counted is found by a read: counting it again writes nothing (no insert to fail).
    const inserts = jest.spyOn(cloud.ports.store, 'insert')
    await cloud.call('credit', 'precheck', {}, { user: 'p1' })
    expect(inserts.mock.calls.filter(([collection]) => collection === 'funnelMarks')).toEqual([])
    inserts.mockRestore()
    const day = new Date(cloud.ports.clock.now() + 8 * 3_600_000).toISOString().slice(0, 10)
    const funnel = await con.call(ops, 'merchants.funnel', { merchantCode: 'shop9', from: day, to: day })
    expect(funnel).toMatchObject({
      ok: true,
      data: {
        totals: { entry: 4, agreements: 3, realName: 2, precheck: 1, lineOpened: 0, firstDrawdown: 0 },
        conversion: { entry: null, agreements: 75, realName: 66.7, precheck: 50, lineOpened: 0, firstDrawdown: null },
      },
    })
    expect((await cloud.call('account', 'delete', { confirm: true }, { user: 'p2' })).ok).toBe(true)
    const after = await con.call(ops, 'merchants.funnel', { merchantCode: 'shop9', from: day, to: day })
    expect(after.ok && after.data.totals).toEqual(funnel.ok && funnel.data.totals)
    // A disabled merchant's code no longer attributes anyone.
    await con.call(ops, 'merchants.setEnabled', { merchantCode: 'shop9', enabled: false })
    await cloud.call('merchants', 'resolve', { scene }, { user: 'p5' })
    const disabled = await con.call(ops, 'merchants.funnel', { merchantCode: 'shop9', from: day, to: day })
    expect(disabled.ok && disabled.data.totals.entry).toBe(4)
    expect(code(await con.call(ops, 'merchants.funnel', { merchantCode: 'shop9', from: day, to: '2020-01-01' }))).toBe(
      'INVALID_DATE',
    )
    const png = await con.call(ops, 'merchants.code', { merchantCode: 'shop9' })
    expect(png.ok && Buffer.from(png.data.image.base64, 'base64').subarray(1, 4).toString()).toBe('PNG')
  })
})

describe('whitelist, borrowers, books, audit', () => {
  it('a CSV import with one bad line writes nothing; a good one invites, and the invitation reaches the pre-check', async () => {
    const risk = await con.as('risk')
    const before = cloud.counts().whitelist ?? 0
    expect(
      code(
        await con.call(risk, 'whitelist.add', {
          product: 'weilidai',
          csv: 'openid\no_dev_carol\nnot an openid!\n',
          reason: '高价值客户',
        }),
      ),
    ).toBe('INVALID_INPUT')
    expect(cloud.counts().whitelist ?? 0).toBe(before)
    expect(
      await con.call(risk, 'whitelist.add', {
        product: 'weilidai',
        csv: 'openid\no_dev_carol\no_dev_dave\n',
        reason: '高价值客户',
      }),
    ).toMatchObject({
      ok: true,
      data: { added: 2, already: 0 },
    })
    expect(
      await con.call(risk, 'whitelist.add', { product: 'weilidai', openids: ['o_dev_carol'], reason: '再次' }),
    ).toMatchObject({
      ok: true,
      data: { added: 0, already: 1 },
    })
    const p = cloud.ports.world.defaultProfile(devOpenid('carol'))
    await cloud.ports.world.edit(devOpenid('carol'), { ...p, invited: false })
    await onboardBorrower(cloud, 'carol', makeApplicant({ idNumber: makeIdNumber({ seq: '411' }) }))
    const check = await cloud.call<{ products: Array<{ product: string; reasons: Array<{ code: string }> }> }>(
      'credit',
      'precheck',
      {},
      { user: 'carol' },
    )
    const weilidai = check.ok ? check.data.products.find((x) => x.product === 'weilidai') : undefined
    expect(weilidai?.reasons.map((r) => r.code) ?? []).not.toContain('NOT_INVITED')
    // The list shows masked openids only; a row is removed through its entry reference.
    const listed = await con.call(risk, 'whitelist.list', { product: 'weilidai' })
    if (!listed.ok) throw new Error(listed.error.code)
    expect(JSON.stringify(listed.data)).not.toContain('o_dev_carol')
    const carolRow = listed.data.find((r) => r.openid === 'o_de…arol')!
    expect(carolRow.entry).toEqual(expect.any(String))
    // A reference that is not the server's, or one made for another product, is refused and removes nothing.
    for (const [product, entry] of [
      ['weilidai', 'bm90LWEtcmVm'],
      ['xiaoe', carolRow.entry],
    ] as const)
      expect(await con.call(risk, 'whitelist.remove', { product, entry, reason: '邀请到期' })).toMatchObject({
        ok: false,
        error: { code: 'INVALID_INPUT', field: 'entry' },
      })
    expect(code(await con.call(risk, 'whitelist.remove', { product: 'weilidai', reason: '邀请到期' }))).toBe(
      'INVALID_INPUT',
    )
    expect(
      await con.call(risk, 'whitelist.remove', { product: 'weilidai', entry: carolRow.entry, reason: '邀请到期' }),
    ).toMatchObject({
      ok: true,
      data: { removed: true },
    })
    // By the openid itself (from the lender's own file) works too.
    expect(
      await con.call(risk, 'whitelist.remove', { product: 'weilidai', openid: 'o_dev_dave', reason: '邀请到期' }),
    ).toMatchObject({ ok: true, data: { removed: true } })
    const again = await cloud.call<{ products: Array<{ product: string; reasons: Array<{ code: string }> }> }>(
      'credit',
      'precheck',
      {},
      { user: 'carol' },
    )
    expect(again.ok && again.data.products.find((x) => x.product === 'weilidai')!.reasons.map((r) => r.code)).toContain(
      'NOT_INVITED',
    )
    const log = await con.call(await con.as('auditor'), 'audit.search', {
      action: 'whitelist.remove',
      from: 0,
      to: Number.MAX_SAFE_INTEGER,
    })
    expect(log.ok && log.data[0].detail).toContain('理由：邀请到期')
  })

  it('finds a borrower by the last four of the mobile and by a loan id, masked; a loan’s timeline has its steps, receipts, journal and contract; the books balance', async () => {
    const { loanId, caseId } = await drawdownInReview()
    await con.call(await con.as('reviewer-a'), 'reviews.decide', { caseId, decision: 'approve', reason: '同意' })
    await con.call(await con.as('reviewer-b'), 'reviews.decide', { caseId, decision: 'approve', reason: '确认' })
    await settlePayout(cloud.ports, loanId)
    const finance = await con.as('finance')
    for (const query of ['5678', loanId]) {
      const hits = await con.call(finance, 'borrowers.search', { query })
      expect(hits).toMatchObject({ ok: true, data: [{ name: '*三', mobile: '138****5678', loans: [{ loanId }] }] })
      expect(JSON.stringify(hits)).not.toContain('o_dev_alice')
    }
    const t = await con.call(finance, 'loans.timeline', { loanId })
    if (!t.ok) throw new Error(t.error.code)
    expect(new Set(t.data.items.map((i) => i.kind))).toEqual(new Set(['event', 'receipt', 'journal', 'contract']))
    expect(t.data.journal.map((j) => j.type)).toEqual(['PAYOUT_CONFIRMED'])
    const tb = await con.call(finance, 'books.trialBalance')
    expect(tb).toMatchObject({
      ok: true,
      data: { balanced: true, entries: 1, debitFen: 6_000_000, creditFen: 6_000_000 },
    })
    const principal = await con.call(finance, 'books.account', {
      account: 'principalReceivable',
      from: 0,
      to: Number.MAX_SAFE_INTEGER,
    })
    expect(principal).toMatchObject({ ok: true, data: { debitFen: 6_000_000, creditFen: 0 } })
    expect(code(await con.call(finance, 'books.account', { account: 'Assets:Nothing', from: 0, to: 1 }))).toBe(
      'INVALID_INPUT',
    )
    expect(code(await con.call(finance, 'borrowers.search', { query: 'ab' }))).toBe('INVALID_INPUT')
  })

  it('the operator audit log has every call, allowed or refused, and nothing in it can be changed through the console', async () => {
    await con.call(undefined, 'console.signIn', { username: 'admin', password: 'wrong', totp: '000000' })
    cloud.ports.clock.advance(1)
    await con.call(await con.as('ops'), 'books.trialBalance')
    cloud.ports.clock.advance(1)
    await con.call(await con.as('ops'), 'merchants.list')
    cloud.ports.clock.advance(1)
    const log = await con.call(await con.as('admin'), 'audit.search', { from: 0, to: Number.MAX_SAFE_INTEGER })
    if (!log.ok) throw new Error(log.error.code)
    expect(log.data.map((a) => [a.actor, a.action, a.outcome]).reverse()).toEqual([
      ['admin', 'console.signIn', 'SIGN_IN_FAILED'],
      ['ops', 'books.trialBalance', 'FORBIDDEN'],
      ['ops', 'merchants.list', 'ok'],
    ])
    expect(CONSOLE_ACTIONS.filter((a) => a.startsWith('audit.'))).toEqual(['audit.search'])
    expect(DEMO_OPERATORS.map((o) => o.username)).toContain('reviewer-b')
  })
})
