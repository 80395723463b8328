// Money from the borrower: a repayment or a cooling-off return is a payment (WeChat Pay) first,
// and the loan changes only when the provider confirms it. The steps, each safe to repeat:
//   1. open: the payment is stored `pending`, then the provider's order is created (its number
//      is the payment id); the mini-program pays with what the order answered.
//   2. settle: on the callback — or a query, or the expiry job — the provider is asked (never the
//      callback's own word), and in one transaction the payment becomes paid and the loan, its
//      line, its receipt, its journal entry and its audit entry change; a duplicate finds it
//      settled and changes nothing. What the loan cannot take is owed back (refunds payable).
//   3. refund: what is owed back is refunded at the provider with the same refund number until
//      it has it, then posted. The payment job finishes any of these a crash interrupted.
// An automatic debit (card-debits.ts) is a payment too, through the lender's gateway instead of
// WeChat Pay: nobody pays it in a sheet; it is asked for, then asked about until the gateway
// says it was taken or refused, and from there the same steps record it.
import { fail, ok, type ApiResult, type PaymentView } from '../../src/api'
import { entryFor } from '../../src/domain/journal'
import { debitableFen, debitDayOpen } from '../../src/domain/auto-debit'
import { dueAt, inRepayment, isClosed, transition, type LoanEvent } from '../../src/domain/loan'
import { formatYuan } from '../../src/domain/money'
import {
  channelOf,
  newPayment,
  refundedFen,
  transitionPayment,
  type Payment,
  type PaymentEvent,
  type PaymentRequest,
  type RefundReason,
} from '../../src/domain/payment'
import type { PrepayChoice } from '../../src/domain/prepay'
import type { Doc, Ports, StoreTx } from '../ports'
import { COLLECTIONS } from '../schema'
import { ownLoan, type JournalDoc, type LoanDoc, type ReceiptDoc } from './loans/docs'
import { applyLoanEvent, cancelNow } from './loans/lifecycle'
import { sign } from './loans/records'
import { view } from './loans/view'
import type { UseCase } from './use-case'
import type { LineDoc } from './lines'

export interface PaymentDoc {
  openid: string
  payment: Payment
  /** What the order answered, for the mini-program to pay with (kept while pending). */
  request: PaymentRequest | null
  /**
   * For the payment job's index: 1 an order pending (by expiry), 2 a refund owed (by when), 3 a
   * card debit waiting for the gateway (by when it was asked for), 0 nothing to do.
   */
  watch: 0 | 1 | 2 | 3
  watchAt: number
  /**
   * A card debit: the card it was asked of (the binding's token, never the number), to ask again
   * with, and the due day it is for.
   */
  debit?: { cardToken: string; last4: string; subjectHash: string; dueDate: string }
}

const OUT_TRADE_NO = /^[0-9A-Za-z_-]{1,32}$/

export function watchOf(p: Payment): Pick<PaymentDoc, 'watch' | 'watchAt'> {
  // A card debit waiting for the gateway is asked about on every run (its own page of the job, so a
  // morning's debits never hold up the orders' expiry); an order, once it expires.
  if (p.state === 'pending')
    return channelOf(p) === 'cardDebit' ? { watch: 3, watchAt: p.createdAt } : { watch: 1, watchAt: p.expiresAt }
  const due = p.refunds.find((r) => r.state === 'due')
  return due ? { watch: 2, watchAt: due.at } : { watch: 0, watchAt: 0 }
}

export function paymentView(doc: Pick<PaymentDoc, 'payment' | 'request'>, now: number): PaymentView {
  const p = doc.payment
  return {
    paymentId: p.id,
    loanId: p.loanId,
    purpose: p.purpose,
    channel: channelOf(p),
    amountFen: p.amountFen,
    prepay: p.prepay,
    state: p.state,
    createdAt: p.createdAt,
    expiresAt: p.expiresAt,
    paidAt: p.paidAt,
    refundedFen: refundedFen(p),
    failure: p.failure ?? p.refunds[0]?.reason ?? null,
    request: p.state === 'pending' && now < p.expiresAt ? doc.request : null,
    serverTime: now,
  }
}

type Opening = { purpose: 'repay'; amount: number | 'all' | 'due'; prepay?: PrepayChoice } | { purpose: 'coolingOff' }

