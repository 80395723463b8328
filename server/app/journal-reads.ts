// Reading the books and other dated collections through the Store's indexes, page by page, so the
// same code answers on SQLite and in WeChat Cloud: every entry in a period, the entries of one
// money event, and any index's documents in a time range without skipping one moment's ties.
import { ENTRY_TYPES, type JournalEntry } from '../../src/domain/journal'
import type { Doc, Ports } from '../ports'
import { COLLECTIONS } from '../schema'

const PAGE = 1000

/** How to read one moment's documents when more than a page of them share it: a second index, on a finer field. */
interface TieIndex<T> {
  index: string
  keyOf: (d: T) => string
}

/**
 * Every document of one index value with `range` in [from, to), page by page by time. Documents
 * at the moment a page ends on are read again from it (each once); a whole page at one moment —
 * a reminder run claims many at the same `now` — is read through `tie`, the same value's index on
 * a finer field, so nothing at that moment is skipped (the Store pages by one field).
 */
export async function* ranged<T>(
  ports: Ports,
  collection: string,
  index: string,
  eq: string | number,
  from: number,
  to: number,
  timeOf: (d: T) => number,
  tie: TieIndex<T>,
): AsyncGenerator<Doc<T>> {
  let seen = new Set<string>()
  let gte = from
  for (;;) {
    const page = await ports.store.query<T>(collection, { index, eq, gte, lt: to, limit: PAGE })
    for (const d of page) if (!seen.has(d.id)) yield d
    if (page.length < PAGE) return
    const last = timeOf(page[page.length - 1].data)
    if (last === gte) {
      // A whole page at one moment: the rest of that moment through the finer index.
      for (const d of page) seen.add(d.id)
      yield* atMoment(ports, collection, eq, last, timeOf, tie, seen)
      seen = new Set()
      gte = last + 1
    } else {
      seen = new Set(page.filter((d) => timeOf(d.data) === last).map((d) => d.id))
      gte = last
    }
  }
}

/** The documents at moment `at` not yet seen, through the tie index (its key ordered, ties on the key kept with `seen`). */
async function* atMoment<T>(
  ports: Ports,
  collection: string,
  eq: string | number,
  at: number,
  timeOf: (d: T) => number,
  tie: TieIndex<T>,
  seen: Set<string>,
): AsyncGenerator<Doc<T>> {
  let key = ''
  const atKey = new Set<string>()
  for (;;) {
    const page = await ports.store.query<T>(collection, { index: tie.index, eq, gte: key, limit: PAGE })
    for (const d of page) {
      if (atKey.has(d.id)) continue
      if (timeOf(d.data) === at && !seen.has(d.id)) {
        seen.add(d.id)
        yield d
      }
    }
    if (page.length < PAGE) return
    const last = tie.keyOf(page[page.length - 1].data)
    if (last === key) throw new Error(`more than ${PAGE} documents share ${tie.index} ${key}`)
    atKey.clear()
    for (const d of page) if (tie.keyOf(d.data) === last) atKey.add(d.id)
    key = last
  }
}

/** Every journal entry booked in [from, to) (of the given types: all unless said). */
export async function entriesBetween(
  ports: Ports,
  from: number,
  to: number,
  types: readonly JournalEntry['type'][] = ENTRY_TYPES,
): Promise<JournalEntry[]> {
  const all: JournalEntry[] = []
  for (const type of types)
    for await (const d of ranged<JournalEntry>(ports, COLLECTIONS.journal, 'byType', type, from, to, (e) => e.at, {
      index: 'byTypeId',
      keyOf: (e) => e.id,
    }))
      all.push(d.data)
  return all
}

/** The entries of one money event and those named after it (`<id>`, `<id>:owed<n>`, `<id>R<n>`), of the given types. */
export async function entriesOfEvent(
  ports: Ports,
  id: string,
  types: readonly JournalEntry['type'][] = ENTRY_TYPES,
): Promise<JournalEntry[]> {
  const all: JournalEntry[] = []
  for (const type of types) {
    let gte = id
    for (;;) {
      const page = await ports.store.query<JournalEntry>(COLLECTIONS.journal, {
        index: 'byTypeId',
        eq: type,
        gte,
        lt: `${id}\uffff`,
        limit: PAGE,
      })
      for (const d of page) if (d.data.id !== gte || gte === id) all.push(d.data)
      if (page.length < PAGE) break
      gte = page[page.length - 1].data.id
    }
  }
  return all
}
