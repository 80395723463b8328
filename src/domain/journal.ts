// The books as a pure model: the chart of accounts (PRODUCT.md §11), the journal entry each money
// event posts, and what a set of entries adds up to. Double entry in integer fen: every entry's
// debits equal its credits, entries are never changed (a correction is a reversing entry), and an
// entry is named by the money event it records, so recording the same event again adds nothing.
//
// Cash basis, as Apache Fineract's CASH_BASED loan accounting: a payout moves principal from the
// payout clearing account into principal receivable; a repayment brings money into its channel's
// clearing account and takes principal off the receivable, interest, fees and overdue charges
// into income as they are paid. The receivable accounts for interest, fees and penalties are in
// the chart for accrual accounting (Fineract's ACCRUAL_PERIODIC), which posts them day by day.
import { chinaDateString } from './china-time'
import type { Fen } from './money'

export type AccountKind = 'asset' | 'liability' | 'income'

export const ACCOUNTS = {
  principalReceivable: { name: 'Assets:Loans:Principal receivable', kind: 'asset' },
  interestReceivable: { name: 'Assets:Loans:Interest receivable', kind: 'asset' },
  feeReceivable: { name: 'Assets:Loans:Fee receivable', kind: 'asset' },
  penaltyReceivable: { name: 'Assets:Loans:Penalty receivable', kind: 'asset' },
  payoutClearing: { name: 'Assets:Clearing:Payouts', kind: 'asset' },
  wechatPayClearing: { name: 'Assets:Clearing:WeChat Pay', kind: 'asset' },
  cardDebitClearing: { name: 'Assets:Clearing:Card debits', kind: 'asset' },
  refundsPayable: { name: 'Liabilities:Refunds payable', kind: 'liability' },
  interestIncome: { name: 'Income:Interest', kind: 'income' },
  feeIncome: { name: 'Income:Fees', kind: 'income' },
  penaltyIncome: { name: 'Income:Penalties', kind: 'income' },
} as const satisfies Record<string, { name: string; kind: AccountKind }>

export type AccountId = keyof typeof ACCOUNTS

export const ACCOUNT_IDS = Object.keys(ACCOUNTS) as AccountId[]

/** One side of an entry: an account and a positive amount, debit or credit. */
export interface Posting {
  account: AccountId
  side: 'debit' | 'credit'
  amountFen: Fen
}

/** Where money from a borrower arrived. */
export type Channel = 'wechatPay' | 'cardDebit'

/** What a repayment paid, by kind (the loan's own allocation). */
export interface Paid {
  principalFen: Fen
  interestFen: Fen
  feeFen: Fen
  overdueFen: Fen
}

/** A money event: money went out to a borrower or came in from one. Its id names it once and for all. */
export type MoneyEvent =
  | { type: 'PAYOUT_CONFIRMED'; id: string; loanId: string; at: number; amountFen: Fen }
  | { type: 'REPAYMENT_RECEIVED'; id: string; loanId: string; at: number; channel: Channel; paid: Paid }
  /** The 24-hour cooling-off cancel: the principal back, no interest, no fee. */
  | { type: 'COOLING_OFF_RETURN'; id: string; loanId: string; at: number; channel: Channel; amountFen: Fen }
  /** Money received that the loan cannot take (more than settles it, or the loan closed): owed back. */
  | { type: 'PAYMENT_UNAPPLIED'; id: string; loanId: string; at: number; channel: Channel; amountFen: Fen }
  /** Money owed back, sent back through the channel it came by. */
  | { type: 'REFUND_SENT'; id: string; loanId: string; at: number; channel: Channel; amountFen: Fen }

export interface JournalEntry {
  /** The money event's id. */
  id: string
  type: MoneyEvent['type']
  loanId: string
  at: number
  postings: Posting[]
}

const CLEARING: Record<Channel, AccountId> = { wechatPay: 'wechatPayClearing', cardDebit: 'cardDebitClearing' }

const debit = (account: AccountId, amountFen: Fen): Posting => ({ account, side: 'debit', amountFen })
const credit = (account: AccountId, amountFen: Fen): Posting => ({ account, side: 'credit', amountFen })

/** The entry a money event posts; postings of zero are left out. */
export function entryFor(event: MoneyEvent): JournalEntry {
  let postings: Posting[]
  switch (event.type) {
    case 'PAYOUT_CONFIRMED':
      postings = [debit('principalReceivable', event.amountFen), credit('payoutClearing', event.amountFen)]
      break
    case 'COOLING_OFF_RETURN':
      postings = [debit(CLEARING[event.channel], event.amountFen), credit('principalReceivable', event.amountFen)]
      break
    case 'PAYMENT_UNAPPLIED':
      postings = [debit(CLEARING[event.channel], event.amountFen), credit('refundsPayable', event.amountFen)]
      break
    case 'REFUND_SENT':
      postings = [debit('refundsPayable', event.amountFen), credit(CLEARING[event.channel], event.amountFen)]
      break
    case 'REPAYMENT_RECEIVED': {
      const p = event.paid
      const total = p.principalFen + p.interestFen + p.feeFen + p.overdueFen
      postings = [
        debit(CLEARING[event.channel], total),
        credit('principalReceivable', p.principalFen),
        credit('interestIncome', p.interestFen),
        credit('feeIncome', p.feeFen),
        credit('penaltyIncome', p.overdueFen),
      ]
      break
    }
  }
  return {
    id: event.id,
    type: event.type,
    loanId: event.loanId,
    at: event.at,
    postings: postings.filter((x) => x.amountFen !== 0),
  }
}

