// `kaitong reconcile --date YYYY-MM-DD`: WeChat Pay's statement for a China calendar day against
// the journal, payment by payment: matched, missing on either side, differing — printed, exit 1
// when anything does not match. Locally the statement is what the simulated WeChat Pay recorded
// (its orders, in the same database file); in production it is WeChat Pay's bill for the day.
import { chinaDateString } from '../../src/domain/china-time'
import type { JournalEntry } from '../../src/domain/journal'
import { reconcile, type BookedPayment, type StatementLine } from '../../src/domain/reconcile'
import type { PaymentDoc } from '../../server/app/payments'
import { SIM_PAYMENTS, type SimOrder } from '../../server/local/adapters/sim-payments'
import type { SqliteStore } from '../../server/local/adapters/sqlite-store'
import { COLLECTIONS } from '../../server/schema'
import { parseFlags } from './args'
import type { CliResult } from './quote'

export const RECONCILE_USAGE =
  'kaitong reconcile --date YYYY-MM-DD   ($KAITONG_DB: the simulated WeChat Pay statement against the journal)'

/** The payment an entry belongs to: `<id>` (repayment, cooling-off return), `<id>:owed<n>`, `<id>R<n>` (refund). */
const PAYMENT_OF = /^(pay_[0-9A-Za-z]+?)(?::owed\d+|R\d+)?$/

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
  const statement: StatementLine[] = []
  /** The day each paid order is on the provider's statement (a payment is reconciled on its own day). */
  const providerDay = new Map<string, string>()
  for (const d of store.scan<SimOrder>(SIM_PAYMENTS)) {
    const o = d.data
    if (o.paidAt !== null) providerDay.set(o.outTradeNo, chinaDateString(o.paidAt))
    if ((o.state !== 'SUCCESS' && o.state !== 'REFUND') || o.paidAt === null || chinaDateString(o.paidAt) !== date)
      continue
    statement.push({
      outTradeNo: o.outTradeNo,
      transactionId: o.transactionId,
      receivedFen: o.paidFen,
      refundedFen: Object.values(o.refunds).reduce((s, r) => s + r.refundFen, 0),
      paidAt: o.paidAt,
    })
  }
  // The books' side: every WeChat Pay clearing posting, by the payment it belongs to.
  const wanted = new Set(statement.map((l) => l.outTradeNo))
  const sums = new Map<string, { inFen: number; outFen: number }>()
  for (const d of store.scan<JournalEntry>(COLLECTIONS.journal)) {
    const e = d.data
    const m = PAYMENT_OF.exec(e.id)
    if (!m) continue
    const paymentId = m[1]
    // Not on this day's statement: in the books this day and on no other day's statement, or skipped
    // (a refund sent, or an entry posted, the day after the payment is the payment's own day's matter).
    if (!wanted.has(paymentId)) {
      if (chinaDateString(e.at) !== date) continue
      const day = providerDay.get(paymentId)
      if (day !== undefined && day !== date) continue
    }
    const s = sums.get(paymentId) ?? { inFen: 0, outFen: 0 }
    for (const p of e.postings)
      if (p.account === 'wechatPayClearing') {
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
  const r = reconcile(statement, books)
  const clean = r.missingInBooks.length === 0 && r.missingAtProvider.length === 0 && r.differing.length === 0
  return {
    exitCode: clean ? 0 : 1,
    output: { date, statementLines: statement.length, ...r },
  }
}
