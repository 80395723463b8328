// The local cloud's WeChat Pay: orders kept in the store (so a restart or a kill -9 of the local
// cloud loses none, as WeChat Pay loses none), answering as cloud pay answers — one order per
// number, paid only when the payer pays (the H5 payment sheet, or POST /__dev/payments/<id>),
// then the callback function called, as often as asked (duplicates in parallel, so they arrive
// in any order), after an optional delay; a refund once per refund number, never more than paid.
// The callback it calls is the same main the payCallback cloud function exports.
import crypto from 'node:crypto'
import { Outages } from './outages'
import { recordMovement, simStatement } from './sim-statements'
import type { StatementLine } from '../../../src/domain/reconcile'
import type { PaymentOrder, PaymentRequest, Payments, Store, TradeState } from '../../ports'

export const SIM_PAYMENTS = 'simPayments'

export interface SimOrder {
  outTradeNo: string
  amountFen: number
  description: string
  openid: string
  state: TradeState
  /** What the payer's bank actually moved (the order's amount, unless a test says otherwise). */
  paidFen: number
  transactionId: string | null
  paidAt: number | null
  expiresAt: number
  refunds: Record<string, { refundFen: number; refundId: string }>
}

/** What WeChat Pay delivers to the callback function (cloud pay's camelCased notification). */
export type PayCallbackEvent = Record<string, unknown>
export type CallbackInvoker = (event: PayCallbackEvent) => Promise<unknown>

export class SimPayments implements Payments {
  /** Set by the local cloud: how the simulated WeChat Pay reaches the payCallback function. */
  invoke: CallbackInvoker | null = null
  /** Makes the next `n` calls of the named operation throw, as a provider outage does (tests). */
  readonly outages = new Outages<'create' | 'query' | 'close' | 'refund' | 'statement'>('WeChat Pay')

  constructor(
    private readonly store: Store,
    private readonly now: () => number,
  ) {}

  /** Changes an order; money it moved goes on the day's statement in the same transaction. */
  private async change(outTradeNo: string, edit: (o: SimOrder) => SimOrder | null): Promise<SimOrder | null> {
    return this.store.transact(async (tx) => {
      const doc = await tx.get<SimOrder>(SIM_PAYMENTS, outTradeNo)
      if (!doc) return null
      const next = edit(doc.data)
      if (!next) return doc.data
      await tx.update(SIM_PAYMENTS, outTradeNo, doc.version, next)
      const row = { ref: outTradeNo, transactionId: next.transactionId, paidAt: next.paidAt ?? 0 }
      if (next.paidAt !== null && doc.data.paidAt === null)
        await recordMovement(tx, 'wechatPay', outTradeNo, {
          ...row,
          kind: 'received',
          fen: next.paidFen,
          at: next.paidAt,
        })
      for (const [no, r] of Object.entries(next.refunds))
        if (!doc.data.refunds[no])
          await recordMovement(tx, 'wechatPay', `${outTradeNo}:${no}`, {
            ...row,
            kind: 'refunded',
            fen: r.refundFen,
            at: this.now(),
          })
      return next
    })
  }

  /** WeChat Pay's bill for the day, from the statement rows its orders and refunds wrote. */
  async statement(date: string): Promise<StatementLine[]> {
    this.outages.hit('statement')
    return simStatement(this.store, 'wechatPay', date)
  }

  async create(order: PaymentOrder): Promise<{ ok: true; request: PaymentRequest } | { ok: false; detail: string }> {
    this.outages.hit('create')
    if (!Number.isSafeInteger(order.amountFen) || order.amountFen < 1)
      return { ok: false as const, detail: 'total_fee 必须是正整数（分）' }
    const request: PaymentRequest = { provider: 'simulated', paymentId: order.outTradeNo }
    const existing = await this.store.get<SimOrder>(SIM_PAYMENTS, order.outTradeNo)
    if (existing) {
      if (existing.data.amountFen !== order.amountFen) return { ok: false as const, detail: '商户订单号重复' }
      if (existing.data.state !== 'NOTPAY') return { ok: false as const, detail: '该订单已支付或已关闭' }
      return { ok: true as const, request }
    }
    const inserted = await this.store.insert<SimOrder>(SIM_PAYMENTS, order.outTradeNo, {
      ...order,
      state: 'NOTPAY',
      paidFen: 0,
      transactionId: null,
      paidAt: null,
      refunds: {},
    })
    // Created at the same moment by another call: answer as for an existing order.
    if (!inserted.ok) return this.create(order)
    return { ok: true as const, request }
  }

  async query(outTradeNo: string) {
    this.outages.hit('query')
    const o = (await this.store.get<SimOrder>(SIM_PAYMENTS, outTradeNo))?.data
    if (!o) return { found: false as const }
    return {
      found: true as const,
      state: o.state,
      amountFen: o.state === 'SUCCESS' || o.state === 'REFUND' ? o.paidFen : o.amountFen,
      transactionId: o.transactionId,
      paidAt: o.paidAt,
    }
  }