/**
 * Opens a payment for the caller's loan: the amount is fixed now (what is due, the payoff, or the
 * borrower's figure, never more than settles the loan), the order created at the provider. A
 * payment still pending for the loan is closed at the provider first — or, if it was paid after
 * all, settled — so two payments never wait at once.
 */
export async function openPayment(
  ports: Ports,
  openid: string,
  loanId: string,
  o: Opening,
): Promise<ApiResult<PaymentView>> {
  const doc = await ownLoan(ports, openid, loanId)
  if (!doc) return fail('NOT_FOUND', { field: 'loanId' })
  const loan = doc.data.loan
  const now = ports.clock.now()
  let amountFen: number
  if (o.purpose === 'coolingOff') amountFen = loan.amountFen
  else {
    if (!inRepayment(loan.state))
      return fail(loan.state === 'settled' || loan.state === 'cancelled' ? 'LOAN_CLOSED' : 'INVALID_TRANSITION')
    const due = dueAt(loan, now)
    amountFen = o.amount === 'all' ? due.payoff.totalFen : o.amount === 'due' ? due.dueNowFen : o.amount
    if (!Number.isSafeInteger(amountFen) || amountFen <= 0)
      return fail('INVALID_AMOUNT', { field: 'amountFen', message: '还款金额须为正的整数分（至少 0.01 元）。' })
    if (amountFen > due.payoff.totalFen)
      return fail('OVERPAYMENT', {
        field: 'amountFen',
        message: `最多需还 ${formatYuan(due.payoff.totalFen)} 元（全部还清）。`,
        detail: `${due.dueNowFen},${due.payoff.totalFen}`,
      })
  }
  const waiting = await pendingFor(ports, loanId)
  // An automatic debit under way cannot be called back: paying the same installment beside it would
  // pay it twice, so a repayment waits for the gateway's answer (minutes at most; the day's end at the latest).
  const debit = waiting.find((p) => channelOf(p.data.payment) === 'cardDebit')
  if (debit && o.purpose === 'repay')
    return fail('PAYMENT_PENDING', {
      detail: debit.id,
      message: '今天的自动扣款正在处理中，结果出来前请不要重复还款；稍后刷新借款页即可看到结果。',
    })
  const pending = waiting.filter((p) => channelOf(p.data.payment) === 'wechatPay')
  for (const p of pending) {
    const same = p.data.payment
    if (
      same.purpose === o.purpose &&
      same.amountFen === amountFen &&
      same.prepay === (o.purpose === 'repay' ? (o.prepay ?? null) : null) &&
      now < same.expiresAt &&
      p.data.request
    )
      return ok(paymentView(p.data, now))
    const closed = await ports.payments.close(same.id)
    if (closed === 'paid') {
      await settle(ports, same.id)
      return fail('PAYMENT_PENDING', {
        detail: same.id,
        message: '上一笔付款刚刚到账，请查看借款后再决定是否继续还款。',
      })
    }
    await changePayment(ports, same.id, { type: 'EXPIRE' })
  }
  const id = ports.ids.next('pay')
  const payment = newPayment(
    id,
    { loanId, purpose: o.purpose, amountFen, prepay: o.purpose === 'repay' ? (o.prepay ?? null) : null },
    now,
  )
  await ports.store.insert<PaymentDoc>(COLLECTIONS.payments, id, {
    openid,
    payment,
    request: null,
    ...watchOf(payment),
  })
  let created: Awaited<ReturnType<Ports['payments']['create']>>
  try {
    created = await ports.payments.create({
      outTradeNo: id,
      amountFen,
      description: o.purpose === 'repay' ? '开通-借款还款' : '开通-冷静期退还本金',
      openid,
      expiresAt: payment.expiresAt,
    })
  } catch (error) {
    created = { ok: false, detail: error instanceof Error ? error.message : String(error) }
  }
  if (!created.ok) {
    ports.log.warn('payment_order_failed', { paymentId: id, detail: created.detail })
    await changePayment(ports, id, { type: 'FAIL', reason: 'PROVIDER_UNAVAILABLE' })
    return fail('PAYMENT_UNAVAILABLE')
  }
  const request = created.request
  const saved = await ports.store.transact(async (tx) => {
    const d = await tx.get<PaymentDoc>(COLLECTIONS.payments, id)
    if (!d) return null
    await tx.update<PaymentDoc>(COLLECTIONS.payments, id, d.version, { ...d.data, request })
    return { ...d.data, request }
  })
  if (!saved || saved.payment.state !== 'pending') {
    // Another repay for the loan closed this one while its order was being made: close the order too.
    await ports.payments.close(id).catch(() => undefined)
    return fail('CONFLICT')
  }
  return ok(paymentView(saved, now))
}

