// WeChat Pay through cloud functions (`cloud.cloudPay`, the SDK's `wx.wxPayApi`), as WeChat Pay
// answers it: an order is created once per out_trade_no (the same request again answers the same
// prepay id; a different one for the same number is refused), paid only when the payer pays
// (here: `pay()`, what the simulated phone's 确认支付 does), after which WeChat calls the order's
// callback function — again and again until it answers { errcode: 0 }, and sometimes twice
// anyway. A refund is once per out_refund_no, never more than was paid.
import crypto from 'node:crypto'

export type TradeState = 'NOTPAY' | 'SUCCESS' | 'REFUND' | 'CLOSED' | 'PAYERROR'

export interface Order {
  outTradeNo: string
  body: string
  totalFee: number
  subMchId: string
  envId: string
  functionName: string
  openid: string | null
  prepayId: string
  state: TradeState
  transactionId: string | null
  createdAt: number
  paidAt: number | null
  refundedFee: number
  /** Callback deliveries made and whether the function accepted one. */
  deliveries: number
  acknowledged: boolean
}

export interface Refund {
  outRefundNo: string
  outTradeNo: string
  refundFee: number
  refundId: string
  functionName: string | null
  at: number
}

/** How the stand-in reaches a cloud function: what WeChat does when it delivers a payment callback. */
export type Invoke = (functionName: string, event: Record<string, unknown>) => Promise<unknown>

const OUT_NO = /^[0-9A-Za-z_\-|*@]{1,32}$/
const fail = (errCode: string, errCodeDes: string) => ({
  return_code: 'SUCCESS',
  return_msg: 'OK',
  result_code: 'FAIL',
  err_code: errCode,
  err_code_des: errCodeDes,
})

export class StandinPay {
  readonly orders = new Map<string, Order>()
  readonly refunds = new Map<string, Refund>()

  constructor(
    private readonly now: () => number,
    private readonly appid: string,
    private readonly mchId: string,
    public invoke: Invoke | null = null,
  ) {}

  /** No orders, no refunds (a fresh merchant account). */
  reset(): void {
    this.orders.clear()
    this.refunds.clear()
  }

  /** An API's answer: its fields, or (downloadBill) the bill's CSV text. */
  handle(apiName: string, p: Record<string, unknown>): Record<string, unknown> | string {
    if (apiName === 'downloadBill') return this.downloadBill(p)
    if (apiName === 'unifiedOrder') return this.unifiedOrder(p)
    if (apiName === 'queryOrder') return this.queryOrder(p)
    if (apiName === 'refund') return this.refund(p)
    if (apiName === 'closeOrder') return this.closeOrder(p)
    return { return_code: 'FAIL', return_msg: `unsupported api ${apiName}` }
  }

  private unifiedOrder(p: Record<string, unknown>): Record<string, unknown> {
    const outTradeNo = String(p.out_trade_no ?? '')
    const totalFee = p.total_fee
    if (!OUT_NO.test(outTradeNo)) return fail('PARAM_ERROR', 'out_trade_no 格式错误')
    if (typeof totalFee !== 'number' || !Number.isSafeInteger(totalFee) || totalFee < 1)
      return fail('PARAM_ERROR', 'total_fee 必须是正整数（分）')
    for (const field of ['body', 'sub_mch_id', 'env_id', 'function_name', 'nonce_str', 'spbill_create_ip'])
      if (typeof p[field] !== 'string' || p[field] === '') return fail('PARAM_ERROR', `缺少参数 ${field}`)
    if (p.trade_type !== 'JSAPI') return fail('PARAM_ERROR', 'trade_type 须为 JSAPI')
    const existing = this.orders.get(outTradeNo)
    if (existing) {
      if (existing.totalFee !== totalFee || existing.body !== p.body) return fail('INVALID_REQUEST', '商户订单号重复')
      if (existing.state === 'SUCCESS' || existing.state === 'REFUND') return fail('ORDERPAID', '该订单已支付')
      if (existing.state === 'CLOSED') return fail('ORDERCLOSED', '该订单已关闭')
      return this.prepayAnswer(existing, String(p.nonce_str))
    }
    const order: Order = {
      outTradeNo,
      body: String(p.body),
      totalFee,
      subMchId: String(p.sub_mch_id),
      envId: String(p.env_id),
      functionName: String(p.function_name),
      openid: typeof p.openid === 'string' ? p.openid : typeof p.sub_openid === 'string' ? p.sub_openid : null,
      prepayId: `wx${crypto.randomBytes(14).toString('hex')}`,
      state: 'NOTPAY',
      transactionId: null,
      createdAt: this.now(),
      paidAt: null,
      refundedFee: 0,
      deliveries: 0,
      acknowledged: false,
    }
    this.orders.set(outTradeNo, order)
    return this.prepayAnswer(order, String(p.nonce_str))
  }

