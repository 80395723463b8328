// Closing the books on the local database: what every journal entry so far adds up to, kept as one
// close, so that a trial balance reads the close and only the entries posted since — as ledgers
// close their periods, rather than adding up every entry ever posted each time. A close counts
// entries by their row in the file: entries are never deleted and a new row is numbered above
// every row there, so "after row N" is exactly "posted since the close", back-dated or not.
import { ACCOUNT_IDS, trialBalance, type JournalEntry, type Opening, type TrialBalance } from '../../src/domain/journal'
import { COLLECTIONS } from '../schema'
import type { SqliteStore } from './adapters/sqlite-store'

/** The close of the books: every entry up to row `throughRid`, added up. */
export interface BooksClose {
  throughRid: number
  entries: number
  accounts: Opening
  closedAt: number
}

const CLOSE_ID = 'books-close'

/** Entries added up at a time before the event loop gets a turn (a close in a serving process never holds requests for long). */
const CHUNK = 2_000

/**
 * The journal since the last close: how many entries, and what they and the close add up to —
 * a chunk at a time, giving the event loop a turn between chunks.
 */
async function since(
  store: SqliteStore,
  close: BooksClose | null,
): Promise<{ tb: TrialBalance; entries: number; lastRid: number }> {
  let entries = close?.entries ?? 0
  let lastRid = close?.throughRid ?? 0
  let tb = trialBalance([], close?.accounts)
  for (;;) {
    let n = 0
    tb = trialBalance(
      (function* () {
        for (const { rid, doc } of store.scanAfter<JournalEntry>(COLLECTIONS.journal, lastRid, CHUNK)) {
          n++
          lastRid = rid
          yield doc.data
        }
      })(),
      openingOf(tb),
    )
    entries += n
    if (n < CHUNK) return { tb, entries, lastRid }
    await new Promise((resolve) => setImmediate(resolve))
  }
}

/** What a trial balance carries forward: each account's debits and credits. */
function openingOf(tb: TrialBalance): Opening {
  return Object.fromEntries(
    ACCOUNT_IDS.map((a) => [a, { debitFen: tb.accounts[a].debitFen, creditFen: tb.accounts[a].creditFen }]),
  ) as Opening
}

/** The trial balance over every entry: the last close, then what was posted after it. */
export async function currentTrialBalance(
  store: SqliteStore,
): Promise<{ tb: TrialBalance; entries: number; closedThrough: { entries: number; at: string } | null }> {
  const close = (await store.get<BooksClose>(COLLECTIONS.meta, CLOSE_ID))?.data ?? null
  const { tb, entries } = await since(store, close)
  return {
    tb,
    entries,
    closedThrough: close ? { entries: close.entries, at: new Date(close.closedAt).toISOString() } : null,
  }
}

/**
 * Closes the books through the last entry posted: the previous close plus what came since, written
 * compare-and-set (two closers at once: one writes, the other finds it written). Books that do
 * not balance are not closed — that is for a person to look at, never to carry forward.
 */
export async function closeBooks(
  store: SqliteStore,
  now: number,
): Promise<{ ok: true; close: BooksClose; added: number } | { ok: false; code: 'UNBALANCED' | 'CONFLICT' }> {
  const current = await store.get<BooksClose>(COLLECTIONS.meta, CLOSE_ID)
  const { tb, entries, lastRid } = await since(store, current?.data ?? null)
  if (!tb.balanced) return { ok: false, code: 'UNBALANCED' }
  const close: BooksClose = { throughRid: lastRid, entries, accounts: openingOf(tb), closedAt: now }
  const added = entries - (current?.data.entries ?? 0)
  if (current && added === 0) return { ok: true, close: current.data, added: 0 }
  const written = current
    ? await store.update(COLLECTIONS.meta, CLOSE_ID, current.version, close)
    : await store.insert(COLLECTIONS.meta, CLOSE_ID, close)
  return written.ok ? { ok: true, close, added } : { ok: false, code: 'CONFLICT' }
}
