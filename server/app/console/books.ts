// 账务 and 提醒 for the console: the trial balance over every journal entry, one account's postings
// in a period, and the reminders' delivery figures — read through the Store's indexes, so the same
// code answers on SQLite and in WeChat Cloud.
import { fail, ok, type ApiResult } from '../../../src/api'
import type {
  AccountView,
  ConsoleInput,
  ReconciliationView,
  ReminderStats,
  TrialBalanceView,
} from '../../../src/api/console'
import {
  ACCOUNT_IDS,
  ACCOUNTS,
  trialBalance as addUp,
  TYPES_POSTING_TO,
  type AccountId,
} from '../../../src/domain/journal'
import { StatementUnavailable, type Ports } from '../../ports'
import { COLLECTIONS } from '../../schema'
import { entriesBetween, ranged } from '../journal-reads'
import { chinaDay } from '../../../src/domain/china-time'
import { reconcileDay } from '../reconciliation'
import type { ReminderClaim } from '../reminders'
import type { OperatorCaller } from './operators'

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
  // Only the kinds of entry that can post to the account are read.
  const entries = await entriesBetween(ports, input.from, input.to, TYPES_POSTING_TO[input.account])
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

export async function reconciliation(
  ports: Ports,
  _caller: OperatorCaller,
  input: ConsoleInput<'books.reconciliation'>,
): Promise<ApiResult<ReconciliationView>> {
  const day = chinaDay(input.date)
  if (!day) return fail('INVALID_DATE', { field: 'date', message: `${input.date} 不是一个日期：请写 YYYY-MM-DD。` })
  if (day.from > ports.clock.now())
    return fail('INVALID_DATE', { field: 'date', message: `${input.date} 还没到：只能对已经开始的日子对账。` })
  try {
    return ok(await reconcileDay(ports, input.date))
  } catch (error) {
    if (error instanceof StatementUnavailable) {
      ports.log.warn('statement_unavailable', { date: input.date, error: error.message })
      return fail('STATEMENT_UNAVAILABLE', { field: 'date' })
    }
    throw error
  }
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