  private prepayAnswer(order: Order, nonce: string): Record<string, unknown> {
    const timeStamp = String(Math.floor(this.now() / 1000))
    return {
      ...this.success(),
      sub_mch_id: order.subMchId,
      nonce_str: nonce,
      sign: crypto.createHash('md5').update(order.prepayId).digest('hex').toUpperCase(),
      trade_type: 'JSAPI',
      prepay_id: order.prepayId,
      // What wx.requestPayment takes.
      payment: {
        appId: this.appid,
        timeStamp,
        nonceStr: nonce,
        package: `prepay_id=${order.prepayId}`,
        signType: 'MD5',
        paySign: crypto.createHash('md5').update(`${order.prepayId}${timeStamp}`).digest('hex').toUpperCase(),
      },
    }
  }

  private queryOrder(p: Record<string, unknown>): Record<string, unknown> {
    const order =
      this.orders.get(String(p.out_trade_no ?? '')) ??
      [...this.orders.values()].find((o) => o.transactionId !== null && o.transactionId === p.transaction_id)
    if (!order) return fail('ORDERNOTEXIST', '此交易订单号不存在')
    return {
      ...this.success(),
      sub_mch_id: order.subMchId,
      trade_state: order.state,
      trade_state_desc: TRADE_STATE_DESC[order.state],
      out_trade_no: order.outTradeNo,
      total_fee: order.totalFee,
      cash_fee: order.state === 'NOTPAY' ? 0 : order.totalFee,
      ...(order.transactionId ? { transaction_id: order.transactionId } : {}),
      ...(order.paidAt ? { time_end: timeEnd(order.paidAt) } : {}),
      ...(order.openid ? { sub_openid: order.openid } : {}),
    }
  }

  private closeOrder(p: Record<string, unknown>): Record<string, unknown> {
    const order = this.orders.get(String(p.out_trade_no ?? ''))
    if (!order) return fail('ORDERNOTEXIST', '此交易订单号不存在')
    if (order.state === 'SUCCESS') return fail('ORDERPAID', '订单已支付，不能关闭')
    order.state = 'CLOSED'
    return { return_code: 'SUCCESS', return_msg: 'OK', result_code: 'SUCCESS' }
  }

  private refund(p: Record<string, unknown>): Record<string, unknown> {
    const outRefundNo = String(p.out_refund_no ?? '')
    if (!OUT_NO.test(outRefundNo)) return fail('PARAM_ERROR', 'out_refund_no 格式错误')
    const refundFee = p.refund_fee
    if (typeof refundFee !== 'number' || !Number.isSafeInteger(refundFee) || refundFee < 1)
      return fail('PARAM_ERROR', 'refund_fee 必须是正整数（分）')
    const previous = this.refunds.get(outRefundNo)
    if (previous) {
      if (previous.refundFee !== refundFee || previous.outTradeNo !== p.out_trade_no)
        return fail('INVALID_REQUEST', '退款单号重复')
      return this.refundAnswer(previous)
    }
    const order = this.orders.get(String(p.out_trade_no ?? ''))
    if (!order) return fail('ORDERNOTEXIST', '此交易订单号不存在')
    if (order.state !== 'SUCCESS' && order.state !== 'REFUND') return fail('TRADE_STATE_ERROR', '订单状态错误')
    if (p.total_fee !== order.totalFee) return fail('PARAM_ERROR', 'total_fee 与订单金额不一致')
    if (order.refundedFee + refundFee > order.totalFee) return fail('INVALID_REQUEST', '退款金额大于可退金额')
    order.refundedFee += refundFee
    order.state = 'REFUND'
    const refund: Refund = {
      outRefundNo,
      outTradeNo: order.outTradeNo,
      refundFee,
      refundId: `50${crypto.randomBytes(13).toString('hex')}`,
      functionName: typeof p.function_name === 'string' ? p.function_name : null,
      at: this.now(),
    }
    this.refunds.set(outRefundNo, refund)
    return this.refundAnswer(refund)
  }