export async function pendingFor(ports: Ports, loanId: string): Promise<Array<Doc<PaymentDoc>>> {
  const docs = await ports.store.query<PaymentDoc>(COLLECTIONS.payments, {
    index: 'byLoan',
    eq: loanId,
    limit: 100,
    order: 'desc',
  })
  return docs.filter((d) => d.data.payment.state === 'pending')
}

/** One change of a payment on its own (expiry, failure), by compare-and-set. */
export async function changePayment(ports: Ports, id: string, e: PaymentEvent): Promise<Payment | null> {
  return ports.store.transact(async (tx) => {
    const d = await tx.get<PaymentDoc>(COLLECTIONS.payments, id)
    if (!d) return null
    const r = transitionPayment(d.data.payment, e)
    if (!r.ok || r.payment === d.data.payment) return d.data.payment
    await tx.update<PaymentDoc>(COLLECTIONS.payments, id, d.version, {
      ...d.data,
      payment: r.payment,
      ...watchOf(r.payment),
    })
    return r.payment
  })
}

export type SettleOutcome = 'unknown' | 'pending' | 'settled' | 'retry'

/**
 * Asks the provider about a payment and records what it says, once: paid → the loan takes it
 * (in the same transaction), failed, or closed (expired). Anything already recorded is left as
 * it is; refunds owed are then sent. 'retry' when the provider could not be asked.
 */
export async function settle(ports: Ports, paymentId: string): Promise<SettleOutcome> {
  if (!OUT_TRADE_NO.test(paymentId)) return 'unknown'
  const doc = await ports.store.get<PaymentDoc>(COLLECTIONS.payments, paymentId)
  if (!doc) return 'unknown'
  const p = doc.data.payment
  if (channelOf(p) === 'cardDebit') {
    if (p.state === 'pending') {
      const asked = await askDebit(ports, doc)
      if (asked !== 'settled') return asked
    }
  }
  // Pending, or given up on before any money came: what does WeChat Pay say?
  else if (p.state === 'pending' || ((p.state === 'expired' || p.state === 'failed') && p.receivedFen === 0)) {
    let q: Awaited<ReturnType<Ports['payments']['query']>>
    try {
      q = await ports.payments.query(paymentId)
    } catch (error) {
      ports.log.warn('payment_query_failed', {
        paymentId,
        error: error instanceof Error ? error.message : String(error),
      })
      return 'retry'
    }
    if (p.state !== 'pending') {
      if (q.found && (q.state === 'SUCCESS' || q.state === 'REFUND'))
        await confirm(ports, paymentId, q.amountFen, q.transactionId ?? '', q.paidAt ?? ports.clock.now())
    } else if (!q.found || q.state === 'NOTPAY') return 'pending'
    else if (q.state === 'PAYERROR') await changePayment(ports, paymentId, { type: 'FAIL', reason: 'PAYMENT_FAILED' })
    else if (q.state === 'CLOSED') await changePayment(ports, paymentId, { type: 'EXPIRE' })
    else if (q.state === 'REFUND') {
      // Refunded at WeChat Pay before we recorded it (by hand, in the merchant platform): the money
      // is not there to apply. Nothing changes on the loan; operations must see it.
      await changePayment(ports, paymentId, { type: 'FAIL', reason: 'REFUNDED_AT_PROVIDER' })
      ports.log.error('payment_refunded_before_recorded', { paymentId, amountFen: q.amountFen })
    } else await confirm(ports, paymentId, q.amountFen, q.transactionId ?? '', q.paidAt ?? ports.clock.now())
  }
  // Recorded: WeChat Pay need not deliver it again. A refund WeChat Pay did not take now is the job's to send.
  await sendRefunds(ports, paymentId)
  return 'settled'
}

/**
 * Asks the lender's gateway about a card debit and records what it says: taken → confirmed like
 * any payment (the loan takes it in the same transaction); refused → failed, with its reason; not
 * found (the request never reached it) → asked for again under the same id.
 */
