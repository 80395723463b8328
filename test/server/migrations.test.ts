/**
 * The schema is versioned: a database written before lines existed (loans each applied for with
 * their own consent, the users' per-product lineUsage counters, no lines, no version) is brought
 * to this version — every loan attached to a line opened for it, nothing lost, and once only.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { LineView } from '../../src/api'
import { transition, type Loan, type LoanEvent } from '../../src/domain/loan'
import { SCHEMA_VERSION } from '../../server/schema'
import { trialBalance, type JournalEntry } from '../../src/domain/journal'
import { DISBURSED_AT } from '../support/loans'
import { requestedLine, transition as lineTransition } from '../../src/domain/line'
import { NOW } from '../support/factories'
import { MIGRATIONS, UNVERSIONED, migrate } from '../../server/app/migrations'
import { lineHistory, runLineJobs, type LineDoc } from '../../server/app/lines'
import { trackOf, type LoanDoc } from '../../server/app/loans/docs'
import { startLocalCloud } from '../../server/local/runtime/main'
import { borrow, onboardBorrower, openLine } from '../support/borrower'
import { DEFAULT_CATALOG, feeTermsOf } from '../../src/domain/catalog'
import { makeTestCloud, type TestCloud } from '../support/cloud'
import { makeAppliedLoan } from '../support/loans'

const step = (loan: Loan, ...events: LoanEvent[]) =>
  events.reduce((l, e) => {
    const t = transition(l, e, DISBURSED_AT)
    if (!t.ok) throw new Error(t.code)
    return t.loan
  }, loan)

/** Alice's loans as the code before lines wrote them: three WE2000 (open, settled, refused) and a 微粒贷 in review. */
function legacyLoans(): Loan[] {
  const we = (id: string, amountFen: number) =>
    makeAppliedLoan({ amountFen, term: { months: 6 }, mode: 'equal-installment' }, id)
  const open = step(
    we('L_old_open', 150_000),
    { type: 'APPROVE' },
    { type: 'DISBURSE' },
    { type: 'PAYOUT_CONFIRMED', at: DISBURSED_AT },
  )
  const paidOnce = transition(open, { type: 'REPAY', amount: open.schedule[0].totalFen }, open.schedule[0].dueAt)
  if (!paidOnce.ok) throw new Error(paidOnce.code)
  const settled = step(
    we('L_old_settled', 80_000),
    { type: 'APPROVE' },
    { type: 'DISBURSE' },
    { type: 'PAYOUT_CONFIRMED', at: DISBURSED_AT },
    { type: 'REPAY', amount: 'all' },
  )
  const refused = step(we('L_old_refused', 190_000), { type: 'REFUSE', reasons: ['LOW_ACTIVITY'] })
  const review = step(
    makeAppliedLoan(
      { product: 'weilidai', amountFen: 6_000_000, term: { months: 10 }, mode: 'equal-installment' },
      'L_old_review',
    ),
    { type: 'REVIEW' },
  )
  return [paidOnce.loan, settled, refused, review]
}

async function writeTodaysSchema(dbFile: string, onboard = true) {
  const cloud = await makeTestCloud({ dbFile })
  // Onboarding seals the identity under the tests' data keys: the local cloud's start, which opens
  // its own keyring, gets the loans without it.
  if (onboard) await onboardBorrower(cloud)
  for (const loan of legacyLoans()) {
    const doc: Omit<LoanDoc, 'lineId'> = {
      openid: 'o_dev_alice',
      loan,
      purpose: 'consumption',
      merchant: null,
      consentId: `cq_${loan.id}`,
      track: trackOf(loan),
    }
    await cloud.ports.store.insert('loans', loan.id, doc)
  }
  const user = await cloud.ports.store.get<Record<string, unknown>>('users', 'o_dev_alice')
  if (user)
    await cloud.ports.store.update('users', 'o_dev_alice', user.version, {
      ...user.data,
      lineUsage: { we2000: 150_000, weilidai: 6_000_000 },
    })
  cloud.close()
}

let dir: string
let dbFile: string
let cloud: TestCloud
beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kt-migrate-'))
  dbFile = path.join(dir, 'kaitong.db')
  await writeTodaysSchema(dbFile)
  cloud = await makeTestCloud({ dbFile })
})
afterEach(() => {
  cloud.close()
  fs.rmSync(dir, { recursive: true, force: true })
})

