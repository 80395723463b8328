/**
 * Fuzz every console action through POST /api/console with an operator allowed to call it:
 * arbitrary JSON, near-valid mutations of valid inputs, wrong types and edge values. Zero 5xx,
 * every rejection a typed code with a message, and a rejected call writes nothing but its one
 * operator-audit entry (and, for a failed sign-in, the account's failure count). And the HTTP
 * face: no token 401, a borrower's token 401, a role without the action 403.
 */
import fc from 'fast-check'
import { ERRORS } from '../../src/api'
import { CONSOLE_ACTIONS, CONSOLE_CONTRACT, ROLES, type ConsoleAction, type Role } from '../../src/api/console'
import { seedDemoOperators, DEMO_OPERATORS } from '../../server/app/console/operators'
import { makeCard } from '../support/cards'
import { makeApplicant } from '../support/factories'
import { borrowOverHttp, freshRequestId, onboardOverHttp } from '../support/http-borrower'
import { startHttpCloud, type HttpCloud } from '../support/http-cloud'

const RUNS = Number(process.env.FUZZ_RUNS ?? 25)
let cloud: HttpCloud
let tokens: Record<Role, string>
let ids: { loanId: string; caseId: string }

/** The first demo operator holding a role that may call `action`. */
function roleFor(action: ConsoleAction): Role {
  const access = CONSOLE_CONTRACT[action].access
  return access === 'public' || access === 'all' ? 'auditor' : (access[0] as Role)
}

beforeAll(async () => {
  cloud = await startHttpCloud()
  await seedDemoOperators(cloud.ports)
  tokens = Object.fromEntries(
    await Promise.all(
      ROLES.map(async (role) => {
        const username = DEMO_OPERATORS.find((o) => o.role === role)!.username
        const r = await fetch(`${cloud.base}/__dev/signin`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ operator: username }),
        })
        return [role, ((await r.json()) as { data: { token: string } }).data.token]
      }),
    ),
  ) as Record<Role, string>
  const api = cloud.api(await cloud.signIn('alice'))
  await onboardOverHttp(api, makeApplicant(), makeCard('622588', '123456789'))
  const loan = await borrowOverHttp(api, {
    product: 'weilidai',
    amountFen: 6_000_000,
    termMonths: 10,
    mode: 'equal-installment',
  })
  const queue = await consoleCall(tokens.reviewer, { action: 'reviews.list', data: {} })
  ids = { loanId: loan.data.loan.id, caseId: queue.json.data[0].caseId }
}, 60_000)
afterAll(() => cloud.close())

function consoleCall(token: string | undefined, body: unknown, raw?: string) {
  return cloud.call(token as string, 'console', body, raw)
}

/** Rows outside the operator audit log (which every call writes once): what a rejected call must leave alone. */
function fingerprint(except: string[]) {
  return JSON.stringify(
    cloud.ports.store.db
      .prepare(
        `SELECT count(*) AS n, total(version) AS v, total(length(data)) AS l FROM docs WHERE collection NOT IN (${except.map(() => '?').join(',')})`,
      )
      .get(...except),
  )
}
const auditRows = () =>
  (
    cloud.ports.store.db.prepare(`SELECT count(*) AS n FROM docs WHERE collection = 'operatorAudit'`).get() as {
      n: number
    }
  ).n

function validInputs(): Record<ConsoleAction, Record<string, unknown>> {
  return {
    'console.signIn': { username: 'risk', password: 'not-the-password', totp: '123456' },
    'console.signOut': {},
    'console.me': {},
    'operators.list': {},
    'operators.create': { username: 'fuzz-op', role: 'auditor', password: 'a-long-enough-password' },
    'operators.setEnabled': { username: 'ops', enabled: true },
    'reviews.list': { state: 'waiting' },
    'reviews.get': { caseId: ids.caseId },
    'reviews.decide': { caseId: ids.caseId, decision: 'refuse', reason: '模糊测试' },
    'versions.list': {},
    'versions.draft': { kind: 'rules', body: { version: 'x' } },
    'versions.simulate': { versionId: 'rules/2026-11-28.1', sample: 10 },
    'versions.publish': { versionId: 'rules/none' },
    'borrowers.search': { query: '5678' },
    'loans.timeline': { loanId: ids.loanId },
    'merchants.list': {},
    'merchants.create': { merchantCode: 'fuzz1', name: '模糊' },
    'merchants.setEnabled': { merchantCode: 'cafe01', enabled: true },
    'merchants.code': { merchantCode: 'cafe01' },
    'merchants.funnel': { merchantCode: 'cafe01', from: '2026-11-01', to: '2026-11-30' },
    'whitelist.list': { product: 'weilidai' },
    'whitelist.add': { product: 'weilidai', openids: ['o_fuzz_1'], reason: '模糊测试' },
    'whitelist.remove': { product: 'weilidai', openid: 'o_fuzz_1', reason: '模糊测试' },
    'books.trialBalance': {},
    'books.account': { account: 'principalReceivable', from: 0, to: 2e12 },
    'books.reconciliation': { date: '2026-12-02' },
    'reminders.stats': { from: 0, to: 2e12 },
    'audit.search': { from: 0, to: 2e12 },
  }
}