async function askDebit(ports: Ports, doc: Doc<PaymentDoc>): Promise<SettleOutcome> {
  const p = doc.data.payment
  const ask = () =>
    ports.cardDebits.query(p.id).catch((error: unknown) => {
      ports.log.warn('debit_query_failed', {
        paymentId: p.id,
        error: error instanceof Error ? error.message : String(error),
      })
      return null
    })
  let q = await ask()
  if (q && !q.found && doc.data.debit) {
    // Never reached the gateway. Asked for again only while it is still wanted — its day not over,
    // automatic debit still on, something still due by that day — else it ends, never sent.
    if (!(await debitStillWanted(ports, doc.data))) {
      await changePayment(ports, p.id, { type: 'EXPIRE' })
      return 'settled'
    }
    const sent = await sendDebit(ports, doc.data).catch(() => null)
    if (sent && !sent.ok) return 'settled'
    q = await ask()
  }
  if (!q) return 'retry'
  if (!q.found || q.state === 'PROCESSING') return 'pending'
  if (q.state === 'FAILED') {
    await changePayment(ports, p.id, { type: 'FAIL', reason: (q.failure ?? 'DEBIT_FAILED').slice(0, 64) })
    return 'settled'
  }
  await confirm(ports, p.id, q.amountFen, q.reference ?? '', q.at ?? ports.clock.now())
  return 'settled'
}

/**
 * Asks the lender's gateway for a card debit as its payment records it (the card's binding, the
 * amount, the id it is known by); a refusal fails the payment with the gateway's reason. A
 * transport failure throws: not known to have reached the gateway, it is asked about later.
 */
export async function sendDebit(ports: Ports, doc: PaymentDoc): Promise<{ ok: true } | { ok: false; detail: string }> {
  const p = doc.payment
  if (!doc.debit) return { ok: false, detail: 'NOT_A_DEBIT' }
  const { cardToken, last4, subjectHash } = doc.debit
  const sent = await ports.cardDebits.send({
    cardToken,
    last4,
    subjectHash,
    debitId: p.id,
    loanId: p.loanId,
    amountFen: p.amountFen,
    openid: doc.openid,
  })
  if (!sent.ok) await changePayment(ports, p.id, { type: 'FAIL', reason: sent.detail.slice(0, 64) })
  return sent
}

/** Whether a card debit that never reached the gateway may still be asked for now. */
async function debitStillWanted(ports: Ports, doc: PaymentDoc): Promise<boolean> {
  const dueDate = doc.debit?.dueDate
  const now = ports.clock.now()
  if (!dueDate || !debitDayOpen(dueDate, now)) return false
  const loan = await ports.store.get<LoanDoc>(COLLECTIONS.loans, doc.payment.loanId)
  if (!loan || debitableFen(loan.data.loan, now, dueDate) <= 0) return false
  const line = loan.data.lineId ? await ports.store.get<LineDoc>(COLLECTIONS.lines, loan.data.lineId) : null
  return Boolean(line?.data.line.autoDebit)
}

/** Records `amountFen` of a payment as owed back (refunds payable), with its journal entry. */
async function oweBack(
  tx: StoreTx,
  payment: Payment,
  amountFen: number,
  reason: RefundReason,
  now: number,
): Promise<Payment> {
  const n = payment.refunds.length + 1
  const r = transitionPayment(payment, {
    type: 'REFUND_DUE',
    refundId: `${payment.id}R${n}`,
    amountFen,
    reason,
    at: now,
  })
  if (!r.ok) return payment
  const entryId = `${payment.id}:owed${n}`
  await tx.create<JournalDoc>(
    COLLECTIONS.journal,
    entryId,
    entryFor({
      type: 'PAYMENT_UNAPPLIED',
      id: entryId,
      loanId: payment.loanId,
      at: now,
      channel: channelOf(payment),
      amountFen,
    }),
  )
  return r.payment
}

/**
 * The confirmed payment and everything it changes, in one transaction: the payment paid (or
 * failed for a wrong amount), the loan's repayment or cooling-off return named by the payment
 * id, and what the loan could not take owed back with its journal entry. Money for a payment
 * already given up on (closed too late, or by a concurrent repay) is owed back in full.
 */
