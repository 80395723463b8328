// Reconciliation (对账): the payment provider's statement for a day against the books, payment by
// payment. Each item is matched, missing on one side, or differs — listed, never fixed: an
// operator decides what a difference means.
import type { Fen } from './money'

/** One order on the provider's statement: what it received and what it refunded. */
export interface StatementLine {
  outTradeNo: string
  transactionId: string | null
  receivedFen: Fen
  refundedFen: Fen
  paidAt: number
}

/** One payment as the books and the payment record have it. */
export interface BookedPayment {
  paymentId: string
  /** Money in through the channel (the clearing account's debits), and money sent back (its credits). */
  inFen: Fen
  outFen: Fen
  /** The amount the order was made for, if the payment record is still there. */
  orderedFen: Fen | null
}

export type Difference =
  | { paymentId: string; kind: 'RECEIVED_DIFFERS'; providerFen: Fen; booksFen: Fen }
  | { paymentId: string; kind: 'REFUNDED_DIFFERS'; providerFen: Fen; booksFen: Fen }
  /** The provider received another amount than the order was for (never applied: refunded). */
  | { paymentId: string; kind: 'NOT_THE_ORDERED_AMOUNT'; providerFen: Fen; orderedFen: Fen }

export interface Reconciliation {
  matched: number
  /** Paid at the provider, nothing in the books. */
  missingInBooks: StatementLine[]
  /** In the books, not on the provider's statement. */
  missingAtProvider: BookedPayment[]
  differing: Difference[]
}

export function reconcile(statement: StatementLine[], books: BookedPayment[]): Reconciliation {
  const booked = new Map(books.map((b) => [b.paymentId, b]))
  const seen = new Set<string>()
  const out: Reconciliation = { matched: 0, missingInBooks: [], missingAtProvider: [], differing: [] }
  for (const line of statement) {
    seen.add(line.outTradeNo)
    const b = booked.get(line.outTradeNo)
    if (!b || (b.inFen === 0 && b.outFen === 0)) {
      out.missingInBooks.push(line)
      continue
    }
    const found: Difference[] = []
    if (b.inFen !== line.receivedFen)
      found.push({ paymentId: b.paymentId, kind: 'RECEIVED_DIFFERS', providerFen: line.receivedFen, booksFen: b.inFen })
    if (b.outFen !== line.refundedFen)
      found.push({
        paymentId: b.paymentId,
        kind: 'REFUNDED_DIFFERS',
        providerFen: line.refundedFen,
        booksFen: b.outFen,
      })
    // Only a line with money in says what was paid: a refund sent on a later day has a line of its own, receiving nothing.
    if (b.orderedFen !== null && line.receivedFen > 0 && b.orderedFen !== line.receivedFen)
      found.push({
        paymentId: b.paymentId,
        kind: 'NOT_THE_ORDERED_AMOUNT',
        providerFen: line.receivedFen,
        orderedFen: b.orderedFen,
      })
    if (found.length === 0) out.matched++
    else out.differing.push(...found)
  }
  for (const b of books) if (!seen.has(b.paymentId) && (b.inFen > 0 || b.outFen > 0)) out.missingAtProvider.push(b)
  return out
}