  /**
   * The day's bill (bill_type ALL), as WeChat Pay writes it: a row per payment made and per refund
   * sent that China day, each field after a backtick, amounts in yuan, then the totals. A day
   * with none has no bill: "No Bill Exist".
   */
  private downloadBill(p: Record<string, unknown>): Record<string, unknown> | string {
    const date = typeof p.bill_date === 'string' ? /^(\d{4})(\d{2})(\d{2})$/.exec(p.bill_date) : null
    if (!date) return { return_code: 'FAIL', return_msg: 'invalid bill_date', error_code: '20003' }
    if (p.bill_type !== 'ALL') return { return_code: 'FAIL', return_msg: 'invalid bill_type', error_code: '20003' }
    if (typeof p.sub_mch_id !== 'string' || typeof p.nonce_str !== 'string')
      return { return_code: 'FAIL', return_msg: '缺少参数 sub_mch_id / nonce_str', error_code: '20003' }
    const day = `${date[1]}-${date[2]}-${date[3]}`
    const onDay = (ms: number) => chinaTime(ms).startsWith(day)
    const yuan = (fen: number) => `${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')}`
    const row = (o: Order, at: number, state: 'SUCCESS' | 'REFUND', r: Refund | null) =>
      [
        chinaTime(at),
        this.appid,
        this.mchId,
        o.subMchId,
        '',
        o.transactionId ?? '',
        o.outTradeNo,
        o.openid ?? '',
        'JSAPI',
        state,
        'OTHERS',
        'CNY',
        state === 'SUCCESS' ? yuan(o.totalFee) : '0.00',
        '0.00',
        r?.refundId ?? '0',
        r?.outRefundNo ?? '0',
        r ? yuan(r.refundFee) : '0.00',
        '0.00',
        r ? 'ORIGINAL' : '',
        r ? 'SUCCESS' : '',
        o.body,
        '',
        '0.00',
        '0.60%',
        yuan(o.totalFee),
        r ? yuan(r.refundFee) : '0.00',
        '',
      ].map((f) => `\`${f}`)
    const rows: string[][] = []
    for (const o of this.orders.values())
      if (o.paidAt !== null && o.transactionId !== null && onDay(o.paidAt)) rows.push(row(o, o.paidAt, 'SUCCESS', null))
    for (const r of this.refunds.values()) {
      const o = this.orders.get(r.outTradeNo)
      if (o && onDay(r.at)) rows.push(row(o, r.at, 'REFUND', r))
    }
    if (rows.length === 0) return { return_code: 'FAIL', return_msg: 'No Bill Exist', error_code: '20002' }
    const sum = (pick: (o: Order) => number) =>
      [...this.orders.values()].filter((o) => o.paidAt !== null && onDay(o.paidAt)).reduce((s, o) => s + pick(o), 0)
    const refunded = [...this.refunds.values()].filter((r) => onDay(r.at)).reduce((s, r) => s + r.refundFee, 0)
    return [
      BILL_HEADER,
      ...rows.map((r) => r.join(',')),
      '总交易单数,应结订单总金额,退款总金额,充值券退款总金额,手续费总金额,订单总金额,申请退款总金额',
      [
        rows.length,
        yuan(sum((o) => o.totalFee)),
        yuan(refunded),
        '0.00',
        '0.00',
        yuan(sum((o) => o.totalFee)),
        yuan(refunded),
      ]
        .map((f) => `\`${f}`)
        .join(','),
    ].join('\r\n')
  }

  /** What every successful answer starts with: the call and the business result succeeded, for this merchant. */
  private success(): Record<string, unknown> {
    return { return_code: 'SUCCESS', return_msg: 'OK', result_code: 'SUCCESS', appid: this.appid, mch_id: this.mchId }
  }

  private refundAnswer(r: Refund): Record<string, unknown> {
    return {
      ...this.success(),
      out_trade_no: r.outTradeNo,
      out_refund_no: r.outRefundNo,
      refund_id: r.refundId,
      refund_fee: r.refundFee,
    }
  }