describe('migrating a database from before lines', () => {
  it('the migrations end at the schema version, each bringing the data further', () => {
    expect(MIGRATIONS.map((m) => m.to).at(-1)).toBe(SCHEMA_VERSION)
    expect(MIGRATIONS.every((m) => m.to > UNVERSIONED)).toBe(true)
  })

  it('attaches every loan to a line opened for it: in use is what the open loans hold, nothing else changes', async () => {
    const before = await cloud.ports.store.query<LoanDoc>('loans', { index: 'byOpenid', eq: 'o_dev_alice', limit: 10 })
    expect(await migrate(cloud.ports)).toEqual({
      from: UNVERSIONED,
      to: SCHEMA_VERSION,
      ran: MIGRATIONS.map((m) => m.to),
    })
    const after = await cloud.ports.store.query<LoanDoc>('loans', { index: 'byOpenid', eq: 'o_dev_alice', limit: 10 })
    // Nothing lost: each loan is as it was, with its line beside it.
    expect(after.map((d) => d.data)).toEqual(
      before.map((d) => ({ ...d.data, lineId: `o_dev_alice:${d.data.loan.product}` })),
    )
    const we = (await cloud.ports.store.get<LineDoc>('lines', 'o_dev_alice:we2000'))!.data.line
    const open = before.find((d) => d.id === 'L_old_open')!.data.loan
    expect(we).toMatchObject({
      state: 'active',
      inUseFen: 150_000 - open.paid.principalFen,
      // The most ever lent: the refused ¥1,900 lent nothing.
      limitFen: 150_000,
      dailyRatePpm: open.dailyRatePpm,
    })
    expect((await lineHistory(cloud.ports.store, 'o_dev_alice:we2000')).map((c) => c.reason)).toEqual(['MIGRATED'])
    // 微粒贷 only ever had a drawdown in review: nobody approved a line, so none is active — the
    // refused line holds what the review holds until it is decided or expires, and 微粒贷 can be opened.
    const wl = (await cloud.ports.store.get<LineDoc>('lines', 'o_dev_alice:weilidai'))!.data
    expect(wl).toMatchObject({ watch: 1, line: { state: 'refused', inUseFen: 6_000_000, limitFen: 0 } })
    // The old counters are gone; the rest of the person's record is not.
    const user = (await cloud.ports.store.get<Record<string, unknown>>('users', 'o_dev_alice'))!.data
    expect(user).not.toHaveProperty('lineUsage')
    expect(user).toHaveProperty('identity')
    expect(user).toHaveProperty('cards')
    // The line job agrees with what the migration derived: no drift to reconcile.
    const report = await runLineJobs(cloud.ports)
    expect(cloud.logs.filter((l) => l.event === 'line_reconciled')).toEqual([])
    expect(report.lines).toBe(2)
  })

  it('a line opened before its history had records of its own: the changes move out, in order, and nothing else changes', async () => {
    const asked = requestedLine({ product: 'xiaoe', catalogVersion: 'c/1', ruleSetVersion: 'r/1' }, NOW, true)
    const approved = lineTransition(
      { ...asked, viaReview: undefined as unknown as boolean },
      { type: 'APPROVE', limitFen: 500_000, dailyRatePpm: 300 },
      NOW,
    )
    if (!approved.ok) throw new Error(approved.code)
    const old = { openid: 'o_dev_bob', line: approved.line, watch: 1, reasons: [] }
    await cloud.ports.store.insert('lines', 'o_dev_bob:xiaoe', old)
    await migrate(cloud.ports)
    expect(await lineHistory(cloud.ports.store, 'o_dev_bob:xiaoe')).toEqual(approved.line.history)
    const stored = (await cloud.ports.store.get<LineDoc>('lines', 'o_dev_bob:xiaoe'))!.data
    expect(stored).toEqual({ ...old, line: { ...approved.line, history: [], viaReview: true }, changes: 2 })
  })

  it('a line that existed already is attached to, and what it holds becomes what all its loans hold', async () => {
    const asked = requestedLine({ product: 'we2000', catalogVersion: 'c/1', ruleSetVersion: 'r/1' }, NOW)
    const opened = lineTransition(asked, { type: 'APPROVE', limitFen: 200_000, dailyRatePpm: 500 }, NOW)
    if (!opened.ok) throw new Error(opened.code)
    // Stale: it says 10,000 is in use, while the loan from before lines holds 150,000 less its repayment.
    await cloud.ports.store.insert('lines', 'o_dev_alice:we2000', {
      openid: 'o_dev_alice',
      line: { ...opened.line, inUseFen: 10_000, history: [] },
      watch: 1,
      reasons: [],
      changes: 0,
    })
    await migrate(cloud.ports)
    const open = (await cloud.ports.store.get<LoanDoc>('loans', 'L_old_open'))!.data
    expect(open.lineId).toBe('o_dev_alice:we2000')
    const line = (await cloud.ports.store.get<LineDoc>('lines', 'o_dev_alice:we2000'))!.data.line
    expect(line).toMatchObject({ state: 'active', limitFen: 200_000, inUseFen: 150_000 - open.loan.paid.principalFen })
    expect((await lineHistory(cloud.ports.store, 'o_dev_alice:we2000')).map((c) => c.reason)).toEqual(['RECONCILED'])
  })

  it('money moved before the books gets its journal entries from the receipts that recorded it, once', async () => {
    const open = (await cloud.ports.store.get<LoanDoc>('loans', 'L_old_open'))!.data.loan
    const first = open.schedule[0]
    const receipt = (n: number, kind: string, amountFen: number, breakdown: Record<string, number>, at: number) =>
      cloud.ports.store.insert(`receipts`, `L_old_open:${n}:1`, {
        loanId: 'L_old_open',
        kind,
        amountFen,
        breakdown: { principalFen: 0, interestFen: 0, feeFen: 0, overdueFen: 0, ...breakdown },
        at,
        openid: 'o_dev_alice',
        signature: 'old',
      })
    await receipt(1, 'approve', 150_000, {}, DISBURSED_AT)
    await receipt(2, 'disburse', 150_000, { principalFen: 150_000 }, DISBURSED_AT)
    await receipt(3, 'repay', first.totalFen, open.paid, first.dueAt)
    await migrate(cloud.ports)
    const entries = [...cloud.ports.store.scan<JournalEntry>('journal')].map((d) => d.data)
    expect(entries.map((e) => [e.id, e.type])).toEqual([
      ['L_old_open:2:1', 'PAYOUT_CONFIRMED'],
      ['L_old_open:3:1', 'REPAYMENT_RECEIVED'],
    ])
    const tb = trialBalance(entries)
    expect(tb.balanced).toBe(true)
    // The books' receivable is what the loan says is outstanding.
    expect(tb.accounts.principalReceivable.balanceFen).toBe(150_000 - open.paid.principalFen)
    expect(tb.accounts.wechatPayClearing.balanceFen).toBe(first.totalFen)
    // Once: a second pass over the same receipts posts nothing.
    const journal = MIGRATIONS.find((m) => m.to === 'schema/2026-12-01.3')!
    expect(await journal.run(cloud.ports, NOW)).toEqual({ posted: 0, kept: 2 })
  })

  it('runs once: a second run finds nothing to do and writes nothing', async () => {
    await migrate(cloud.ports)
    const once = cloud.dump()
    expect(await migrate(cloud.ports)).toEqual({ from: SCHEMA_VERSION, to: SCHEMA_VERSION, ran: [] })
    expect(cloud.dump()).toBe(once)
  })

  it('a migrated line lends like any other: a drawdown with no consent and no inquiry, the review’s release gives back', async () => {
    await migrate(cloud.ports)
    const inquiries = async () =>
      (await cloud.ports.bureau.softReport({ openid: 'o_dev_alice', idHash: '' }, cloud.ports.clock.now()))
        .hardInquiryTimes.length
    const asked = await inquiries()
    const r = await cloud.call('loans', 'apply', {
      product: 'we2000',
      amountFen: 10_000,
      termMonths: 6,
      mode: 'equal-installment',
      purpose: 'consumption',
    })
    expect(r).toMatchObject({ ok: true, data: { outcome: 'approved' } })
    expect(await inquiries()).toBe(asked)
    // The old review expires like a new one, and its reservation goes back to the migrated line.
    cloud.ports.clock.advance(7 * 24 * 3600_000)
    await runLineJobs(cloud.ports)
    const line = await cloud.call<LineView>('lines', 'get', { product: 'weilidai' })
    expect(line).toMatchObject({ ok: true, data: { inUseFen: 0 } })
  })

  it('the local cloud migrates an old database when it starts', async () => {
    const old = path.join(dir, 'old', 'kaitong.db')
    fs.mkdirSync(path.dirname(old))
    await writeTodaysSchema(old, false)
    const started = await startLocalCloud({ port: 0, dbFile: old, quiet: true, staticDir: dir })
    try {
      const meta = await started.ports.store.get<{ version: string }>('meta', 'schema')
      expect(meta!.data.version).toBe(SCHEMA_VERSION)
      expect(await started.ports.store.get('lines', 'o_dev_alice:we2000')).not.toBeNull()
    } finally {
      await started.stop()
    }
  })
})