async function confirm(ports: Ports, id: string, receivedFen: number, transactionId: string, paidAt: number) {
  const now = ports.clock.now()
  const outcome = await ports.store.transact(async (tx) => {
    const d = await tx.get<PaymentDoc>(COLLECTIONS.payments, id)
    if (!d) return null
    if (d.data.payment.state !== 'pending') {
      // Given up on meanwhile (expired, or failed before any money): the money is owed back, never dropped.
      const late = transitionPayment(d.data.payment, { type: 'LATE_MONEY', receivedFen, transactionId, paidAt })
      if (!late.ok) return null
      const payment = await oweBack(tx, late.payment, receivedFen, 'NOT_APPLICABLE', now)
      await tx.update<PaymentDoc>(COLLECTIONS.payments, id, d.version, { ...d.data, payment, ...watchOf(payment) })
      return { payment, owed: { amountFen: receivedFen, reason: 'NOT_APPLICABLE' as RefundReason } }
    }
    const c = transitionPayment(d.data.payment, { type: 'CONFIRM', receivedFen, transactionId, paidAt })
    if (!c.ok) return null
    let payment = c.payment
    let owed: { amountFen: number; reason: RefundReason } | null = null
    // A card debit takes only what fell due by its day; the rest (the borrower paid meanwhile) goes back to the card.
    const cap = payment.state === 'paid' ? await debitCap(tx, d.data, Math.min(now, payment.createdAt)) : null
    const applicable = cap === null ? receivedFen : Math.min(receivedFen, cap.fen)
    if (payment.state === 'paid' && applicable === 0)
      owed = { amountFen: receivedFen, reason: cap?.closed ? 'LOAN_CLOSED' : 'NOT_APPLICABLE' }
    else if (payment.state === 'paid') {
      const event: LoanEvent =
        payment.purpose === 'repay'
          ? { type: 'REPAY', amount: applicable, prepay: payment.prepay ?? undefined, excess: 'refund' }
          : { type: 'CANCEL', requestedAt: payment.createdAt }
      // Allocated as of when the amount was shown and agreed (the payment's opening, at most 30
      // minutes before): a payoff quoted before midnight still settles, a payment opened before a
      // due time is not charged as overdue.
      // Its receipt, journal entry and audit entry are recorded now, when the money is known.
      const t = await applyLoanEvent(
        ports,
        tx,
        d.data.openid,
        payment.loanId,
        event,
        now,
        id,
        Math.min(now, payment.createdAt),
        channelOf(payment),
      )
      if (!t || !t.ok)
        owed = { amountFen: receivedFen, reason: t?.code === 'LOAN_CLOSED' ? 'LOAN_CLOSED' : 'NOT_APPLICABLE' }
      else {
        const excess = t.effects.find((e) => e.type === 'REFUND')
        const back = (excess && excess.type === 'REFUND' ? excess.amountFen : 0) + (receivedFen - applicable)
        if (back > 0) owed = { amountFen: back, reason: 'EXCESS' }
      }
    } else owed = { amountFen: receivedFen, reason: 'AMOUNT_MISMATCH' }
    if (owed && owed.amountFen > 0) payment = await oweBack(tx, payment, owed.amountFen, owed.reason, now)
    await tx.update<PaymentDoc>(COLLECTIONS.payments, id, d.version, { ...d.data, payment, ...watchOf(payment) })
    return { payment, owed }
  })
  if (outcome?.owed) {
    const log = outcome.owed.reason === 'AMOUNT_MISMATCH' ? ports.log.error : ports.log.info
    log('payment_not_applied', {
      paymentId: id,
      reason: outcome.owed.reason,
      amountFen: outcome.owed.amountFen,
      receivedFen,
    })
  }
}

/** What a card debit may apply to its loan (null for any other payment): what fell due by its day, as of `at`. */
async function debitCap(tx: StoreTx, doc: PaymentDoc, at: number): Promise<{ fen: number; closed: boolean } | null> {
  const dueDate = doc.debit?.dueDate
  if (channelOf(doc.payment) !== 'cardDebit' || doc.payment.purpose !== 'repay' || !dueDate) return null
  const loan = (await tx.get<LoanDoc>(COLLECTIONS.loans, doc.payment.loanId))?.data.loan
  if (!loan) return { fen: 0, closed: false }
  return { fen: debitableFen(loan, at, dueDate), closed: isClosed(loan.state) }
}

