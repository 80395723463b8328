// A payment from a borrower (WeChat Pay), as a pure state machine. It is created `pending` with
// the amount fixed; only the provider's confirmation (its callback, checked by an order query)
// makes it `paid`, and only then does the loan change. A payment the loan can no longer take —
// the loan closed, or more than settles it — is refunded, as WeChat Pay refunds: once per refund
// number, retried with the same number until the provider has it.
//
//   pending → paid → (refunded, when all of it went back)
//           ↘ failed   (the provider says the payment failed, or its amount is not the order's)
//           ↘ expired  (not paid in time: the order is closed at the provider first)
import type { Channel } from './journal'
import type { Fen } from './money'
import type { PrepayChoice } from './prepay'

/**
 * What the mini-program needs to pay: the `wx.requestPayment` parameters from WeChat Pay's
 * order, or in the local cloud the simulated payment sheet's reference.
 */
export type PaymentRequest =
  | { provider: 'wechatPay'; timeStamp: string; nonceStr: string; package: string; signType: string; paySign: string }
  | { provider: 'simulated'; paymentId: string }

export type PaymentState = 'pending' | 'paid' | 'failed' | 'expired' | 'refunded'

/** What the money is for: a repayment, or the principal back in the 24-hour cooling-off. */
export type PaymentPurpose = 'repay' | 'coolingOff'

/** How long a payment waits for the borrower to pay: a repayment 30 minutes, a cooling-off return 2 hours. */
export const PAYMENT_TTL_MS: Record<PaymentPurpose, number> = { repay: 30 * 60_000, coolingOff: 2 * 3_600_000 }

/** Why money goes back. */
export type RefundReason = 'EXCESS' | 'LOAN_CLOSED' | 'NOT_APPLICABLE' | 'AMOUNT_MISMATCH'

export interface Refund {
  /** The refund number (out_refund_no): the same on every retry. */
  id: string
  amountFen: Fen
  reason: RefundReason
  state: 'due' | 'sent'
  at: number
}

export interface Payment {
  id: string
  loanId: string
  purpose: PaymentPurpose
  /**
   * How the money comes: the borrower pays through WeChat Pay, or the lender's gateway debits the
   * bound card (自动扣款) — absent on payments from before automatic debit, which were WeChat Pay.
   */
  channel?: Channel
  amountFen: Fen
  /** For a repayment beyond what is due: a shorter plan or smaller installments. */
  prepay: PrepayChoice | null
  state: PaymentState
  createdAt: number
  expiresAt: number
  /** When the provider says it was paid, its transaction id, and what it says was paid. */
  paidAt: number | null
  transactionId: string | null
  receivedFen: Fen
  /** Why it failed, if it did. */
  failure: string | null
  refunds: Refund[]
}

export type PaymentEvent =
  /** The provider confirms the payment (order query: SUCCESS) with the amount it received. */
  | { type: 'CONFIRM'; receivedFen: Fen; transactionId: string; paidAt: number }
  /**
   * The provider says an order we had given up on (expired, or failed before any money) was paid
   * after all: the money is recorded as received, to be refunded — never applied.
   */
  | { type: 'LATE_MONEY'; receivedFen: Fen; transactionId: string; paidAt: number }
  /** The provider says it failed (PAYERROR). */
  | { type: 'FAIL'; reason: string }
  /** Not paid by expiresAt, and the order is closed at the provider. */
  | { type: 'EXPIRE' }
  /** Owed back to the payer (the loan could not take it, or not all of it). */
  | { type: 'REFUND_DUE'; refundId: string; amountFen: Fen; reason: RefundReason; at: number }
  /** The provider accepted the refund. */
  | { type: 'REFUND_SENT'; refundId: string }

export type PaymentResult = { ok: true; payment: Payment } | { ok: false; code: 'INVALID_TRANSITION'; message: string }

