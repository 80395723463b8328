// Reconciliation (对账) of one China calendar day: each money channel's statement — WeChat Pay's
// bill, the lender gateway's debit file, through their ports — against the journal, payment by
// payment. The statement lists what moved that day (an order paid, a debit taken, a refund
// sent); the books are read the same way: money in through the channel's clearing account is the
// matter of the day the provider took it (a callback that arrived after midnight still counts for
// the day it was paid), money sent back the matter of the day it was booked. Listed, never fixed:
// an operator decides what a difference means. Used by `kaitong reconcile` and the console's 账务.
import { chinaDateString, chinaDay } from '../../src/domain/china-time'
import { TYPES_POSTING_TO, type AccountId, type JournalEntry } from '../../src/domain/journal'
import {
  reconcile,
  type BookedPayment,
  type Difference,
  type Reconciliation,
  type StatementLine,
} from '../../src/domain/reconcile'
import { entriesBetween, entriesOfEvent } from './journal-reads'
import type { PaymentDoc } from './payments'
import { StatementUnavailable, type Ports } from '../ports'
import { COLLECTIONS } from '../schema'

export type ReconciledChannel = 'wechatPay' | 'cardDebit'

export interface ChannelReconciliation extends Reconciliation {
  channel: ReconciledChannel
  statementLines: number
}

export interface DayReconciliation {
  date: string
  /** False for today (China time): the day's statements are not complete yet. */
  dayClosed: boolean
  /** Nothing missing on either side and nothing differing, on every channel. */
  clean: boolean
  channels: ChannelReconciliation[]
}

/** Each channel: its clearing account, its statement, and the payment an entry belongs to — `<id>` (repayment, cooling-off return), `<id>:owed<n>`, `<id>R<n>` (refund). */
const CHANNELS: Array<{
  channel: ReconciledChannel
  clearing: AccountId
  paymentOf: RegExp
  statement: (ports: Ports, date: string) => Promise<StatementLine[]>
  /** When the provider took the money and how much, or null if it has no such payment (or took none). */
  takenBy: (ports: Ports, id: string) => Promise<{ at: number; amountFen: number } | null>
  /** The amount the payment was asked for, where the channel keeps a payment record (WeChat Pay orders). */
  orderedFen: (ports: Ports, id: string) => Promise<number | null>
}> = [
  {
    channel: 'wechatPay',
    clearing: 'wechatPayClearing',
    paymentOf: /^(pay_[0-9A-Za-z]+?)(?::owed\d+|R\d+)?$/,
    statement: (ports, date) => ports.payments.statement(date),
    takenBy: async (ports, id) => {
      const q = await ports.payments.query(id)
      return q.found && q.paidAt !== null ? { at: q.paidAt, amountFen: q.amountFen } : null
    },
    orderedFen: async (ports, id) =>
      (await ports.store.get<PaymentDoc>(COLLECTIONS.payments, id))?.data.payment.amountFen ?? null,
  },
  {
    channel: 'cardDebit',
    clearing: 'cardDebitClearing',
    paymentOf: /^(ad_[0-9a-f]+?)(?::owed\d+|R\d+)?$/,
    statement: (ports, date) => ports.cardDebits.statement(date),
    takenBy: async (ports, id) => {
      const q = await ports.cardDebits.query(id)
      return q.found && q.state === 'SUCCESS' && q.at !== null ? { at: q.at, amountFen: q.amountFen } : null
    },
    // A debit is asked for the amount due; no order stands beside it.
    orderedFen: async () => null,
  },
]

/**
 * Every channel's statement for the day against the books. `date` must be a valid day (chinaDay)
 * that has begun. Throws StatementUnavailable when a provider has no statement for it (yet).
 */
export async function reconcileDay(ports: Ports, date: string): Promise<DayReconciliation> {
  const day = chinaDay(date)
  if (!day) throw new Error(`not a calendar day: ${date}`)
  // The day's entries that touch a channel's clearing account (never a payout's), read once for every channel.
  const types = [...new Set(CHANNELS.flatMap((c) => TYPES_POSTING_TO[c.clearing]))]
  const booked = await entriesBetween(ports, day.from, day.to, types)
  const channels: ChannelReconciliation[] = []
  for (const c of CHANNELS) channels.push(await reconcileChannel(ports, c, date, day, booked))
  const clean = channels.every(
    (r) => r.missingInBooks.length === 0 && r.missingAtProvider.length === 0 && r.differing.length === 0,
  )
  return { date, dayClosed: ports.clock.now() >= day.to, clean, channels }
}