const edge = fc.constantFrom(
  0,
  -1,
  0.5,
  Number.MAX_SAFE_INTEGER + 2,
  1e308,
  -1e308,
  '',
  ' ',
  '__proto__',
  '\u0000',
  '𠀋',
  'x'.repeat(5000),
  null,
  [],
  {},
)
const anyValue: fc.Arbitrary<unknown> = fc.oneof(fc.jsonValue(), edge, fc.string({ unit: 'binary', maxLength: 30 }))
const mutate = (valid: Record<string, unknown>) => {
  const keys = Object.keys(valid).length ? Object.keys(valid) : ['x']
  return fc.oneof(
    fc.constantFrom(...keys).chain((k) => anyValue.map((v) => ({ ...valid, [k]: v }))),
    fc.constantFrom(...keys).map((k) => {
      const { [k]: _drop, ...rest } = valid
      return rest
    }),
    fc
      .tuple(fc.string({ maxLength: 12 }), anyValue)
      .map(([k, v]) => ({ ...valid, [k]: v, username: 'admin', role: 'admin' })),
  )
}

describe('fuzzing every console action over HTTP', () => {
  it('has a seed for exactly the console’s actions', () => {
    expect(Object.keys(validInputs()).sort()).toEqual([...CONSOLE_ACTIONS].sort())
  })

  it.each(CONSOLE_ACTIONS)(
    '%s: no 5xx, only typed codes, nothing but its audit entry written when rejected',
    async (action) => {
      // Signing out ends the session it names: that action gets a session of its own each time.
      const own = async () => {
        const r = await fetch(`${cloud.base}/__dev/signin`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ operator: 'auditor' }),
        })
        return ((await r.json()) as { data: { token: string } }).data.token
      }
      const tokenFor = async () =>
        action === 'console.signIn' ? undefined : action === 'console.signOut' ? await own() : tokens[roleFor(action)]
      const valid = validInputs()[action]
      // A failed sign-in counts toward the lock-out (by design); everything else stays as it was.
      const except = action === 'console.signIn' ? ['operatorAudit', 'operatorAccounts'] : ['operatorAudit']
      let n = 0
      await fc.assert(
        fc.asyncProperty(
          fc.oneof({ weight: 3, arbitrary: mutate(valid) }, { weight: 1, arbitrary: anyValue }),
          async (data) => {
            const token = await tokenFor()
            const before = fingerprint(except)
            const audited = auditRows()
            const r = await consoleCall(token, { action, data, requestId: `fz${++n}_${freshRequestId()}` })
            expect(r.status).toBeLessThan(500)
            if (r.json.ok === true) return
            expect(Object.keys(ERRORS)).toContain(r.json.error.code)
            expect(typeof r.json.error.message).toBe('string')
            if (r.json.error.code === 'BAD_ENVELOPE') return
            expect(fingerprint(except)).toBe(before)
            expect(auditRows()).toBe(audited + 1)
          },
        ),
        { numRuns: RUNS },
      )
      for (const raw of ['', 'null', '[]', '{', '{"action":', '\u0000', `{"action":"${action}","data":"x"}`]) {
        const token = await tokenFor()
        const before = fingerprint(['operatorAudit'])
        const r = await consoleCall(token, null, raw)
        expect(r.status).toBeLessThan(500)
        expect(fingerprint(['operatorAudit'])).toBe(before)
      }
    },
    60_000,
  )

  it('over HTTP: no token and a borrower’s token are 401, a role without the action 403, an operator’s token on a borrower function 401', async () => {
    const borrower = await cloud.signIn('alice')
    expect((await consoleCall(undefined, { action: 'reviews.list', data: {} })).status).toBe(401)
    expect((await consoleCall(borrower, { action: 'reviews.list', data: {} })).status).toBe(401)
    const refused = await consoleCall(tokens.finance, { action: 'reviews.list', data: {} })
    expect(refused.status).toBe(403)
    expect(refused.json.error.code).toBe('FORBIDDEN')
    // An operator's session is not a borrower's: the mini-program's functions do not take it.
    const r = await cloud.call(tokens.admin, 'loans', { action: 'list', data: {} })
    expect(r.status).toBe(401)
  })
})
