// 账务 and 提醒 for the console: the trial balance over every journal entry, one account's postings
// in a period, and the reminders' delivery figures — read through the Store's indexes, so the same
// code answers on SQLite and in WeChat Cloud.
import { fail, ok, type ApiResult } from '../../../src/api'
import type { AccountView, ConsoleInput, ReminderStats, TrialBalanceView } from '../../../src/api/console'
import {
  ACCOUNT_IDS,
  ACCOUNTS,
  trialBalance as addUp,
  type AccountId,
  type JournalEntry,
} from '../../../src/domain/journal'
import type { Doc, Ports } from '../../ports'
import { COLLECTIONS } from '../../schema'
import type { ReminderClaim } from '../reminders'
import type { OperatorCaller } from './operators'

const ENTRY_TYPES: JournalEntry['type'][] = [
  'PAYOUT_CONFIRMED',
  'REPAYMENT_RECEIVED',
  'COOLING_OFF_RETURN',
  'PAYMENT_UNAPPLIED',
  'REFUND_SENT',
]
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
async function* ranged<T>(
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

async function entriesBetween(ports: Ports, from: number, to: number): Promise<JournalEntry[]> {
  const all: JournalEntry[] = []
  for (const type of ENTRY_TYPES)
    for await (const d of ranged<JournalEntry>(ports, COLLECTIONS.journal, 'byType', type, from, to, (e) => e.at, {
      index: 'byTypeId',
      keyOf: (e) => e.id,
    }))
      all.push(d.data)
  return all
}

export async function trialBalance(ports: Ports): Promise<ApiResult<TrialBalanceView>> {
  const entries = await entriesBetween(ports, 0, Number.MAX_SAFE_INTEGER)
  const tb = addUp(entries)
  return ok({
    accounts: ACCOUNT_IDS.map((a) => ({ account: a, name: ACCOUNTS[a].name, ...tb.accounts[a] })),
    debitFen: tb.debitsFen,
    creditFen: tb.creditsFen,
    balanced: tb.balanced,
    entries: entries.length,
  })
}

const isAccount = (a: string): a is AccountId => (ACCOUNT_IDS as string[]).includes(a)

export async function account(
  ports: Ports,
  _caller: OperatorCaller,
  input: ConsoleInput<'books.account'>,
): Promise<ApiResult<AccountView>> {
  if (!isAccount(input.account))
    return fail('INVALID_INPUT', { field: 'account', message: `没有这个科目：可选 ${ACCOUNT_IDS.join('、')}。` })
  if (input.to <= input.from) return fail('INVALID_DATE', { field: 'to', message: 'to 须晚于 from。' })
  const entries = await entriesBetween(ports, input.from, input.to)
  const postings = entries
    .flatMap((e) =>
      e.postings
        .filter((p) => p.account === input.account)
        .map((p) => ({
          entryId: e.id,
          type: e.type,
          loanId: e.loanId,
          at: e.at,
          side: p.side,
          amountFen: p.amountFen,
        })),
    )
    .sort((a, b) => a.at - b.at || a.entryId.localeCompare(b.entryId))
  const sum = (side: 'debit' | 'credit') => postings.filter((p) => p.side === side).reduce((s, p) => s + p.amountFen, 0)
  return ok({
    account: input.account,
    postings: postings.slice(0, 2000),
    debitFen: sum('debit'),
    creditFen: sum('credit'),
  })
}

export async function reminderStats(
  ports: Ports,
  _caller: OperatorCaller,
  input: ConsoleInput<'reminders.stats'>,
): Promise<ApiResult<ReminderStats>> {
  if (input.to <= input.from) return fail('INVALID_DATE', { field: 'to', message: 'to 须晚于 from。' })
  const byState: Record<string, number> = {}
  const byKind: Record<string, number> = {}
  let total = 0
  for (const state of ['claimed', 'sent', 'inbox'] as const)
    for await (const d of ranged<ReminderClaim>(
      ports,
      COLLECTIONS.reminders,
      'byState',
      state,
      input.from,
      input.to,
      (r) => r.claimedAt,
      { index: 'byStateLoan', keyOf: (r) => r.loanId },
    )) {
      byState[state] = (byState[state] ?? 0) + 1
      byKind[d.data.kind] = (byKind[d.data.kind] ?? 0) + 1
      total++
    }
  return ok({ byState, byKind, total })
}
