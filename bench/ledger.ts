// `npm run bench:ledger`: the books at size. One million journal entries posted through the Store
// into a real SQLite file (250,000 loans: each a payout and three repayments, the way the loans
// post them), then the trial balance over all of them (`kaitong ledger trial-balance`'s path: the
// file scanned, every entry added up), and `hledger balance` on the same journal exported in
// Ledger's format, in the same run — the ratio, and whether hledger's balances equal ours.
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fromChinaDateTime, DAY_MS } from '../src/domain/china-time'
import { ACCOUNTS, ACCOUNT_IDS, entryFor, toLedger, trialBalance, type JournalEntry } from '../src/domain/journal'
import { journalOf } from '../scripts/cli/ledger'
import { SqliteStore } from '../server/local/adapters/sqlite-store'
import { COLLECTIONS, INDEXES } from '../server/schema'

const ENTRIES = Number(process.env.BENCH_ENTRIES ?? 1_000_000)
const PER_LOAN = 4
/** Inserts asked for at once: each batch is one or a few group commits. */
const BATCH = 2_000

function* entries(): Generator<JournalEntry> {
  const start = fromChinaDateTime({ year: 2026, month: 1, day: 1, hour: 10 })
  for (let i = 0; i < ENTRIES / PER_LOAN; i++) {
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

  // What `kaitong ledger trial-balance` does: its own connection to the file, every entry added up.
  const reader = new SqliteStore(file, INDEXES)
  const t1 = performance.now()
  const journal = journalOf(reader)
  const ours = trialBalance(journal.entries)
  const n = journal.count()
  const tbMs = performance.now() - t1
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
    `trial balance over ${n.toLocaleString('en')} entries: ${tbMs.toFixed(0)} ms (goal ≤ 1,000 ms); balanced ${ours.balanced}, debits = credits = ${ours.debitsFen.toLocaleString('en')} fen`,
    `export to Ledger format: ${exportMs.toFixed(0)} ms, ${exportMb.toFixed(0)} MB`,
    `hledger balance (${hledgerVersion}) on the same journal: ${(hledgerMs / 1000).toFixed(1)} s — ours ×${(hledgerMs / tbMs).toFixed(1)} faster; hledger's balances equal ours: ${agree}`,
  ]
}

if (process.argv[1] && /ledger\.ts$/.test(process.argv[1])) {
  console.log(`ledger benchmark — node ${process.version}, ${new Date().toISOString()}`)
  benchLedger().then((lines) => lines.forEach((l) => console.log(l)))
}