describe('review cases for what waited for a person before the console', () => {
  it('a drawdown in review without its case gets one, dated when it was sent, once', async () => {
    const c = await makeTestCloud()
    try {
      await onboardBorrower(c, 'alice')
      await openLine(c, 'alice', 'weilidai')
      const r = await c.call<{ loan: { id: string; appliedAt: number } }>('loans', 'apply', {
        product: 'weilidai',
        amountFen: 6_000_000,
        termMonths: 10,
        mode: 'equal-installment',
        purpose: 'consumption',
      })
      if (!r.ok) throw new Error(r.error.code)
      // As before the console: the loan in review, no case.
      const cases = c.ports.store.db
        .prepare("SELECT id, version FROM docs WHERE collection = 'reviewCases'")
        .all() as Array<{ id: string; version: number }>
      expect(cases).toHaveLength(1)
      await c.ports.store.remove('reviewCases', cases[0].id, cases[0].version)
      await c.ports.store.insert('meta', 'schema', { version: 'schema/2026-12-01.3', ran: {} })
      expect(await migrate(c.ports)).toMatchObject({ ran: ['schema/2026-12-02.1', SCHEMA_VERSION] })
      const made = c.ports.store.db
        .prepare("SELECT id, data FROM docs WHERE collection = 'reviewCases'")
        .all() as Array<{ id: string; data: string }>
      expect(made.map((m) => m.id)).toEqual([cases[0].id])
      expect(JSON.parse(made[0].data)).toMatchObject({
        kind: 'drawdown',
        state: 'waiting',
        subjectId: r.data.loan.id,
        requestedAt: r.data.loan.appliedAt,
      })
      expect(await MIGRATIONS.find((m) => m.to === 'schema/2026-12-02.1')!.run(c.ports, NOW)).toEqual({
        opened: 0,
        kept: 1,
      })
    } finally {
      c.close()
    }
  })
})

