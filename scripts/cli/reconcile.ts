// `kaitong reconcile --date YYYY-MM-DD`: each money channel's statement for a China calendar day
// against the journal, payment by payment — WeChat Pay's against its clearing account, the lender
// gateway's card debits against theirs: matched, missing on either side, differing — printed, exit
// 1 when anything does not match. Locally the statements are what the simulators recorded (their
// orders and debits, in the same database file); in production WeChat Pay's bill and the
// gateway's debit file for the day.
import { chinaDateString } from '../../src/domain/china-time'
import type { AccountId, JournalEntry } from '../../src/domain/journal'
import { reconcile, type BookedPayment, type StatementLine } from '../../src/domain/reconcile'
import type { PaymentDoc } from '../../server/app/payments'
import { SIM_CARD_DEBITS, type SimDebit } from '../../server/local/adapters/sim-card-debits'
import { SIM_PAYMENTS, type SimOrder } from '../../server/local/adapters/sim-payments'
import type { SqliteStore } from '../../server/local/adapters/sqlite-store'
import { COLLECTIONS } from '../../server/schema'
import { parseFlags } from './args'
import type { CliResult } from './quote'

export const RECONCILE_USAGE =
  'kaitong reconcile --date YYYY-MM-DD   ($KAITONG_DB: the simulated WeChat Pay and card-debit statements against the journal)'

/** The payment an entry belongs to: `<id>` (repayment, cooling-off return), `<id>:owed<n>`, `<id>R<n>` (refund). */
const PAYMENT_OF = /^(pay_[0-9A-Za-z]+?)(?::owed\d+|R\d+)?$/
const DEBIT_OF = /^(ad_[0-9a-f]+?)(?::owed\d+|R\d+)?$/

export async function reconcileCommand(argv: string[], open: () => { store: SqliteStore }): Promise<CliResult> {
  const flags = parseFlags(argv, ['date'])
  const usage = (message: string): CliResult => ({
    exitCode: 1,
    output: { error: { code: 'USAGE', message: `${message}\nusage: ${RECONCILE_USAGE}` } },
  })
  if (!flags.ok) return usage(flags.message)
  const date = flags.flags.date
  if (!date || !/^\d{4}-\d{2}-\d{2}$/.test(date) || Number.isNaN(Date.parse(`${date}T00:00:00+08:00`)))
    return usage('--date YYYY-MM-DD (a China calendar day)')
  const { store } = open()
  try {
    return await run(store, date)
  } finally {
    store.close()
  }
}

async function run(store: SqliteStore, date: string): Promise<CliResult> {
  // The journal read once, for both channels.
  const journal = [...store.scan<JournalEntry>(COLLECTIONS.journal)].map((d) => d.data)
  const wechatPay = await reconcileChannel(
    store,
    journal,
    date,
    wechatPayStatement(store),
    'wechatPayClearing',
    PAYMENT_OF,
  )
  const cardDebits = await reconcileChannel(
    store,
    journal,
    date,
    cardDebitStatement(store),
    'cardDebitClearing',
    DEBIT_OF,
  )
  const clean = [wechatPay, cardDebits].every(
    (r) => r.missingInBooks.length === 0 && r.missingAtProvider.length === 0 && r.differing.length === 0,
  )
  return { exitCode: clean ? 0 : 1, output: { date, ...wechatPay, cardDebits } }
}

/** A provider's statement: its lines of the day, and the day each of its payments is on it. */
interface Statement {
  lines: (date: string) => StatementLine[]
  dayOf: Map<string, string>
}

/** WeChat Pay's orders paid (and maybe refunded since), by the day they were paid. */
function wechatPayStatement(store: SqliteStore): Statement {
  const orders = [...store.scan<SimOrder>(SIM_PAYMENTS)].map((d) => d.data)
  const dayOf = new Map<string, string>()
  for (const o of orders) if (o.paidAt !== null) dayOf.set(o.outTradeNo, chinaDateString(o.paidAt))
  return {
    dayOf,
    lines: (date) =>
      orders
        .filter(
          (o) =>
            (o.state === 'SUCCESS' || o.state === 'REFUND') && o.paidAt !== null && dayOf.get(o.outTradeNo) === date,
        )
        .map((o) => ({
          outTradeNo: o.outTradeNo,
          transactionId: o.transactionId,
          receivedFen: o.paidFen,
          refundedFen: Object.values(o.refunds).reduce((s, r) => s + r.refundFen, 0),
          paidAt: o.paidAt!,
        })),
  }
}

/** The gateway's card debits taken (and maybe sent back since), by the day they were taken. */
function cardDebitStatement(store: SqliteStore): Statement {
  const debits = [...store.scan<SimDebit>(SIM_CARD_DEBITS)].map((d) => d.data)
  const dayOf = new Map<string, string>()
  for (const d of debits) if (d.state === 'SUCCESS' && d.at !== null) dayOf.set(d.debitId, chinaDateString(d.at))
  return {
    dayOf,
    lines: (date) =>
      debits
        .filter((d) => dayOf.get(d.debitId) === date)
        .map((d) => ({
          outTradeNo: d.debitId,
          transactionId: d.reference,
          receivedFen: d.amountFen,
          refundedFen: Object.values(d.refunds).reduce((s, n) => s + n, 0),
          paidAt: d.at!,
        })),
  }
}

/** One channel's statement for the day against its clearing account's postings, payment by payment. */
async function reconcileChannel(
  store: SqliteStore,
  journal: JournalEntry[],
  date: string,
  provider: Statement,
  clearing: AccountId,
  paymentOf: RegExp,
) {
  const statement = provider.lines(date)
  const wanted = new Set(statement.map((l) => l.outTradeNo))
  const sums = new Map<string, { inFen: number; outFen: number }>()
  for (const e of journal) {
    const m = paymentOf.exec(e.id)
    if (!m) continue
    const paymentId = m[1]
    // Not on this day's statement: in the books this day and on no other day's statement, or skipped
    // (a refund sent, or an entry posted, the day after the payment is the payment's own day's matter).
    if (!wanted.has(paymentId)) {
      if (chinaDateString(e.at) !== date) continue
      const day = provider.dayOf.get(paymentId)
      if (day !== undefined && day !== date) continue
    }
    const s = sums.get(paymentId) ?? { inFen: 0, outFen: 0 }
    for (const p of e.postings)
      if (p.account === clearing) {
        if (p.side === 'debit') s.inFen += p.amountFen
        else s.outFen += p.amountFen
      }
    sums.set(paymentId, s)
  }
  const books: BookedPayment[] = []
  for (const [paymentId, s] of sums) {
    const doc = await store.get<PaymentDoc>(COLLECTIONS.payments, paymentId)
    books.push({ paymentId, ...s, orderedFen: doc ? doc.data.payment.amountFen : null })
  }
  return { statementLines: statement.length, ...reconcile(statement, books) }
}
