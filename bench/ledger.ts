// `npm run bench:ledger`: the books at size. One million journal entries posted through the Store
// into a real SQLite file (250,000 loans: each a payout and three repayments, the way the loans
// post them); every entry added up from scratch (what the first close of the books does); then a
// day's 10,000 more posted, and the trial balance as `kaitong ledger trial-balance` computes it
// (the close, then what came since); and `hledger balance` on the same journal exported in
// Ledger's format, in the same run — the ratio, and whether hledger's balances equal ours.
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fromChinaDateTime, DAY_MS } from '../src/domain/china-time'
import { ACCOUNTS, ACCOUNT_IDS, entryFor, toLedger, type JournalEntry } from '../src/domain/journal'
import { journalOf } from '../scripts/cli/ledger'
import { reconcileCommand } from '../scripts/cli/reconcile'
import { SIM_PAYMENTS } from '../server/local/adapters/sim-payments'
import { SIM_INDEXES, SIM_STATEMENTS, movementRow } from '../server/local/adapters/sim-statements'
import { ephemeralKeyring } from '../server/local/adapters/basics'
import { localPorts } from '../server/local/ports'
import type { Reconciliation } from '../src/domain/reconcile'
import { closeBooks, currentTrialBalance } from '../server/local/books'
import { SqliteStore } from '../server/local/adapters/sqlite-store'
import { COLLECTIONS, INDEXES } from '../server/schema'

const ENTRIES = Number(process.env.BENCH_ENTRIES ?? 1_000_000)
const PER_LOAN = 4
/** Inserts asked for at once: each batch is one or a few group commits. */
const BATCH = 2_000

/** A day's entries after the close: 10,000 (2,500 loans' worth). */
const DAY_ENTRIES = 10_000

function* entries(count = ENTRIES, firstLoan = 0): Generator<JournalEntry> {
  const start = fromChinaDateTime({ year: 2026, month: 1, day: 1, hour: 10 })
  for (let i = firstLoan; i < firstLoan + count / PER_LOAN; i++) {
    const loanId = `L${String(i).padStart(7, '0')}`
    const at = start + (i % 300) * DAY_MS
    const amountFen = 50_000 + (i % 400) * 500
    yield entryFor({ type: 'PAYOUT_CONFIRMED', id: `${loanId}:0:4`, loanId, at, amountFen })
    for (let k = 1; k < PER_LOAN; k++) {
      const principalFen = Math.floor(amountFen / 6)
      yield entryFor({
        type: 'REPAYMENT_RECEIVED',
        id: `${loanId}:${k}:2`,
        loanId,
        at: at + k * 30 * DAY_MS,
        channel: k % 2 ? 'wechatPay' : 'cardDebit',
        paid: {
          principalFen,
          interestFen: 700 + (i % 90),
          feeFen: k === 1 ? 1_000 : 0,
          overdueFen: i % 17 === 0 ? 33 : 0,
        },
      })
    }
  }
}

export async function benchLedger(): Promise<string[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kt-bench-ledger-'))
  const file = path.join(dir, 'k.db')
  const store = new SqliteStore(file, INDEXES, { writeInBackground: true, checkpointInBackground: true })
  const t0 = performance.now()
  let batch: Array<Promise<unknown>> = []
  for (const e of entries()) {
    batch.push(store.insert(COLLECTIONS.journal, e.id, e))
    if (batch.length === BATCH) {
      await Promise.all(batch)
      batch = []
    }
  }
  await Promise.all(batch)
  const postMs = performance.now() - t0
  store.close()

  // The first close of the books: every entry read and added up, from scratch.
  const closer = new SqliteStore(file, INDEXES, { writeInBackground: true })
  const t1 = performance.now()
  const closed = await closeBooks(closer, Date.now())
  const closeMs = performance.now() - t1
  if (!closed.ok) throw new Error(closed.code)
  // A day's worth more, posted after the close.
  const more = [...entries(DAY_ENTRIES, ENTRIES / PER_LOAN)]
  await Promise.all(more.map((e) => closer.insert(COLLECTIONS.journal, e.id, e)))
  closer.close()

  // What `kaitong ledger trial-balance` does: its own connection to the file, the close and what came since.
  const reader = new SqliteStore(file, INDEXES)
  const t15 = performance.now()
  const now = await currentTrialBalance(reader)
  const tbMs = performance.now() - t15
  const ours = now.tb
  const n = now.entries
  const ledgerFile = path.join(dir, 'journal.ledger')
  const t2 = performance.now()
  fs.writeFileSync(ledgerFile, toLedger(journalOf(reader).entries))
  const exportMs = performance.now() - t2
  const exportMb = fs.statSync(ledgerFile).size / 1e6
  reader.close()

  const t3 = performance.now()
  const csv = execFileSync('hledger', ['-f', ledgerFile, 'balance', '--flat', '--empty', '-O', 'csv', '--no-total'], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  })
  const hledgerMs = performance.now() - t3
  const theirs = new Map(
    csv
      .trim()
      .split('\n')
      .slice(1)
      .map((line) => {
        const [account, amount] = line.split(',').map((c) => c.replace(/^"|"$/g, ''))
        return [account, amount === '0' ? 0 : Math.round(Number(amount.replace(/ CNY$/, '').replace(/,/g, '')) * 100)]
      }),
  )
  const agree = ACCOUNT_IDS.every(
    (a) => (theirs.get(ACCOUNTS[a].name) ?? 0) === ours.accounts[a].debitFen - ours.accounts[a].creditFen,
  )
  const hledgerVersion = execFileSync('hledger', ['--version'], { encoding: 'utf8' }).trim()
  fs.rmSync(dir, { recursive: true, force: true })
  return [
    `post: ${ENTRIES.toLocaleString('en')} journal entries through the Store (SQLite file, background writer, ${BATCH} asked at once) in ${(postMs / 1000).toFixed(1)} s → ${Math.round(ENTRIES / (postMs / 1000)).toLocaleString('en')} entries/s`,
    `close of the books over ${closed.close.entries.toLocaleString('en')} entries (every one read and added up, once): ${closeMs.toFixed(0)} ms`,
    `trial balance over ${n.toLocaleString('en')} entries (the close, then ${(n - closed.close.entries).toLocaleString('en')} posted since): ${tbMs.toFixed(0)} ms (goal ≤ 1,000 ms); balanced ${ours.balanced}, debits = credits = ${ours.debitsFen.toLocaleString('en')} fen`,
    `export to Ledger format: ${exportMs.toFixed(0)} ms, ${exportMb.toFixed(0)} MB`,
    `hledger balance (${hledgerVersion}) on the same journal: ${(hledgerMs / 1000).toFixed(1)} s — adding up every entry, ours (the close) ×${(hledgerMs / closeMs).toFixed(1)} faster; hledger's balances equal ours: ${agree}`,
  ]
}