/** Sends every refund still owed on the payment; false if the provider could not take one now (the job retries). */
async function sendRefunds(ports: Ports, id: string): Promise<boolean> {
  const doc = await ports.store.get<PaymentDoc>(COLLECTIONS.payments, id)
  if (!doc) return true
  let allSent = true
  for (const r of doc.data.payment.refunds.filter((x) => x.state === 'due')) {
    let answer: Awaited<ReturnType<Ports['payments']['refund']>>
    try {
      // Back the way it came: to WeChat Pay's payer, or to the debited card.
      answer =
        channelOf(doc.data.payment) === 'cardDebit'
          ? await ports.cardDebits.refund({ debitId: id, refundId: r.id, amountFen: r.amountFen })
          : await ports.payments.refund({
              outTradeNo: id,
              outRefundNo: r.id,
              totalFen: doc.data.payment.receivedFen,
              refundFen: r.amountFen,
            })
    } catch (error) {
      answer = { ok: false, detail: error instanceof Error ? error.message : String(error) }
    }
    if (!answer.ok) {
      ports.log.warn('refund_failed', { paymentId: id, refundId: r.id, detail: answer.detail })
      allSent = false
      continue
    }
    const now = ports.clock.now()
    await ports.store.transact(async (tx) => {
      const d = await tx.get<PaymentDoc>(COLLECTIONS.payments, id)
      if (!d) return
      const t = transitionPayment(d.data.payment, { type: 'REFUND_SENT', refundId: r.id })
      if (!t.ok || t.payment === d.data.payment) return
      await postRefund(ports, tx, d.data.openid, t.payment, r.id, r.amountFen, now)
      await tx.update<PaymentDoc>(COLLECTIONS.payments, id, d.version, {
        ...d.data,
        payment: t.payment,
        ...watchOf(t.payment),
      })
    })
  }
  return allSent
}

async function postRefund(
  ports: Ports,
  tx: StoreTx,
  openid: string,
  p: Payment,
  refundId: string,
  amountFen: number,
  now: number,
) {
  const body = {
    loanId: p.loanId,
    kind: 'refund' as const,
    amountFen,
    breakdown: { principalFen: 0, interestFen: 0, feeFen: 0, overdueFen: 0 },
    at: now,
    paymentId: p.id,
    ...(channelOf(p) === 'cardDebit' ? { channel: 'cardDebit' as const } : {}),
  }
  await tx.create<ReceiptDoc>(COLLECTIONS.receipts, refundId, {
    ...body,
    openid,
    signature: sign(ports, refundId, body),
  })
  await tx.create<JournalDoc>(
    COLLECTIONS.journal,
    refundId,
    entryFor({ type: 'REFUND_SENT', id: refundId, loanId: p.loanId, at: now, channel: channelOf(p), amountFen }),
  )
}

/**
 * The payment job (the timer; the local cloud's interval): payments past their expiry are closed
 * at the provider and expire — or, if the provider says they were paid, are settled — and refunds
 * owed are sent again.
 */
export async function runPaymentJobs(
  ports: Ports,
  limit = 200,
): Promise<{ expired: number; settled: number; refunds: number }> {
  const now = ports.clock.now()
  let expired = 0
  let settled = 0
  const stale = await ports.store.query<PaymentDoc>(COLLECTIONS.payments, {
    index: 'byWatch',
    eq: 1,
    lt: now + 1,
    limit,
  })
  // Card debits waiting for the gateway are asked about (the gateway decides them; nobody closes one).
  const debits = await ports.store.query<PaymentDoc>(COLLECTIONS.payments, {
    index: 'byWatch',
    eq: 3,
    lt: now + 1,
    limit,
  })
  for (const d of debits) if ((await settle(ports, d.id).catch(() => 'retry')) === 'settled') settled++
  for (const d of stale) {
    let closed: 'closed' | 'paid' | 'missing'
    try {
      closed = await ports.payments.close(d.id)
    } catch {
      continue
    }
    if (closed === 'paid') {
      if ((await settle(ports, d.id)) === 'settled') settled++
    } else if ((await changePayment(ports, d.id, { type: 'EXPIRE' }))?.state === 'expired') expired++
  }
  const owed = await ports.store.query<PaymentDoc>(COLLECTIONS.payments, {
    index: 'byWatch',
    eq: 2,
    lt: now + 1,
    limit,
  })
  let refunds = 0
  for (const d of owed) if (await sendRefunds(ports, d.id)) refunds++
  return { expired, settled, refunds }
}

/** The caller's payment; a pending one is asked of the provider first, so it resolves by itself. */
export const get: UseCase<'payments', 'get'> = async (ports, openid, input) => {
  let doc = await ports.store.get<PaymentDoc>(COLLECTIONS.payments, input.paymentId)
  if (!doc || doc.data.openid !== openid) return fail('NOT_FOUND', { field: 'paymentId' })
  if (doc.data.payment.state === 'pending') {
    await settle(ports, input.paymentId)
    doc = (await ports.store.get<PaymentDoc>(COLLECTIONS.payments, input.paymentId)) ?? doc
  }
  return ok(paymentView(doc.data, ports.clock.now()))
}

