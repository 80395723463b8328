// Payments through WeChat Pay's cloud pay (`cloud.cloudPay`, wx-server-sdk): unifiedOrder,
// queryOrder, closeOrder and refund, in integer fen, the payment id as out_trade_no. The SDK
// answers camelCased (returnCode, resultCode, errCodeDes…); its own errCode (0: the call went
// through) overwrites WeChat Pay's err_code, so business refusals are told apart by errCodeDes
// and resultCode. A call that does not go through throws, and the caller retries.
import crypto from 'node:crypto'
import type { PaymentOrder, PaymentRequest, Payments, TradeState } from '../ports'

export interface CloudPayApi {
  unifiedOrder(p: Record<string, unknown>): Promise<Record<string, unknown>>
  queryOrder(p: Record<string, unknown>): Promise<Record<string, unknown>>
  closeOrder(p: Record<string, unknown>): Promise<Record<string, unknown>>
  refund(p: Record<string, unknown>): Promise<Record<string, unknown>>
}

export interface WechatPayConfig {
  /** The sub-merchant bound to the cloud environment (云开发 → 微信支付). */
  subMchId: string
  /** The cloud environment id the callback function is deployed in. */
  envId: string
  /** The function WeChat Pay calls when an order is paid. */
  callbackFunction: string
}

const TRADE_STATES: TradeState[] = ['NOTPAY', 'SUCCESS', 'REFUND', 'CLOSED', 'PAYERROR']

/** yyyyMMddHHmmss in China time (WeChat Pay's time format) ↔ epoch ms. */
export function wechatPayTime(ms: number): string {
  const d = new Date(ms + 8 * 3_600_000)
  const p = (n: number) => String(n).padStart(2, '0')
  return `${d.getUTCFullYear()}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}`
}

export function parseWechatPayTime(text: unknown): number | null {
  const m = typeof text === 'string' ? /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(text) : null
  if (!m) return null
  const [, y, mo, d, h, mi, s] = m.map(Number)
  return Date.UTC(y, mo - 1, d, h - 8, mi, s)
}

const ok = (a: Record<string, unknown>) => a.returnCode === 'SUCCESS' && a.resultCode === 'SUCCESS'
const why = (a: Record<string, unknown>) => String(a.errCodeDes ?? a.returnMsg ?? a.errMsg ?? 'refused')

export class WechatPayments implements Payments {
  constructor(
    private readonly api: () => CloudPayApi,
    private readonly config: WechatPayConfig,
  ) {}

  private nonce(): string {
    return crypto.randomBytes(12).toString('hex')
  }

  async create(order: PaymentOrder) {
    if (!Number.isSafeInteger(order.amountFen) || order.amountFen < 1)
      return { ok: false as const, detail: 'amount must be whole fen' }
    const a = await this.api().unifiedOrder({
      body: order.description,
      outTradeNo: order.outTradeNo,
      spbillCreateIp: '127.0.0.1',
      subMchId: this.config.subMchId,
      totalFee: order.amountFen,
      envId: this.config.envId,
      functionName: this.config.callbackFunction,
      nonceStr: this.nonce(),
      tradeType: 'JSAPI',
      subOpenid: order.openid,
      timeExpire: wechatPayTime(order.expiresAt),
    })
    const p = a.payment as Record<string, unknown> | undefined
    if (!ok(a) || !p) return { ok: false as const, detail: why(a) }
    const request: PaymentRequest = {
      provider: 'wechatPay',
      timeStamp: String(p.timeStamp),
      nonceStr: String(p.nonceStr),
      package: String(p.package),
      signType: String(p.signType),
      paySign: String(p.paySign),
    }
    return { ok: true as const, request }
  }

  async query(outTradeNo: string) {
    const a = await this.api().queryOrder({ subMchId: this.config.subMchId, outTradeNo, nonceStr: this.nonce() })
    if (a.returnCode !== 'SUCCESS') throw new Error(`queryOrder: ${why(a)}`)
    if (a.resultCode !== 'SUCCESS') {
      if (/不存在|ORDERNOTEXIST/.test(why(a))) return { found: false as const }
      throw new Error(`queryOrder: ${why(a)}`)
    }
    const state = TRADE_STATES.find((s) => s === a.tradeState)
    if (!state) throw new Error(`queryOrder: unknown trade state ${String(a.tradeState)}`)
    return {
      found: true as const,
      state,
      amountFen: Number(a.totalFee),
      transactionId: typeof a.transactionId === 'string' ? a.transactionId : null,
      paidAt: parseWechatPayTime(a.timeEnd),
    }
  }

  async close(outTradeNo: string): Promise<'closed' | 'paid' | 'missing'> {
    const a = await this.api().closeOrder({ subMchId: this.config.subMchId, outTradeNo, nonceStr: this.nonce() })
    if (ok(a)) return 'closed'
    const d = why(a)
    if (/已支付|ORDERPAID/.test(d)) return 'paid'
    if (/不存在|ORDERNOTEXIST/.test(d)) return 'missing'
    if (/已关闭|ORDERCLOSED/.test(d)) return 'closed'
    throw new Error(`closeOrder: ${d}`)
  }

  async refund(r: { outTradeNo: string; outRefundNo: string; totalFen: number; refundFen: number }) {
    const a = await this.api().refund({
      subMchId: this.config.subMchId,
      outTradeNo: r.outTradeNo,
      outRefundNo: r.outRefundNo,
      totalFee: r.totalFen,
      refundFee: r.refundFen,
      nonceStr: this.nonce(),
      envId: this.config.envId,
      functionName: this.config.callbackFunction,
    })
    if (ok(a)) return { ok: true as const, refundId: String(a.refundId ?? '') }
    if (a.returnCode !== 'SUCCESS') throw new Error(`refund: ${why(a)}`)
    return { ok: false as const, detail: why(a) }
  }
}