  /**
   * The payer pays (or the payment fails): the order's state changes, and WeChat delivers the
   * callback to the order's function — `times` deliveries (more than one, as WeChat sometimes does),
   * each retried until the function answers { errcode: 0 } or `retries` run out.
   */
  async pay(
    outTradeNo: string,
    opts: { result?: 'SUCCESS' | 'FAIL'; times?: number; retries?: number } = {},
  ): Promise<{ order: Order; answers: unknown[] } | null> {
    const order = this.orders.get(outTradeNo)
    if (!order) return null
    if (order.state === 'NOTPAY') {
      if ((opts.result ?? 'SUCCESS') === 'SUCCESS') {
        order.state = 'SUCCESS'
        order.paidAt = this.now()
        order.transactionId = `42${crypto.randomBytes(13).toString('hex')}`
      } else order.state = 'PAYERROR'
    }
    return { order, answers: await this.deliver(order, opts.times ?? 1, opts.retries ?? 3) }
  }

  /** WeChat delivers the order's callback again (a later retry of an unacknowledged one, or a duplicate). */
  async deliver(order: Order, times = 1, retries = 3): Promise<unknown[]> {
    const answers: unknown[] = []
    // Only a payment that happened (or failed) is called back: never an unpaid or a closed order.
    if (!this.invoke || order.state === 'NOTPAY' || order.state === 'CLOSED') return answers
    for (let i = 0; i < times; i++) {
      for (let attempt = 0; attempt <= retries; attempt++) {
        order.deliveries++
        let answer: unknown
        try {
          answer = await this.invoke(order.functionName, this.callbackEvent(order))
        } catch (error) {
          answer = { error: error instanceof Error ? error.message : String(error) }
        }
        answers.push(answer)
        if ((answer as { errcode?: unknown } | null)?.errcode === 0) {
          order.acknowledged = true
          break
        }
      }
    }
    return answers
  }

  /** What the callback function receives (cloud pay delivers it camelCased, as the SDK answers are). */
  callbackEvent(order: Order): Record<string, unknown> {
    return {
      returnCode: 'SUCCESS',
      appid: this.appid,
      mchId: this.mchId,
      subMchId: order.subMchId,
      nonceStr: crypto.randomBytes(8).toString('hex'),
      resultCode: order.state === 'PAYERROR' ? 'FAIL' : 'SUCCESS',
      ...(order.openid ? { openid: order.openid, subOpenid: order.openid } : {}),
      isSubscribe: 'N',
      tradeType: 'JSAPI',
      bankType: 'OTHERS',
      totalFee: order.totalFee,
      feeType: 'CNY',
      cashFee: order.totalFee,
      outTradeNo: order.outTradeNo,
      ...(order.transactionId ? { transactionId: order.transactionId } : {}),
      ...(order.paidAt ? { timeEnd: timeEnd(order.paidAt) } : {}),
      ...(order.openid ? { userInfo: { appId: this.appid, openId: order.openid } } : {}),
    }
  }
}

const TRADE_STATE_DESC: Record<TradeState, string> = {
  NOTPAY: '订单未支付',
  SUCCESS: '支付成功',
  REFUND: '转入退款',
  CLOSED: '已关闭',
  PAYERROR: '支付失败',
}

/** The bill's columns (服务商 ALL bill). */
const BILL_HEADER =
  '交易时间,公众账号ID,商户号,特约商户号,设备号,微信订单号,商户订单号,用户标识,交易类型,交易状态,付款银行,货币种类,应结订单金额,代金券金额,微信退款单号,商户退款单号,退款金额,充值券退款金额,退款类型,退款状态,商品名称,商户数据包,手续费,费率,订单金额,申请退款金额,费率备注'

/** yyyy-MM-dd HH:mm:ss in China time, as the bill writes 交易时间. */
function chinaTime(ms: number): string {
  const t = timeEnd(ms)
  return `${t.slice(0, 4)}-${t.slice(4, 6)}-${t.slice(6, 8)} ${t.slice(8, 10)}:${t.slice(10, 12)}:${t.slice(12, 14)}`
}

/** yyyyMMddHHmmss in China time, as WeChat Pay writes time_end. */
function timeEnd(ms: number): string {
  const d = new Date(ms + 8 * 3_600_000)
  const p = (n: number) => String(n).padStart(2, '0')
  return `${d.getUTCFullYear()}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}`
}
