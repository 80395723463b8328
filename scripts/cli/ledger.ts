// `kaitong ledger …`: the books from the local database (reads only, but for `close`).
//   ledger trial-balance                    every account's debits, credits and balance, and whether they agree
//                                           (the last close of the books, then the entries posted since)
//   ledger close                            closes the books through the last entry (the local cloud's jobs do it too)
//   ledger loan <loanId>                    one loan's entries, and its receivable against what the loan says it owes
//   ledger export --format ledger [--out F] the journal in Ledger's plain-text format (hledger reads it)
import fs from 'node:fs'
import path from 'node:path'
import { ACCOUNTS, toLedger, trialBalance, type AccountId, type JournalEntry } from '../../src/domain/journal'
import { closeBooks, currentTrialBalance } from '../../server/local/books'
import { inRepayment, openLines } from '../../src/domain/loan'
import type { LoanDoc } from '../../server/app/loans/docs'
import type { SqliteStore } from '../../server/local/adapters/sqlite-store'
import { COLLECTIONS } from '../../server/schema'
import { parseFlags } from './args'
import type { CliResult } from './quote'

export const LEDGER_USAGE =
  'kaitong ledger trial-balance | ledger close | ledger loan <loanId> | ledger export --format ledger [--out <file>]   ($KAITONG_DB)'

const usage = (message: string): CliResult => ({
  exitCode: 1,
  output: { error: { code: 'USAGE', message: `${message}\nusage: ${LEDGER_USAGE}` } },
})

/** The balances by account name, as hledger names them. */
function byName(accounts: Record<AccountId, { debitFen: number; creditFen: number; balanceFen: number }>) {
  return Object.fromEntries((Object.keys(accounts) as AccountId[]).map((a) => [ACCOUNTS[a].name, accounts[a]]))
}

/** Every journal entry in the file, in the order posted; `count()` says how many went by. */
export function journalOf(store: SqliteStore): { entries: Generator<JournalEntry>; count: () => number } {
  let n = 0
  return {
    entries: (function* () {
      for (const d of store.scan<JournalEntry>(COLLECTIONS.journal)) {
        n++
        yield d.data
      }
    })(),
    count: () => n,
  }
}

export async function ledgerCommand(
  argv: string[],
  open: () => { store: SqliteStore },
  defaultOut: string,
  now: () => number = Date.now,
): Promise<CliResult> {
  const [sub, ...rest] = argv
  if (sub !== 'trial-balance' && sub !== 'close' && sub !== 'loan' && sub !== 'export')
    return usage(`unknown: ${sub ?? '(none)'}`)
  if (sub === 'loan' && (rest.length !== 1 || !rest[0].trim())) return usage('ledger loan needs one loan id')
  const flags = sub === 'export' ? parseFlags(rest, ['format', 'out']) : null
  if (flags && !flags.ok) return usage(flags.message)
  if (flags?.ok && flags.flags.format !== 'ledger') return usage('--format ledger is the one format')
  if ((sub === 'trial-balance' || sub === 'close') && rest.length > 0) return usage(`unexpected argument: ${rest[0]}`)
  const { store } = open()
  try {
    if (sub === 'trial-balance') {
      const { tb, entries, closedThrough } = await currentTrialBalance(store)
      // Books that do not balance are an error an operator must see: exit 1.
      return {
        exitCode: tb.balanced ? 0 : 1,
        output: { ...tb, accounts: byName(tb.accounts), entries, closedThrough },
      }
    }
    if (sub === 'close') {
      const r = await closeBooks(store, now())
      if (!r.ok)
        return {
          exitCode: 1,
          output: {
            error: {
              code: r.code,
              message:
                r.code === 'UNBALANCED'
                  ? 'the books do not balance: not closed (ledger trial-balance shows them)'
                  : 'another close was written meanwhile: run it again',
            },
          },
        }
      return {
        exitCode: 0,
        output: { closedThrough: r.close.entries, added: r.added, at: new Date(r.close.closedAt).toISOString() },
      }
    }
    if (sub === 'loan') {
      const loanId = rest[0].trim()
      // A loan posts a handful of entries (its payout, each repayment): one page holds them all.
      const entries = (
        await store.query<JournalEntry>(COLLECTIONS.journal, { index: 'byLoan', eq: loanId, limit: 1000 })
      ).map((d) => d.data)
      const loan = await store.get<LoanDoc>(COLLECTIONS.loans, loanId)
      if (!loan && entries.length === 0)
        return {
          exitCode: 1,
          output: { error: { code: 'NOT_FOUND', message: `no loan ${loanId} and no entries for it` } },
        }
      const books = trialBalance(entries).accounts.principalReceivable.balanceFen
      // What the loan's own plan says is still owed of principal: the lines not paid (less what was
      // paid of the oldest), once paid out and until it ends — not the paid figures the entries came from.
      const l = loan?.data.loan
      const owes = l ? (inRepayment(l.state) ? openLines(l).reduce((s, x) => s + x.principalFen, 0) : 0) : null
      // A deleted loan (its person deleted their data) has no figures left to compare: unknown, not "agrees".
      const agrees = owes === null ? null : owes === books
      return {
        exitCode: agrees === false ? 1 : 0,
        output: {
          loanId,
          state: loan?.data.loan.state ?? '(deleted)',
          entries: entries.map((e) => ({ ...e, at: new Date(e.at).toISOString() })),
          principalReceivable: { booksFen: books, loanFen: owes, agrees },
        },
      }
    }
    const out = path.resolve(flags!.ok ? (flags!.flags.out ?? defaultOut) : defaultOut)
    fs.mkdirSync(path.dirname(out), { recursive: true })
    const journal = journalOf(store)
    fs.writeFileSync(out, toLedger(journal.entries))
    return { exitCode: 0, output: { written: out, format: 'ledger', entries: journal.count() } }
  } finally {
    store.close()
  }
}
