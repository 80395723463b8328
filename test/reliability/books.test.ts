// The books against the loans: whatever a borrower does — draw, repay what is due or any amount
// (paid through WeChat Pay, its callback delivered up to five times, sometimes for the wrong
// amount, sometimes never paid and left to expire), settle, cancel in the cooling-off, send a
// request twice, let days pass — the journal's trial balance is zero, every loan's principal
// receivable in the books is what the loan's own plan says is outstanding, nothing is left owed
// back, and the exported journal passes `hledger check` with hledger's balances equal to ours.
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import fc from 'fast-check'
import type { LoanView, PaymentView } from '../../src/api'
import { DAY_MS, HOUR_MS } from '../../src/domain/china-time'
import { ACCOUNTS, ACCOUNT_IDS, trialBalance, type JournalEntry } from '../../src/domain/journal'
import { ledgerCommand } from '../../scripts/cli/ledger'
import { closeBooks, currentTrialBalance } from '../../server/local/books'
import { SqliteStore } from '../../server/local/adapters/sqlite-store'
import type { LoanDoc } from '../../server/app/loans/docs'
import { COLLECTIONS, INDEXES } from '../../server/schema'
import { onboardBorrower, openLine } from '../support/borrower'
import { runPaymentJobs, type PaymentDoc } from '../../server/app/payments'
import { devOpenid } from '../../server/local/runtime/session'
import { makeTestCloud, type TestCloud } from '../support/cloud'
import { attemptTime } from '../../src/domain/auto-debit'
import { runScheduledJobs } from '../../server/app/timer'

const ALICE = devOpenid('alice')

