// Payments through WeChat Pay's cloud pay (`cloud.cloudPay`, wx-server-sdk): unifiedOrder,
// queryOrder, closeOrder and refund, in integer fen, the payment id as out_trade_no. The SDK
// answers camelCased (returnCode, resultCode, errCodeDes…); its own errCode (0: the call went
// through) overwrites WeChat Pay's err_code, so business refusals are told apart by errCodeDes
// and resultCode. A call that does not go through throws, and the caller retries.
import crypto from 'node:crypto'
import { parseYuan } from '../../src/domain/money'
import type { StatementLine } from '../../src/domain/reconcile'
import { StatementUnavailable, type PaymentOrder, type PaymentRequest, type Payments, type TradeState } from '../ports'

export interface CloudPayApi {
  unifiedOrder(p: Record<string, unknown>): Promise<Record<string, unknown>>
  queryOrder(p: Record<string, unknown>): Promise<Record<string, unknown>>
  closeOrder(p: Record<string, unknown>): Promise<Record<string, unknown>>
  refund(p: Record<string, unknown>): Promise<Record<string, unknown>>
  downloadBill(p: Record<string, unknown>): Promise<Record<string, unknown>>
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

  /**
   * The day's bill (downloadBill, bill_type ALL): WeChat Pay's CSV of every payment and refund of
   * the day, as the SDK hands it over (the text itself when it is not gzipped). A day with no
   * transactions has no bill ("No Bill Exist"): an empty statement.
   */
  async statement(date: string): Promise<StatementLine[]> {
    const a = await this.api().downloadBill({
      subMchId: this.config.subMchId,
      billDate: date.replaceAll('-', ''),
      billType: 'ALL',
      nonceStr: this.nonce(),
    })
    if (typeof a.data === 'string') return parseWechatBill(a.data)
    if (/No Bill Exist/i.test(why(a))) return []
    // Not made yet (WeChat makes a day's bill the next morning), or refused: no statement to reconcile against.
    throw new StatementUnavailable(`downloadBill: ${why(a)}`)
  }
}

/** Yuan as the bill writes it ("12.34") → integer fen (parseYuan), or the bill is refused. */
function fenOf(text: string): number {
  const fen = parseYuan(text)
  if (fen === null) throw new Error(`downloadBill: not an amount: ${text}`)
  return fen
}

/** "yyyy-MM-dd HH:mm:ss" in China time → epoch ms: WeChat Pay's time, with its separators. */
function billTime(text: string): number {
  const ms = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(text) ? parseWechatPayTime(text.replace(/[- :]/g, '')) : null
  if (ms === null) throw new Error(`downloadBill: not a time: ${text}`)
  return ms
}

/**
 * WeChat Pay's bill CSV (bill_type ALL): a header row, one row per payment (交易状态 SUCCESS) or
 * refund (REFUND), every field prefixed with a backtick, then the totals (总交易单数…). Read by
 * the header's names; a bill whose row count is not its own total is refused as truncated.
 */
export function parseWechatBill(text: string): StatementLine[] {
  const rows = text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .filter((l) => l.trim() !== '')
  // Data fields each start with a backtick, so a comma inside one (a product name) splits nothing.
  const cells = (l: string) => (l.startsWith('`') ? l.slice(1).split(',`') : l.split(',')).map((c) => c.trim())
  const header = cells(rows[0] ?? '')
  const col = (name: string) => header.indexOf(name)
  const [time, txn, no, state] = ['交易时间', '微信订单号', '商户订单号', '交易状态'].map(col)
  const total = col('订单金额') >= 0 ? col('订单金额') : col('应结订单金额')
  const refund = col('申请退款金额') >= 0 ? col('申请退款金额') : col('退款金额')
  if ([time, txn, no, state, total, refund].some((i) => i < 0))
    throw new Error('downloadBill: the bill has no 交易时间/微信订单号/商户订单号/交易状态/金额 columns')
  // The totals close every bill: without them (or with another count) the file was cut short.
  const end = rows.findIndex((l) => l.startsWith('总交易单数'))
  if (end < 0 || rows[end + 1] === undefined) throw new Error('downloadBill: the bill has no totals (truncated)')
  const data = rows.slice(1, end).map(cells)
  const totalsHeader = rows[end].split(',').map((c) => c.trim())
  const totals = cells(rows[end + 1])
  if (Number(totals[0]) !== data.length)
    throw new Error(`downloadBill: the bill says ${totals[0]} rows and has ${data.length}`)
  const refundStatus = col('退款状态')
  const lines = new Map<string, StatementLine>()
  for (const r of data) {
    if (r.length !== header.length)
      throw new Error(`downloadBill: a row of ${r.length} fields under ${header.length} columns`)
    const line = lines.get(r[no]) ?? {
      outTradeNo: r[no],
      transactionId: r[txn] || null,
      receivedFen: 0,
      refundedFen: 0,
      paidAt: billTime(r[time]),
    }
    if (r[state] === 'SUCCESS') {
      line.receivedFen += fenOf(r[total])
      line.paidAt = billTime(r[time])
    } else if (r[state] === 'REFUND') {
      // A refund WeChat closed or could not send (REFUNDCLOSE, CHANGE) returned nothing: not counted, so the books' refund shows as a difference.
      const status = refundStatus >= 0 ? r[refundStatus] : ''
      if (status === '' || status === 'SUCCESS' || status === 'PROCESSING') {
        line.refundedFen += fenOf(r[refund])
      }
    } else throw new Error(`downloadBill: unknown 交易状态 ${r[state]}`)
    lines.set(r[no], line)
  }
  // The refunds the bill adds up, against its own total (申请退款总金额) when it has one.
  const refundTotal = totalsHeader.indexOf('申请退款总金额')
  const allRefunds = data.filter((r) => r[state] === 'REFUND').reduce((n, r) => n + fenOf(r[refund]), 0)
  if (refundTotal >= 0 && totals[refundTotal] !== undefined && fenOf(totals[refundTotal]) !== allRefunds)
    throw new Error(
      `downloadBill: the refund rows add up to ${allRefunds} fen, the bill's total says ${totals[refundTotal]}`,
    )
  return [...lines.values()]
}