  async close(outTradeNo: string): Promise<'closed' | 'paid' | 'missing'> {
    this.outages.hit('close')
    const o = await this.change(outTradeNo, (x) =>
      x.state === 'NOTPAY' || x.state === 'PAYERROR' ? { ...x, state: 'CLOSED' } : null,
    )
    if (!o) return 'missing'
    return o.state === 'SUCCESS' || o.state === 'REFUND' ? 'paid' : 'closed'
  }

  async refund(r: { outTradeNo: string; outRefundNo: string; totalFen: number; refundFen: number }) {
    this.outages.hit('refund')
    let answer: { ok: true; refundId: string } | { ok: false; detail: string } = {
      ok: false,
      detail: '此交易订单号不存在',
    }
    await this.change(r.outTradeNo, (o) => {
      const previous = o.refunds[r.outRefundNo]
      if (previous) {
        answer =
          previous.refundFen === r.refundFen
            ? { ok: true, refundId: previous.refundId }
            : { ok: false, detail: '退款单号重复' }
        return null
      }
      if (o.state !== 'SUCCESS' && o.state !== 'REFUND') {
        answer = { ok: false, detail: '订单状态错误' }
        return null
      }
      const refunded = Object.values(o.refunds).reduce((s, x) => s + x.refundFen, 0)
      if (!Number.isSafeInteger(r.refundFen) || r.refundFen < 1 || refunded + r.refundFen > o.paidFen) {
        answer = { ok: false, detail: '退款金额大于可退金额' }
        return null
      }
      const refundId = `50${crypto.randomBytes(13).toString('hex')}`
      answer = { ok: true, refundId }
      return { ...o, state: 'REFUND', refunds: { ...o.refunds, [r.outRefundNo]: { refundFen: r.refundFen, refundId } } }
    })
    return answer
  }

  /** The order as the simulated WeChat Pay holds it (the dev endpoint checks whose it is). */
  async order(outTradeNo: string): Promise<SimOrder | null> {
    return (await this.store.get<SimOrder>(SIM_PAYMENTS, outTradeNo))?.data ?? null
  }

  /**
   * The payer pays (or the payment fails): the order changes, then the callback is delivered
   * 1 + `duplicates` times at once, after `delayMs`. `amountFen` pays another amount than the
   * order's (a provider's error the callback must catch); `deliver: false` calls nothing back
   * (the notification is late). Answers the callback's replies.
   */
  async pay(
    outTradeNo: string,
    opts: { outcome: 'success' | 'fail'; duplicates?: number; amountFen?: number; delayMs?: number; deliver?: boolean },
  ): Promise<{ order: SimOrder; answers: unknown[] } | null> {
    const now = this.now()
    const order = await this.change(outTradeNo, (o) => {
      if (o.state !== 'NOTPAY') return null
      // Past its time_expire WeChat Pay closes the order: it can no longer be paid.
      if (now >= o.expiresAt) return { ...o, state: 'CLOSED' }
      if (opts.outcome === 'fail') return { ...o, state: 'PAYERROR' }
      return {
        ...o,
        state: 'SUCCESS',
        paidFen: opts.amountFen ?? o.amountFen,
        paidAt: now,
        transactionId: `42${crypto.randomBytes(13).toString('hex')}`,
      }
    })
    if (!order) return null
    // deliver: false — WeChat Pay took the money; its notification comes later (or is delivered by hand).
    if (opts.deliver === false) return { order, answers: [] }
    if (opts.delayMs) await new Promise((r) => setTimeout(r, opts.delayMs))
    const answers = await this.deliver(order, 1 + Math.max(0, Math.floor(opts.duplicates ?? 0)))
    return { order, answers }
  }

  /** WeChat's notification for the order, `times` copies at once; what each delivery was answered. */
  async deliver(order: SimOrder, times = 1): Promise<unknown[]> {
    const invoke = this.invoke
    if (!invoke || order.state === 'NOTPAY' || order.state === 'CLOSED') return []
    return Promise.all(
      Array.from({ length: times }, () => invoke(callbackEvent(order)).catch((e: unknown) => ({ error: String(e) }))),
    )
  }
}

/** The notification cloud pay delivers (camelCased, as the SDK passes it to the function). */
export function callbackEvent(o: SimOrder): PayCallbackEvent {
  return {
    returnCode: 'SUCCESS',
    resultCode: o.state === 'PAYERROR' ? 'FAIL' : 'SUCCESS',
    subOpenid: o.openid,
    tradeType: 'JSAPI',
    totalFee: o.paidFen || o.amountFen,
    cashFee: o.paidFen || o.amountFen,
    feeType: 'CNY',
    outTradeNo: o.outTradeNo,
    nonceStr: crypto.randomBytes(8).toString('hex'),
    ...(o.transactionId ? { transactionId: o.transactionId } : {}),
  }
}