type Step =
  | { kind: 'draw'; amountFen: number; termMonths: 6 | 12 }
  | { kind: 'repayDue'; pick: number; copies?: number }
  | { kind: 'repayAny'; pick: number; fen: number; prepay: 'shorten' | 'reduce'; copies: number }
  | { kind: 'wrongAmount'; pick: number }
  | { kind: 'unpaid'; pick: number }
  | { kind: 'settle'; pick: number }
  | { kind: 'cancel'; pick: number }
  | { kind: 'again'; pick: number }
  | { kind: 'wait'; ms: number }
  /** Automatic debit on or off; the card's balance enough or not; the clock to a due day's attempt, and the jobs. */
  | { kind: 'autoDebit'; on: boolean }
  | { kind: 'balance'; fen: number }
  | { kind: 'dueDay'; pick: number; attempt: 1 | 2 | 3 }

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({
    kind: fc.constant('draw' as const),
    amountFen: fc.integer({ min: 500, max: 3_000 }).map((y) => y * 100),
    termMonths: fc.constantFrom(6 as const, 12 as const),
  }),
  fc.record({ kind: fc.constant('repayDue' as const), pick: fc.nat(), copies: fc.integer({ min: 0, max: 4 }) }),
  fc.record({
    kind: fc.constant('repayAny' as const),
    pick: fc.nat(),
    fen: fc.integer({ min: 1, max: 120_000 }),
    prepay: fc.constantFrom('shorten' as const, 'reduce' as const),
    copies: fc.integer({ min: 0, max: 4 }),
  }),
  fc.record({ kind: fc.constant('wrongAmount' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('unpaid' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('settle' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('cancel' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('again' as const), pick: fc.nat() }),
  fc.record({
    kind: fc.constant('wait' as const),
    ms: fc.constantFrom(HOUR_MS, 20 * HOUR_MS, 17 * DAY_MS, 40 * DAY_MS),
  }),
  fc.record({ kind: fc.constant('autoDebit' as const), on: fc.boolean() }),
  fc.record({ kind: fc.constant('balance' as const), fen: fc.constantFrom(0, 30_000, 10_000_000) }),
  fc.record({
    kind: fc.constant('dueDay' as const),
    pick: fc.nat(),
    attempt: fc.constantFrom(1 as const, 2 as const, 3 as const),
  }),
)

/** The journal as stored. */
function journal(cloud: TestCloud): JournalEntry[] {
  return [...cloud.ports.store.scan<JournalEntry>(COLLECTIONS.journal)].map((d) => d.data)
}

/** Each request a new id, across every sequence played (a second sequence on the same cloud is new requests). */
let requestsSent = 0

async function play(cloud: TestCloud, steps: Step[], known: string[] = []): Promise<string[]> {
  const loans: string[] = [...known]
  const sent: Array<{ action: string; data: Record<string, unknown>; requestId: string }> = []
  const call = async (action: string, data: Record<string, unknown>) => {
    const requestId = `books-request-${requestsSent++}`
    sent.push({ action, data, requestId })
    return cloud.call<{ loan: LoanView; payment: PaymentView }>('loans', action, data, { requestId })
  }
  // The payer pays in the sheet; WeChat Pay calls back 1 + copies times (at once), maybe for another amount.
  const pay = (paymentId: string, copies = 0, amountFen?: number) =>
    cloud.ports.simulatePayment(devOpenid('alice'), paymentId, { outcome: 'success', duplicates: copies, amountFen })
  for (const s of steps) {
    const loanId = loans.length ? loans[('pick' in s ? s.pick : 0) % loans.length] : null
    if (s.kind === 'draw') {
      const r = await call('apply', {
        product: 'we2000',
        amountFen: s.amountFen,
        termMonths: s.termMonths,
        mode: 'equal-installment',
        purpose: 'consumption',
      })
      if (r.ok) loans.push(r.data.loan.id)
    } else if (s.kind === 'wait') {
      cloud.ports.clock.advance(s.ms)
      // The timer: payments not paid in time expire (their orders closed), refunds owed go out.
      await runPaymentJobs(cloud.ports)
    } else if (s.kind === 'autoDebit') {
      await cloud.call('lines', 'autoDebit', { product: 'we2000', on: s.on })
    } else if (s.kind === 'balance') {
      await cloud.ports.world.edit(ALICE, { ...(await cloud.ports.world.profile(ALICE)), cardBalanceFen: s.fen })
    } else if (loanId && s.kind === 'dueDay') {
      // To the attempt's time on the loan's next due day (if it is still ahead), and the timer's jobs.
      const got = await cloud.call<LoanView>('loans', 'get', { loanId })
      const next = got.ok ? got.data.schedule.find((l) => !l.paid) : undefined
      if (next) {
        const t = attemptTime(next.dueDate, s.attempt)
        if (t > cloud.ports.clock.now()) cloud.ports.clock.advance(t - cloud.ports.clock.now())
        await runScheduledJobs(cloud.ports)
      }
    } else if (s.kind === 'again' && sent.length > 0) {
      // The same request once more (a retry): answered again, posting nothing twice.
      const last = sent[s.pick % sent.length]
      await cloud.call('loans', last.action, last.data, { requestId: last.requestId })
    } else if (loanId && s.kind === 'cancel') {
      const r = await call('cancel', { loanId })
      if (r.ok && r.data.payment) await pay(r.data.payment.paymentId)
    } else if (loanId && s.kind === 'settle') {
      const r = await call('repay', { loanId, amountFen: 'all' })
      if (r.ok) await pay(r.data.payment.paymentId, 2)
    } else if (loanId && s.kind === 'repayDue') {
      const r = await call('repay', { loanId, amountFen: 'due' })
      if (r.ok) await pay(r.data.payment.paymentId, s.copies ?? 0)
    } else if (loanId && s.kind === 'repayAny') {
      const got = await cloud.call<LoanView>('loans', 'get', { loanId })
      if (got.ok && got.data.due) {
        const r = await call('repay', { loanId, amountFen: Math.min(s.fen, got.data.due.payoffFen), prepay: s.prepay })
        if (r.ok) await pay(r.data.payment.paymentId, s.copies)
      }
    } else if (loanId && s.kind === 'wrongAmount') {
      const r = await call('repay', { loanId, amountFen: 'due' })
      if (r.ok) await pay(r.data.payment.paymentId, 0, r.data.payment.amountFen + 1)
    } else if (loanId && s.kind === 'unpaid') {
      await call('repay', { loanId, amountFen: 'due' })
    }
  }
  return loans
}

/** hledger's balance of every account, in fen, from the exported journal (after `hledger check`). */
function hledgerBalances(file: string): Record<string, number> {
  // Strict: every account and commodity declared, as the export declares them.
  execFileSync('hledger', ['-f', file, 'check', '-s'], { encoding: 'utf8' })
  const csv = execFileSync('hledger', ['-f', file, 'balance', '--flat', '--empty', '-O', 'csv', '--no-total'], {
    encoding: 'utf8',
  })
  const out: Record<string, number> = {}
  for (const line of csv.trim().split('\n').slice(1)) {
    const [account, amount] = line.split(',').map((c) => c.replace(/^"|"$/g, ''))
    out[account] = amount === '0' ? 0 : Math.round(Number(amount.replace(/ CNY$/, '').replace(/,/g, '')) * 100)
  }
  return out
}

describe('the books follow the loans', () => {
  it('after any sequence of borrower actions: trial balance zero, each loan agrees, hledger agrees', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kt-books-'))
    // Card debits taken across the runs: the sequences reach them (automatic debit starts on).
    let debited = 0
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 3, maxLength: 14 }), async (steps) => {
        const dbFile = path.join(dir, `b${Date.now()}-${Math.random().toString(36).slice(2)}.db`)
        const cloud = await makeTestCloud({ dbFile })
        try {
          await onboardBorrower(cloud)
          await cloud.call('onboarding', 'authorizePayScore', {})
          await openLine(cloud)
          const loans = await play(cloud, [
            { kind: 'autoDebit', on: true },
            { kind: 'draw', amountFen: 100_000, termMonths: 6 },
            ...steps,
          ])
          const entries = journal(cloud)
          debited += entries.filter((e) => e.postings.some((p) => p.account === 'cardDebitClearing')).length
          const tb = trialBalance(entries)
          expect(tb.balanced).toBe(true)
          // The first drawdown paid out: the books are never vacuously right.
          expect(entries[0]).toMatchObject({ type: 'PAYOUT_CONFIRMED', loanId: loans[0] })
          for (const loanId of new Set([...loans, ...entries.map((e) => e.loanId)])) {
            const out = await ledgerCommand(['loan', loanId], () => ({ store: new SqliteStore(dbFile, INDEXES) }), '')
            expect(out).toMatchObject({ exitCode: 0, output: { principalReceivable: { agrees: true } } })
          }
          // Every account against the loans' own figures: what went out, what is outstanding, and
          // each kind of income as the loans say it was paid.
          // All of the person's loans, as stored: a failed drawdown sent again later may succeed.
          const docs = (
            await cloud.ports.store.query<LoanDoc>(COLLECTIONS.loans, {
              index: 'byOpenid',
              eq: 'o_dev_alice',
              limit: 1000,
            })
          ).map((d) => d.data.loan)
          const paidOut = docs.filter((l) => l.disbursedAt !== null)
          const sum = (f: (l: (typeof docs)[number]) => number) => paidOut.reduce((s, l) => s + f(l), 0)
          expect(tb.accounts.payoutClearing.balanceFen).toBe(-sum((l) => l.amountFen))
          expect(tb.accounts.principalReceivable.balanceFen).toBe(sum((l) => l.amountFen - l.paid.principalFen))
          expect(tb.accounts.interestIncome.balanceFen).toBe(sum((l) => l.paid.interestFen))
          expect(tb.accounts.feeIncome.balanceFen).toBe(sum((l) => l.paid.feeFen))
          expect(tb.accounts.penaltyIncome.balanceFen).toBe(sum((l) => l.paid.overdueFen))
          // Money in through WeChat Pay and card debits is exactly what the loans took; whatever they could not take went back.
          expect(tb.accounts.wechatPayClearing.balanceFen + tb.accounts.cardDebitClearing.balanceFen).toBe(
            sum((l) => l.paid.principalFen + l.paid.interestFen + l.paid.feeFen + l.paid.overdueFen),
          )
          expect(tb.accounts.refundsPayable.balanceFen).toBe(0)
          // Each channel's clearing account holds what came in through it less what went back through it.
          const kept = (channel: string) =>
            [...cloud.ports.store.scan<PaymentDoc>(COLLECTIONS.payments)]
              .map((d) => d.data.payment)
              .filter((p) => (p.channel ?? 'wechatPay') === channel)
              .reduce((sum, p) => sum + p.receivedFen - p.refunds.reduce((r, x) => r + x.amountFen, 0), 0)
          expect(tb.accounts.wechatPayClearing.balanceFen).toBe(kept('wechatPay'))
          expect(tb.accounts.cardDebitClearing.balanceFen).toBe(kept('cardDebit'))
          // Each confirmed payment posted once: as many repayment entries as paid repayments.
          const payments = [
            ...cloud.ports.store.scan<{ payment: { state: string; purpose: string } }>(COLLECTIONS.payments),
          ]
          // (A payment with money beyond the payoff stays paid, its excess refunded; one the loan could not take at all is refunded.)
          const applied = payments.filter((p) => p.data.payment.state === 'paid')
          expect(entries.filter((e) => e.type === 'REPAYMENT_RECEIVED' || e.type === 'COOLING_OFF_RETURN').length).toBe(
            applied.length,
          )
          const file = path.join(dir, 'journal.ledger')
          const { toLedger } = await import('../../src/domain/journal')
          fs.writeFileSync(file, toLedger(entries))
          const theirs = hledgerBalances(file)
          for (const a of ACCOUNT_IDS) expect([a, theirs[ACCOUNTS[a].name] ?? 0]).toEqual([a, ledgerSigned(tb, a)])
        } finally {
          cloud.close()
        }
      }),
      { numRuns: Number(process.env.BOOKS_RUNS ?? 25) },
    )
    expect(debited).toBeGreaterThan(0)
  }, 120_000)

  it('kaitong ledger: trial balance, one loan, and the export hledger reads, from the database file; bad use is refused', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kt-ledger-'))
    const dbFile = path.join(dir, 'k.db')
    const cloud = await makeTestCloud({ dbFile })
    await onboardBorrower(cloud)
    await cloud.call('onboarding', 'authorizePayScore', {})
    await openLine(cloud)
    const loans = await play(cloud, [
      { kind: 'draw', amountFen: 100_000, termMonths: 6 },
      { kind: 'draw', amountFen: 50_000, termMonths: 12 },
      { kind: 'wait', ms: 2 * HOUR_MS },
      { kind: 'cancel', pick: 1 },
      { kind: 'wait', ms: 40 * DAY_MS },
      { kind: 'repayDue', pick: 0 },
    ])
    // The CLI's own connection to the file, as `npm run kaitong -- ledger` opens it.
    const open = () => ({ store: new SqliteStore(dbFile, INDEXES) })
    const tb = await ledgerCommand(['trial-balance'], open, '')
    expect(tb).toMatchObject({ exitCode: 0, output: { balanced: true, entries: 4 } })
    const first = await ledgerCommand(['loan', loans[0]], open, '')
    expect(first.output).toMatchObject({ state: 'repaying', principalReceivable: { agrees: true } })
    const out = path.join(dir, 'out', 'journal.ledger')
    expect(await ledgerCommand(['export', '--format', 'ledger', '--out', out], open, '')).toMatchObject({
      exitCode: 0,
      output: { written: out, entries: 4 },
    })
    expect(hledgerBalances(out)['Assets:Loans:Principal receivable']).toBe(
      (tb.output as { accounts: Record<string, { balanceFen: number }> }).accounts['Assets:Loans:Principal receivable']
        .balanceFen,
    )
    // Closing the books: the close carries every entry so far; a trial balance reads it and only
    // what was posted after, and agrees with adding up every entry again.
    expect(await ledgerCommand(['close'], open, '')).toMatchObject({
      exitCode: 0,
      output: { closedThrough: 4, added: 4 },
    })
    expect(await ledgerCommand(['close'], open, '')).toMatchObject({
      exitCode: 0,
      output: { closedThrough: 4, added: 0 },
    })
    cloud.ports.clock.advance(31 * DAY_MS)
    await play(cloud, [{ kind: 'repayDue', pick: 0 }], loans)
    const after = await ledgerCommand(['trial-balance'], open, '')
    const everything = trialBalance(journal(cloud))
    expect(after).toMatchObject({
      exitCode: 0,
      output: { entries: 5, closedThrough: { entries: 4 }, debitsFen: everything.debitsFen, balanced: true },
    })
    expect((after.output as { accounts: Record<string, unknown> }).accounts['Income:Interest']).toEqual(
      everything.accounts.interestIncome,
    )
    // A chunk at a time (here 2 entries), the close comes to the same; a close whose last row no
    // longer holds its last entry (the table rebuilt) is not used: everything is added up again.
    const store = new SqliteStore(dbFile, INDEXES)
    const meta = (await store.get<Record<string, unknown>>(COLLECTIONS.meta, 'books-close'))!
    await store.update(COLLECTIONS.meta, 'books-close', meta.version, { ...meta.data, throughId: 'not-that-entry' })
    expect(await currentTrialBalance(store)).toMatchObject({
      entries: 5,
      closedThrough: null,
      tb: { debitsFen: everything.debitsFen },
    })
    // From scratch, 2 entries a chunk (three chunks): the same books.
    expect(await closeBooks(store, cloud.ports.clock.now(), 2)).toMatchObject({ ok: true, close: { entries: 5 } })
    expect(await currentTrialBalance(store)).toMatchObject({
      entries: 5,
      closedThrough: { entries: 5 },
      tb: { debitsFen: everything.debitsFen, balanced: true },
    })
    store.close()
    // Books that do not balance are shown (exit 1) and never closed.
    await cloud.ports.store.insert(COLLECTIONS.journal, 'broken', {
      id: 'broken',
      type: 'PAYOUT_CONFIRMED',
      loanId: 'L_x',
      at: 0,
      postings: [{ account: 'feeIncome', side: 'debit', amountFen: 1 }],
    })
    expect(await ledgerCommand(['trial-balance'], open, '')).toMatchObject({ exitCode: 1, output: { balanced: false } })
    expect(await ledgerCommand(['close'], open, '')).toMatchObject({
      exitCode: 1,
      output: { error: { code: 'UNBALANCED' } },
    })
    for (const bad of [
      [],
      ['balance'],
      ['loan'],
      ['export'],
      ['export', '--format', 'csv'],
      ['trial-balance', 'x'],
      ['close', 'now'],
    ])
      expect(await ledgerCommand(bad, open, '')).toMatchObject({ exitCode: 1, output: { error: { code: 'USAGE' } } })
    expect(await ledgerCommand(['loan', 'L_nope'], open, '')).toMatchObject({
      exitCode: 1,
      output: { error: { code: 'NOT_FOUND' } },
    })
  })
})

/** Our balance as hledger signs it: debit positive, credit negative, whatever the account's kind. */
function ledgerSigned(tb: ReturnType<typeof trialBalance>, a: (typeof ACCOUNT_IDS)[number]): number {
  return tb.accounts[a].debitFen - tb.accounts[a].creditFen
}