async function reconcileChannel(
  ports: Ports,
  c: (typeof CHANNELS)[number],
  date: string,
  day: { from: number; to: number },
  booked: JournalEntry[],
): Promise<ChannelReconciliation> {
  const statementOf = async (d: string) => {
    try {
      return await c.statement(ports, d)
    } catch (error) {
      // No statement, no reconciliation: said as such, never read as an empty day.
      if (error instanceof StatementUnavailable) throw error
      throw new StatementUnavailable(`${c.channel} ${d}: ${error instanceof Error ? error.message : String(error)}`)
    }
  }
  const statement = await statementOf(date)
  const taken = new Map(statement.filter((l) => l.receivedFen > 0).map((l) => [l.outTradeNo, l.receivedFen]))
  const sums = new Map<string, { inFen: number; outFen: number }>()
  const sumOf = (id: string) => {
    const s = sums.get(id) ?? { inFen: 0, outFen: 0 }
    sums.set(id, s)
    return s
  }
  const moved = (e: JournalEntry, side: 'debit' | 'credit') =>
    e.postings.reduce((n, p) => (p.account === c.clearing && p.side === side ? n + p.amountFen : n), 0)
  /** Money in through the channel for a payment, every entry of it whenever booked. */
  const allIn = async (id: string) =>
    (await entriesOfEvent(ports, id, TYPES_POSTING_TO[c.clearing]))
      .filter((e) => c.paymentOf.exec(e.id)?.[1] === id)
      .reduce((n, e) => n + moved(e, 'debit'), 0)
  const providerOf = new Map<string, { at: number; amountFen: number } | null>()
  const elsewhere = new Set<string>()
  // Today's entries: money sent back is today's; money in is today's unless the provider took it another day.
  for (const e of booked) {
    const id = c.paymentOf.exec(e.id)?.[1]
    if (!id) continue
    const s = sumOf(id)
    s.outFen += moved(e, 'credit')
    const inFen = moved(e, 'debit')
    if (inFen === 0) continue
    if (!taken.has(id)) {
      if (!providerOf.has(id)) providerOf.set(id, await c.takenBy(ports, id))
      const t = providerOf.get(id)!
      // Taken on another day: that day's matter (checked below). Never taken (or unknown to the provider): listed here.
      if (t !== null && (t.at < day.from || t.at >= day.to)) {
        elsewhere.add(id)
        continue
      }
    }
    s.inFen += inFen
  }
  // Taken today and not all booked today (a callback after midnight): every entry of it, whenever booked.
  for (const [id, fen] of taken) if (sumOf(id).inFen !== fen) sumOf(id).inFen = await allIn(id)
  // Booked today for money taken on another day: listed here if that day's statement does not have
  // it, or if its books, all told, are not what was taken.
  const late: Difference[] = []
  const lateMissing: BookedPayment[] = []
  const otherDays = new Map<string, Set<string>>()
  for (const id of elsewhere) {
    const t = providerOf.get(id)!
    const booksFen = await allIn(id)
    const d = chinaDateString(t.at)
    if (!otherDays.has(d))
      otherDays.set(d, new Set((await statementOf(d)).filter((l) => l.receivedFen > 0).map((l) => l.outTradeNo)))
    if (!otherDays.get(d)!.has(id)) lateMissing.push({ paymentId: id, inFen: booksFen, outFen: 0, orderedFen: null })
    else if (booksFen !== t.amountFen)
      late.push({ paymentId: id, kind: 'RECEIVED_DIFFERS', providerFen: t.amountFen, booksFen })
  }
  const books: BookedPayment[] = []
  for (const [paymentId, s] of sums) books.push({ paymentId, ...s, orderedFen: await c.orderedFen(ports, paymentId) })
  const r = reconcile(statement, books)
  return {
    channel: c.channel,
    statementLines: statement.length,
    ...r,
    missingAtProvider: [...r.missingAtProvider, ...lateMissing],
    differing: [...r.differing, ...late],
  }
}