const no = (message: string): PaymentResult => ({ ok: false, code: 'INVALID_TRANSITION', message })

/** A card debit is not paid by anyone: it waits for the gateway's answer, and is asked about until then. */
export const DEBIT_TTL_MS = 24 * 3_600_000

export function channelOf(p: Pick<Payment, 'channel'>): Channel {
  return p.channel ?? 'wechatPay'
}

export function newPayment(
  id: string,
  init: Pick<Payment, 'loanId' | 'purpose' | 'amountFen' | 'prepay'> & { channel?: Channel },
  now: number,
): Payment {
  const channel = init.channel ?? 'wechatPay'
  return {
    id,
    ...init,
    channel,
    state: 'pending',
    createdAt: now,
    expiresAt: now + (channel === 'cardDebit' ? DEBIT_TTL_MS : PAYMENT_TTL_MS[init.purpose]),
    paidAt: null,
    transactionId: null,
    receivedFen: 0,
    failure: null,
    refunds: [],
  }
}

/** Whether what the provider received is exactly the order's amount (anything else is never applied). */
export function amountMatches(p: Pick<Payment, 'amountFen'>, receivedFen: Fen): boolean {
  return receivedFen === p.amountFen
}

export function refundedFen(p: Pick<Payment, 'refunds'>): Fen {
  return p.refunds.reduce((s, r) => s + r.amountFen, 0)
}

export function transitionPayment(p: Payment, e: PaymentEvent): PaymentResult {
  switch (e.type) {
    case 'CONFIRM':
      if (p.state !== 'pending') return no(`payment is ${p.state}`)
      if (!amountMatches(p, e.receivedFen))
        // Money arrived, but not the order's amount: it is not applied, and all of it goes back.
        return {
          ok: true,
          payment: {
            ...p,
            state: 'failed',
            failure: 'AMOUNT_MISMATCH',
            paidAt: e.paidAt,
            transactionId: e.transactionId,
            receivedFen: e.receivedFen,
          },
        }
      return {
        ok: true,
        payment: { ...p, state: 'paid', paidAt: e.paidAt, transactionId: e.transactionId, receivedFen: e.receivedFen },
      }
    case 'LATE_MONEY':
      if ((p.state !== 'expired' && p.state !== 'failed') || p.receivedFen > 0) return no(`payment is ${p.state}`)
      return {
        ok: true,
        payment: { ...p, receivedFen: e.receivedFen, transactionId: e.transactionId, paidAt: e.paidAt },
      }
    case 'FAIL':
      if (p.state !== 'pending') return no(`payment is ${p.state}`)
      return { ok: true, payment: { ...p, state: 'failed', failure: e.reason } }
    case 'EXPIRE':
      if (p.state !== 'pending') return no(`payment is ${p.state}`)
      return { ok: true, payment: { ...p, state: 'expired' } }
    case 'REFUND_DUE': {
      if (p.receivedFen === 0) return no('nothing was received')
      if (p.refunds.some((r) => r.id === e.refundId)) return { ok: true, payment: p }
      if (refundedFen(p) + e.amountFen > p.receivedFen || e.amountFen <= 0) return no('more than was received')
      return {
        ok: true,
        payment: {
          ...p,
          refunds: [...p.refunds, { id: e.refundId, amountFen: e.amountFen, reason: e.reason, state: 'due', at: e.at }],
        },
      }
    }
    case 'REFUND_SENT': {
      const r = p.refunds.find((x) => x.id === e.refundId)
      if (!r) return no('no such refund')
      if (r.state === 'sent') return { ok: true, payment: p }
      const refunds = p.refunds.map((x) => (x.id === e.refundId ? { ...x, state: 'sent' as const } : x))
      const all = refunds.every((x) => x.state === 'sent') && refundedFen(p) === p.receivedFen
      return { ok: true, payment: { ...p, refunds, state: all ? 'refunded' : p.state } }
    }
  }
}