describe('loans made before they kept their own fee terms', () => {
  it('each gets the fees and overdue rule of the catalog version it names, nothing else changes, once', async () => {
    const c = await makeTestCloud()
    try {
      await onboardBorrower(c, 'alice')
      const made = await borrow(c, 'alice')
      // As before this version: the loan without its fee terms.
      const doc = (await c.ports.store.get<LoanDoc>('loans', made.id))!
      const { feeTerms: _gone, ...old } = doc.data.loan
      await c.ports.store.update('loans', made.id, doc.version, { ...doc.data, loan: old })
      await c.ports.store.insert('meta', 'schema', { version: 'schema/2026-12-02.1', ran: {} })
      // Before the migration has run (in WeChat Cloud, until the timer's next hour) the loan reads,
      // and is charged, as the compiled catalog that priced it.
      expect(await c.call('loans', 'get', { loanId: made.id })).toMatchObject({
        ok: true,
        data: { overdue: { on: 'amount', dailyPpm: 500 } },
      })
      expect(await c.call('loans', 'list', {})).toMatchObject({ ok: true })
      expect(await migrate(c.ports)).toMatchObject({ ran: [SCHEMA_VERSION] })
      const after = (await c.ports.store.get<LoanDoc>('loans', made.id))!.data
      expect(after).toEqual({ ...doc.data, loan: { ...old, feeTerms: feeTermsOf(DEFAULT_CATALOG.products.we2000) } })
      expect(await c.call('loans', 'get', { loanId: made.id })).toMatchObject({
        ok: true,
        data: { overdue: { on: 'amount', dailyPpm: 500 } },
      })
      const step = MIGRATIONS.find((m) => m.to === 'schema/2026-12-02.2')!
      expect(await step.run(c.ports, NOW)).toEqual({ given: 0, kept: 1 })
    } finally {
      c.close()
    }
  })
})