export const list: UseCase<'payments', 'list'> = async (ports, openid, input) => {
  if (!(await ownLoan(ports, openid, input.loanId))) return fail('NOT_FOUND', { field: 'loanId' })
  const docs = await ports.store.query<PaymentDoc>(COLLECTIONS.payments, {
    index: 'byLoan',
    eq: input.loanId,
    limit: 100,
    order: 'desc',
  })
  const now = ports.clock.now()
  // Newest first; payments opened in the same millisecond by their (time-ordered) ids.
  docs.sort((a, b) => b.data.payment.createdAt - a.data.payment.createdAt || (a.id < b.id ? 1 : -1))
  return ok(docs.map((d) => paymentView(d.data, now)))
}

/** loans.repay: a payment for the amount; the loan is unchanged until it is confirmed. */
export const repay: UseCase<'loans', 'repay'> = async (ports, openid, input) => {
  const r = await openPayment(ports, openid, input.loanId, {
    purpose: 'repay',
    amount: input.amountFen,
    prepay: input.prepay,
  })
  return r.ok ? ok({ payment: r.data }) : r
}

/**
 * loans.cancel: inside the 24-hour cooling-off, a payment of the principal (no interest, no fee)
 * that closes the loan once confirmed; a loan held before its payout ends at once (no money went out).
 */
export const cancel: UseCase<'loans', 'cancel'> = async (ports, openid, input) => {
  const doc = await ownLoan(ports, openid, input.loanId)
  if (!doc) return fail('NOT_FOUND', { field: 'loanId' })
  const now = ports.clock.now()
  if (doc.data.loan.state !== 'disbursed') {
    const r = await cancelNow(ports, openid, input)
    return r.ok ? ok({ loan: r.data, payment: null }) : r
  }
  const check = transition(doc.data.loan, { type: 'CANCEL' }, now)
  if (!check.ok) return fail(check.code, { message: check.message })
  const r = await openPayment(ports, openid, input.loanId, { purpose: 'coolingOff' })
  return r.ok ? ok({ loan: view(doc.data.loan, now), payment: r.data }) : r
}

/**
 * The payment callback (cloudfunctions/payCallback): WeChat Pay calls it when an order is paid —
 * and so can anyone, with any event, since any mini-program can call any cloud function by name.
 * So it takes only the order number from the event and asks the provider; it answers
 * { errcode: 0 } once the outcome is durably recorded (or there is nothing to record), and
 * otherwise an error so that WeChat Pay delivers it again.
 */
export function createPayCallback(getPorts: () => Ports) {
  return async function main(event: unknown): Promise<{ errcode: number; errmsg: string }> {
    const e = (typeof event === 'object' && event !== null ? event : {}) as Record<string, unknown>
    const outTradeNo = typeof e.outTradeNo === 'string' ? e.outTradeNo : ''
    // Not a cloud-pay notification at all: nothing to record, nothing to deliver again.
    if (!OUT_TRADE_NO.test(outTradeNo)) {
      console.warn(
        JSON.stringify({ level: 'warn', event: 'pay_callback_malformed', keys: Object.keys(e).slice(0, 20) }),
      )
      return { errcode: 0, errmsg: 'OK' }
    }
    let ports: Ports | undefined
    try {
      ports = getPorts()
      const outcome = await settle(ports, outTradeNo)
      if (outcome === 'unknown') ports.log.warn('pay_callback_unknown_order', { outTradeNo })
      if (outcome === 'pending') ports.log.warn('pay_callback_unpaid_order', { paymentId: outTradeNo })
      return outcome === 'retry' ? { errcode: -1, errmsg: 'RETRY' } : { errcode: 0, errmsg: 'OK' }
    } catch (error) {
      // Nothing was recorded: WeChat Pay delivers it again.
      const fields = { paymentId: outTradeNo, error: error instanceof Error ? error.message : String(error) }
      if (ports) ports.log.error('pay_callback_failed', fields)
      else console.error(JSON.stringify({ level: 'error', event: 'pay_callback_failed', ...fields }))
      return { errcode: -1, errmsg: 'RETRY' }
    }
  }
}
