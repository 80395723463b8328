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
  /** The entry at that row: a close whose row no longer holds it (the table rebuilt) is not used. */
  throughId: string | null
  entries: number
  accounts: Opening
  closedAt: number
}

const CLOSE_ID = 'books-close'

/** Entries added up at a time before the event loop gets a turn (a close in a serving process never holds requests for long). */
export const CLOSE_CHUNK = 2_000

/**
 * The journal since the last close: how many entries, and what they and the close add up to —
 * a chunk at a time, giving the event loop a turn between chunks.
 */
async function since(
  store: SqliteStore,
  stored: BooksClose | null,
  chunk = CLOSE_CHUNK,
): Promise<{ tb: TrialBalance; entries: number; lastRid: number; lastId: string | null; from: BooksClose | null }> {
  // A close counts rows: if its last row no longer holds its last entry, it is not trusted.
  const close =
    stored && (stored.throughRid === 0 || store.idAtRow(COLLECTIONS.journal, stored.throughRid) === stored.throughId)
      ? stored
      : null
  let entries = close?.entries ?? 0
  let lastId = close?.throughId ?? null
  let lastRid = close?.throughRid ?? 0
  let tb = trialBalance([], close?.accounts)
  for (;;) {
    let n = 0
    tb = trialBalance(
      (function* () {
        for (const { rid, doc } of store.scanAfter<JournalEntry>(COLLECTIONS.journal, lastRid, chunk)) {
          n++
          lastRid = rid
          lastId = doc.id
          yield doc.data
        }
      })(),
      openingOf(tb),
    )
    entries += n
    if (n < chunk) return { tb, entries, lastRid, lastId, from: close }
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
  const stored = (await store.get<BooksClose>(COLLECTIONS.meta, CLOSE_ID))?.data ?? null
  const { tb, entries, from } = await since(store, stored)
  return {
    tb,
    entries,
    closedThrough: from ? { entries: from.entries, at: new Date(from.closedAt).toISOString() } : null,
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
  chunk = CLOSE_CHUNK,
): Promise<{ ok: true; close: BooksClose; added: number } | { ok: false; code: 'UNBALANCED' | 'CONFLICT' }> {
  const current = await store.get<BooksClose>(COLLECTIONS.meta, CLOSE_ID)
  const { tb, entries, lastRid, lastId } = await since(store, current?.data ?? null, chunk)
  if (!tb.balanced) return { ok: false, code: 'UNBALANCED' }
  const close: BooksClose = { throughRid: lastRid, throughId: lastId, entries, accounts: openingOf(tb), closedAt: now }
  const added = entries - (current?.data.entries ?? 0)
  if (current && added === 0 && current.data.throughRid === lastRid) return { ok: true, close: current.data, added: 0 }
  const written = current
    ? await store.update(COLLECTIONS.meta, CLOSE_ID, current.version, close)
    : await store.insert(COLLECTIONS.meta, CLOSE_ID, close)
  return written.ok ? { ok: true, close, added } : { ok: false, code: 'CONFLICT' }
}