/** One event of each type and channel, every amount non-zero: what each type can post to. */
const SAMPLE_EVENTS: MoneyEvent[] = (['wechatPay', 'cardDebit'] as const).flatMap((channel): MoneyEvent[] => [
  { type: 'PAYOUT_CONFIRMED', id: 's', loanId: 'l', at: 0, amountFen: 1 },
  {
    type: 'REPAYMENT_RECEIVED',
    id: 's',
    loanId: 'l',
    at: 0,
    channel,
    paid: { principalFen: 1, interestFen: 1, feeFen: 1, overdueFen: 1 },
  },
  { type: 'COOLING_OFF_RETURN', id: 's', loanId: 'l', at: 0, channel, amountFen: 1 },
  { type: 'PAYMENT_UNAPPLIED', id: 's', loanId: 'l', at: 0, channel, amountFen: 1 },
  { type: 'REFUND_SENT', id: 's', loanId: 'l', at: 0, channel, amountFen: 1 },
])

/** The entry types that can post to each account (derived from entryFor itself): an account's postings are read from these alone. */
export const TYPES_POSTING_TO: Record<AccountId, MoneyEvent['type'][]> = Object.fromEntries(
  ACCOUNT_IDS.map((a) => [
    a,
    [...new Set(SAMPLE_EVENTS.filter((e) => entryFor(e).postings.some((p) => p.account === a)).map((e) => e.type))],
  ]),
) as Record<AccountId, MoneyEvent['type'][]>

/** A reversing entry: the same postings on the other side, named by the correction. */
export function reversal(entry: JournalEntry, id: string, at: number): JournalEntry {
  return {
    ...entry,
    id,
    at,
    postings: entry.postings.map((p) => ({ ...p, side: p.side === 'debit' ? 'credit' : 'debit' })),
  }
}

/** Debits equal credits, every amount a positive whole number of fen. */
export function isBalanced(entry: Pick<JournalEntry, 'postings'>): boolean {
  let sum = 0
  for (const p of entry.postings) {
    if (!Number.isSafeInteger(p.amountFen) || p.amountFen <= 0) return false
    sum += p.side === 'debit' ? p.amountFen : -p.amountFen
  }
  return sum === 0 && entry.postings.length >= 2
}

export interface AccountTotals {
  debitFen: Fen
  creditFen: Fen
  /** In the account's own direction: debit minus credit for an asset, credit minus debit otherwise. */
  balanceFen: Fen
}

export interface TrialBalance {
  debitsFen: Fen
  creditsFen: Fen
  balanced: boolean
  accounts: Record<AccountId, AccountTotals>
}

/** What a closed period adds up to, per account: where the next trial balance starts. */
export type Opening = Record<AccountId, { debitFen: Fen; creditFen: Fen }>

/**
 * Every account's debits, credits and balance over `entries`, and whether they agree — from an
 * opening (a close of the books: what every entry before it added up to) when one is given.
 */
export function trialBalance(entries: Iterable<Pick<JournalEntry, 'postings'>>, opening?: Opening): TrialBalance {
  const accounts = Object.fromEntries(
    ACCOUNT_IDS.map((a) => [
      a,
      { debitFen: opening?.[a]?.debitFen ?? 0, creditFen: opening?.[a]?.creditFen ?? 0, balanceFen: 0 },
    ]),
  ) as Record<AccountId, AccountTotals>
  let debitsFen = ACCOUNT_IDS.reduce((s, a) => s + accounts[a].debitFen, 0)
  let creditsFen = ACCOUNT_IDS.reduce((s, a) => s + accounts[a].creditFen, 0)
  for (const e of entries)
    for (const p of e.postings) {
      const t = accounts[p.account]
      if (p.side === 'debit') {
        t.debitFen += p.amountFen
        debitsFen += p.amountFen
      } else {
        t.creditFen += p.amountFen
        creditsFen += p.amountFen
      }
    }
  for (const a of ACCOUNT_IDS) {
    const t = accounts[a]
    t.balanceFen = ACCOUNTS[a].kind === 'asset' ? t.debitFen - t.creditFen : t.creditFen - t.debitFen
  }
  return { debitsFen, creditsFen, balanced: debitsFen === creditsFen, accounts }
}

const TITLES: Record<MoneyEvent['type'], string> = {
  PAYOUT_CONFIRMED: 'Payout',
  REPAYMENT_RECEIVED: 'Repayment',
  COOLING_OFF_RETURN: 'Cooling-off return',
  PAYMENT_UNAPPLIED: 'Payment owed back',
  REFUND_SENT: 'Refund',
}

/** Every kind of journal entry. */
export const ENTRY_TYPES = Object.keys(TITLES) as MoneyEvent['type'][]

/** Fen as Ledger's decimal yuan: 12345 → "123.45", -5 → "-0.05". */
function yuan(fen: Fen): string {
  const sign = fen < 0 ? '-' : ''
  const abs = Math.abs(fen)
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`
}

/**
 * The journal in Ledger's plain-text format (hledger reads it): one transaction per entry, dated
 * in China time, the event id and loan as tags, debits positive and credits negative in CNY.
 */
export function toLedger(entries: Iterable<JournalEntry>): string {
  const out: string[] = [
    '; Kaitong journal — amounts in CNY, dates in China time (UTC+8)',
    'commodity 1,000.00 CNY',
    '',
  ]
  for (const a of ACCOUNT_IDS) out.push(`account ${ACCOUNTS[a].name}`)
  out.push('')
  for (const e of entries) {
    out.push(`${chinaDateString(e.at)} * ${TITLES[e.type]} ${e.loanId}  ; event:${e.id}, loan:${e.loanId}`)
    for (const p of e.postings)
      out.push(`    ${ACCOUNTS[p.account].name}  ${yuan(p.side === 'debit' ? p.amountFen : -p.amountFen)} CNY`)
    out.push('')
  }
  return out.join('\n')
}