const PAYMENTS = Number(process.env.BENCH_PAYMENTS ?? 100_000)

/**
 * Reconciliation of one day of 100,000 payments: the simulated WeChat Pay's orders (the
 * statement), the payment records and their journal entries in a SQLite file, and
 * `kaitong reconcile --date` over them — one in 1,000 received without its entry, one in 1,000
 * for another amount than its order, so the run lists something.
 */
export async function benchReconcile(): Promise<string[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kt-bench-reconcile-'))
  const file = path.join(dir, 'k.db')
  const store = new SqliteStore(file, [...INDEXES, ...SIM_INDEXES], {
    writeInBackground: true,
    checkpointInBackground: true,
  })
  const day = fromChinaDateTime({ year: 2026, month: 12, day: 1, hour: 0 })
  const t0 = performance.now()
  let batch: Array<Promise<unknown>> = []
  for (let i = 0; i < PAYMENTS; i++) {
    const id = `pay_bench${String(i).padStart(8, '0')}`
    const at = day + Math.floor((i / PAYMENTS) * (DAY_MS - 1000))
    const amountFen = 10_000 + (i % 5_000)
    const paidFen = i % 1000 === 7 ? amountFen - 1 : amountFen
    const bill = movementRow('wechatPay', id, {
      ref: id,
      transactionId: `42${i}`,
      kind: 'received',
      fen: paidFen,
      at,
      paidAt: at,
    })
    batch.push(
      store.insert(SIM_PAYMENTS, id, {
        outTradeNo: id,
        amountFen,
        description: 'bench',
        openid: `o_${i % 5000}`,
        state: 'SUCCESS',
        paidFen,
        transactionId: `42${i}`,
        paidAt: at,
        expiresAt: at + 1_800_000,
        refunds: {},
      }),
      // WeChat Pay's bill row for it.
      store.insert(SIM_STATEMENTS, bill.id, bill.data),
      store.insert(COLLECTIONS.payments, id, {
        openid: `o_${i % 5000}`,
        payment: { id, amountFen },
        watch: 0,
        watchAt: 0,
      }),
    )
    if (i % 1000 !== 3)
      batch.push(
        store.insert(
          COLLECTIONS.journal,
          id,
          entryFor({
            type: 'REPAYMENT_RECEIVED',
            id,
            loanId: `L${i}`,
            at,
            channel: 'wechatPay',
            paid: { principalFen: paidFen - 500, interestFen: 500, feeFen: 0, overdueFen: 0 },
          }),
        ),
      )
    if (batch.length >= BATCH) {
      await Promise.all(batch)
      batch = []
    }
  }
  await Promise.all(batch)
  const setupMs = performance.now() - t0
  store.close()
  const t1 = performance.now()
  const r = await reconcileCommand(['--date', '2026-12-01'], () =>
    localPorts({ dbFile: file, dataKeys: ephemeralKeyring(), log: { info() {}, warn() {}, error() {} } }),
  )
  const ms = performance.now() - t1
  const out = (r.output as { wechatPay: Reconciliation & { statementLines: number } }).wechatPay
  fs.rmSync(dir, { recursive: true, force: true })
  return [
    `reconcile: a day of ${PAYMENTS.toLocaleString('en')} payments (set up in ${(setupMs / 1000).toFixed(1)} s) — kaitong reconcile --date in ${(ms / 1000).toFixed(2)} s (goal ≤ 5 s): ${out.statementLines.toLocaleString('en')} statement lines, ${out.matched.toLocaleString('en')} matched, ${out.missingInBooks.length} missing in the books, ${out.differing.length} differing`,
  ]
}

if (process.argv[1] && /ledger\.ts$/.test(process.argv[1])) {
  console.log(`ledger benchmark — node ${process.version}, ${new Date().toISOString()}`)
  const run = async () => {
    const lines = [...(process.env.RECONCILE_ONLY ? [] : await benchLedger()), ...(await benchReconcile())]
    lines.forEach((l) => console.log(l))
  }
  void run()
}
