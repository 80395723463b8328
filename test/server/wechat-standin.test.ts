/**
 * The stand-in of WeChat Cloud's protocol, driven by the real wx-server-sdk: CloudBase's documented
 * database semantics, transactions, cloud pay with its callbacks, storage, and the call record.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { startStandin } from '../../server/wechat-standin/server'
import { WechatPayments, parseWechatBill } from '../../server/wechat/payments'
import { standinSdk } from '../support/wechat-sdk'

let env: Awaited<ReturnType<typeof standinSdk>>
let clock = 1_796_140_800_000
const invoked: Array<{ fn: string; event: Record<string, unknown> }> = []
let callbackAnswers: unknown[] = []
beforeAll(async () => {
  env = await standinSdk({
    now: () => clock,
    invoke: async (fn, event) => {
      invoked.push({ fn, event })
      const answer = callbackAnswers.length ? callbackAnswers.shift() : { errcode: 0, errmsg: 'OK' }
      if (answer instanceof Error) throw answer
      return answer
    },
  })
})
afterAll(() => env.standin.close())
beforeEach(() => {
  env.fresh(['docs'])
  invoked.length = 0
  callbackAnswers = []
})

// The SDK's types are its callback-or-promise overloads; the tests read what the promises resolve to.
const db = (): any => env.cloud.database({ throwOnNotFound: false } as never)

describe('the database, as CloudBase documents it', () => {
  async function fill(n: number) {
    const docs = Array.from({ length: n }, (_, i) => ({
      _id: `d${String(i).padStart(4, '0')}`,
      n: i,
      kind: i % 2 ? 'odd' : 'even',
    }))
    for (let i = 0; i < docs.length; i += 100)
      await db()
        .collection('docs')
        .add({ data: docs.slice(i, i + 100) })
  }

  it('a query returns 100 documents unless it asks for more, and never more than 1,000', async () => {
    await fill(1_200)
    expect((await db().collection('docs').get()).data).toHaveLength(100)
    expect((await db().collection('docs').limit(1000).get()).data).toHaveLength(1000)
    // The SDK caps what it asks at 1,000; the database caps what it answers too.
    const res = await fetch(env.standin.serviceUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ action: 'database.getDocument', collectionName: 'docs', queryType: 'WHERE', limit: 5000 }),
    })
    expect(((await res.json()) as { data: { list: unknown[] } }).data.list).toHaveLength(1000)
  })

  it('_id is unique; a where-update changes every match (multi), a doc-update one; count counts', async () => {
    await fill(10)
    await expect(
      db()
        .collection('docs')
        .add({ data: { _id: 'd0000', n: -1 } }),
    ).rejects.toMatchObject({ errCode: -502001 })
    const _ = db().command
    expect(
      (
        await db()
          .collection('docs')
          .where({ kind: 'odd' })
          .update({ data: { flag: true } })
      ).stats.updated,
    ).toBe(5)
    expect(
      (
        await db()
          .collection('docs')
          .doc('d0000')
          .update({ data: { n: _.inc(100) } })
      ).stats.updated,
    ).toBe(1)
    expect((await db().collection('docs').where({ flag: true }).count()).total).toBe(5)
    expect((await db().collection('docs').doc('d0000').get()).data).toMatchObject({ n: 100, kind: 'even' })
  })

  it('set replaces a document (nothing of the old one stays) and creates it when missing', async () => {
    await db()
      .collection('docs')
      .add({ data: { _id: 'a', keep: 1, old: true } })
    expect(
      (
        await db()
          .collection('docs')
          .doc('a')
          .set({ data: { keep: 2 } })
      ).stats,
    ).toEqual({ updated: 1, created: 0 })
    expect((await db().collection('docs').doc('a').get()).data).toEqual({ _id: 'a', keep: 2 })
    expect(
      (
        await db()
          .collection('docs')
          .doc('b')
          .set({ data: { keep: 3 } })
      ).stats,
    ).toEqual({ updated: 0, created: 1 })
  })

  it('dates and server dates come back as dates', async () => {
    await db()
      .collection('docs')
      .add({ data: { _id: 'when', at: new Date(1_000), stamped: db().serverDate() } })
    const doc = (await db().collection('docs').doc('when').get()).data as { at: Date; stamped: Date }
    expect(doc.at).toEqual(new Date(1_000))
    expect(doc.stamped).toEqual(new Date(clock))
  })
})

describe('updates as the database applies them', () => {
  it('counts the documents an update changed, not those it matched', async () => {
    await db()
      .collection('docs')
      .add({ data: { _id: 'same', n: 1 } })
    const res = await db()
      .collection('docs')
      .where({ _id: 'same' })
      .update({ data: { n: 1 } })
    expect(res.stats).toEqual({ updated: 0 })
  })

  it('refuses an operator on a field of the wrong type, and writes none of the matches', async () => {
    const _ = db().command
    await db()
      .collection('docs')
      .add({ data: { _id: 'num', kind: 'k', n: 1, tags: [] } })
    await db()
      .collection('docs')
      .add({ data: { _id: 'str', kind: 'k', n: 'one', tags: 'none' } })
    await expect(
      db()
        .collection('docs')
        .where({ kind: 'k' })
        .update({ data: { n: _.inc(1) } }),
    ).rejects.toThrow(/Cannot apply \$inc to n/)
    await expect(
      db()
        .collection('docs')
        .where({ _id: 'str' })
        .update({ data: { tags: _.push(['x']) } }),
    ).rejects.toThrow(/Cannot apply \$push to tags/)
    expect((await db().collection('docs').doc('num').get()).data.n).toBe(1)
  })

  it('a negative limit or offset is refused, not read as a page from the end', async () => {
    const request = (extra: Record<string, unknown>) =>
      env.standin.db.handle({
        action: 'database.getDocument',
        collectionName: 'docs',
        queryType: 'WHERE',
        ...extra,
      } as never)
    expect(request({ limit: -1 })).toMatchObject({ code: 'INVALID_PARAM' })
    expect(request({ offset: -1 })).toMatchObject({ code: 'INVALID_PARAM' })
    expect(request({ limit: 1.5 })).toMatchObject({ code: 'INVALID_PARAM' })
  })
})

describe('transactions', () => {
  it('adds a document (its _id from the data), sees its own insert, and a rollback leaves nothing', async () => {
    await db().runTransaction(async (t: any) => {
      await t.collection('docs').add({ data: { _id: 'new', n: 1 } })
      expect((await t.collection('docs').doc('new').get()).data).toMatchObject({ n: 1 })
      await t
        .collection('docs')
        .doc('new')
        .update({ data: { n: 2 } })
    })
    expect((await db().collection('docs').doc('new').get()).data).toEqual({ _id: 'new', n: 2 })
    const tx = await db().startTransaction()
    await tx.collection('docs').add({ data: { _id: 'gone', n: 1 } })
    await tx.rollback()
    expect((await db().collection('docs').doc('gone').get()).data).toBeNull()
    // A duplicate _id inside a transaction is refused like outside one.
    await expect(
      db().runTransaction(async (t: any) => {
        await t.collection('docs').add({ data: { _id: 'new', n: 9 } })
      }),
    ).rejects.toThrow(/duplicate key/)
  })

  it('an abandoned transaction expires after 30 s: using it then is refused and commits nothing', async () => {
    const tx = await db().startTransaction()
    await tx
      .collection('docs')
      .doc('late')
      .set({ data: { n: 1 } })
    clock += 30_001
    await expect(tx.commit()).rejects.toThrow(/expired/)
    expect((await db().collection('docs').doc('late').get()).data).toBeNull()
  })

  it('reads and writes by id, all or nothing; a callback that throws changes nothing', async () => {
    await db()
      .collection('docs')
      .add({
        data: [
          { _id: 'from', fen: 500 },
          { _id: 'to', fen: 0 },
        ],
      })
    const move = (fen: number) =>
      db().runTransaction(async (t: any) => {
        const from = (await t.collection('docs').doc('from').get()).data
        if (from.fen < fen) throw new Error('INSUFFICIENT')
        await t
          .collection('docs')
          .doc('from')
          .update({ data: { fen: from.fen - fen } })
        const to = (await t.collection('docs').doc('to').get()).data
        await t
          .collection('docs')
          .doc('to')
          .update({ data: { fen: to.fen + fen } })
      })
    await move(200)
    await expect(move(400)).rejects.toThrow('INSUFFICIENT')
    const fen = async (id: string) => ((await db().collection('docs').doc(id).get()).data as { fen: number }).fen
    expect([await fen('from'), await fen('to')]).toEqual([300, 200])
    expect(env.standin.calls.filter((c) => c.action === 'database.abortTransaction')).toHaveLength(1)
  })

  it('a document changed by someone else during the transaction makes the commit a conflict; the SDK runs it again', async () => {
    await db()
      .collection('docs')
      .add({ data: { _id: 'n', v: 0 } })
    let runs = 0
    await db().runTransaction(async (t: any) => {
      runs++
      const doc = (await t.collection('docs').doc('n').get()).data
      // Outside the transaction, once: another writer gets in between the read and the commit.
      if (runs === 1)
        await db()
          .collection('docs')
          .doc('n')
          .update({ data: { v: 10 } })
      await t
        .collection('docs')
        .doc('n')
        .update({ data: { v: doc.v + 1 } })
    })
    expect(runs).toBe(2)
    expect((await db().collection('docs').doc('n').get()).data).toMatchObject({ v: 11 })
    expect(env.standin.calls.filter((c) => c.code === 'DATABASE_TRANSACTION_CONFLICT')).toHaveLength(1)
  })

  it('a transaction works on documents by id only', async () => {
    const tx = await db().startTransaction()
    await expect(tx.collection('docs').where({ kind: 'x' }).get()).rejects.toThrow(/by _id only/)
    await tx.rollback()
  })
})

describe('cloud pay', () => {
  const order = {
    body: '开通 还款',
    outTradeNo: 'R20261201001',
    spbillCreateIp: '127.0.0.1',
    subMchId: '1900000109',
    totalFee: 10_350,
    envId: 'kaitong-standin',
    functionName: 'payments',
    nonceStr: 'n1',
    tradeType: 'JSAPI',
  }
  const pay = () => (env.cloud as any).cloudPay

  it('an order gives what wx.requestPayment takes; paying it calls back the order’s function, once acknowledged', async () => {
    const o = await pay().unifiedOrder(order)
    expect(o).toMatchObject({
      returnCode: 'SUCCESS',
      resultCode: 'SUCCESS',
      payment: { package: expect.stringMatching(/^prepay_id=/) },
    })
    expect(
      (await pay().queryOrder({ subMchId: order.subMchId, outTradeNo: order.outTradeNo, nonceStr: 'q' })).tradeState,
    ).toBe('NOTPAY')
    expect(invoked).toEqual([])
    await env.standin.pay.pay(order.outTradeNo)
    expect(invoked).toEqual([
      {
        fn: 'payments',
        event: expect.objectContaining({ outTradeNo: order.outTradeNo, totalFee: 10_350, resultCode: 'SUCCESS' }),
      },
    ])
    expect(
      (await pay().queryOrder({ subMchId: order.subMchId, outTradeNo: order.outTradeNo, nonceStr: 'q' })).tradeState,
    ).toBe('SUCCESS')
  })

  it('the same order number again answers the same prepay id; a different amount under it is refused', async () => {
    const a = await pay().unifiedOrder(order)
    expect(a.prepayId).toMatch(/^wx/)
    expect((await pay().unifiedOrder(order)).prepayId).toBe(a.prepayId)
    expect(await pay().unifiedOrder({ ...order, totalFee: 1 })).toMatchObject({
      resultCode: 'FAIL',
      errCodeDes: '商户订单号重复',
    })
  })

  it('a callback the function does not acknowledge is delivered again; WeChat may also deliver twice', async () => {
    await pay().unifiedOrder(order)
    callbackAnswers = [{ errcode: -1 }, new Error('function crashed') as never, { errcode: 0 }]
    await env.standin.pay.pay(order.outTradeNo, { retries: 5 })
    expect(invoked).toHaveLength(3)
    invoked.length = 0
    await env.standin.pay.deliver(env.standin.pay.orders.get(order.outTradeNo)!, 2)
    expect(invoked.map((i) => i.event.transactionId)).toEqual([expect.any(String), invoked[0].event.transactionId])
  })

  it('a closed order is never paid or called back, and its number is not reused; a paid one cannot be closed', async () => {
    await pay().unifiedOrder(order)
    expect(
      await pay().closeOrder({ subMchId: order.subMchId, outTradeNo: order.outTradeNo, nonceStr: 'c' }),
    ).toMatchObject({
      resultCode: 'SUCCESS',
    })
    await env.standin.pay.pay(order.outTradeNo)
    expect(invoked).toEqual([])
    // The SDK's own errCode (0: the call went through) overwrites WeChat Pay's err_code in its camelCased
    // answer, so a caller tells the business errors apart by errCodeDes (the adapter of the money issue must).
    expect(await pay().unifiedOrder(order)).toMatchObject({
      resultCode: 'FAIL',
      errCode: 0,
      errCodeDes: '该订单已关闭',
    })
    const other = { ...order, outTradeNo: 'R20261201002' }
    await pay().unifiedOrder(other)
    await env.standin.pay.pay(other.outTradeNo)
    expect(
      await pay().closeOrder({ subMchId: order.subMchId, outTradeNo: other.outTradeNo, nonceStr: 'c' }),
    ).toMatchObject({
      resultCode: 'FAIL',
      errCodeDes: '订单已支付，不能关闭',
    })
  })

  it('a failed payment is called back as FAIL, with no transaction', async () => {
    await pay().unifiedOrder(order)
    await env.standin.pay.pay(order.outTradeNo, { result: 'FAIL' })
    expect(invoked).toHaveLength(1)
    expect(invoked[0].event).toMatchObject({ resultCode: 'FAIL', outTradeNo: order.outTradeNo })
    expect(invoked[0].event.transactionId).toBeUndefined()
    expect(
      (await pay().queryOrder({ subMchId: order.subMchId, outTradeNo: order.outTradeNo, nonceStr: 'q' })).tradeState,
    ).toBe('PAYERROR')
  })

  it('a refund is once per refund number, never more than was paid', async () => {
    await pay().unifiedOrder(order)
    await env.standin.pay.pay(order.outTradeNo)
    const refund = {
      subMchId: order.subMchId,
      outTradeNo: order.outTradeNo,
      outRefundNo: 'RF1',
      totalFee: 10_350,
      refundFee: 10_000,
      nonceStr: 'r',
    }
    const first = await pay().refund(refund)
    expect(first).toMatchObject({ resultCode: 'SUCCESS', refundFee: 10_000 })
    expect((await pay().refund(refund)).refundId).toBe(first.refundId)
    expect(await pay().refund({ ...refund, outRefundNo: 'RF2', refundFee: 351 })).toMatchObject({ resultCode: 'FAIL' })
    expect(await pay().refund({ ...refund, outRefundNo: 'RF2', refundFee: 350 })).toMatchObject({
      resultCode: 'SUCCESS',
    })
  })

  it('the day’s bill (downloadBill) comes through the SDK as CSV text: a payment on the day it was paid, a refund on the day it was sent; a day with none has no bill', async () => {
    const adapter = new WechatPayments(pay, {
      subMchId: order.subMchId,
      envId: 'kaitong-standin',
      callbackFunction: 'payments',
    })
    await pay().unifiedOrder(order)
    await env.standin.pay.pay(order.outTradeNo)
    // The bill writes time to the second.
    const paidAt = Math.floor(clock / 1000) * 1000
    // A second order, body with a comma in it (the bill's backticks keep the columns apart).
    const other = { ...order, outTradeNo: 'R20261201003', body: '开通, 还款', totalFee: 1 }
    await pay().unifiedOrder(other)
    await env.standin.pay.pay(other.outTradeNo)
    const raw = await pay().downloadBill({
      subMchId: order.subMchId,
      billDate: '20261202',
      billType: 'ALL',
      nonceStr: 'b',
    })
    expect(typeof raw.data).toBe('string')
    expect(raw.data.split('\r\n')[1]).toMatch(/^`2026-12-02 \d\d:\d\d:\d\d,`wxstandin/)
    expect(await adapter.statement('2026-12-02')).toEqual([
      {
        outTradeNo: order.outTradeNo,
        transactionId: expect.stringMatching(/^42/),
        receivedFen: 10_350,
        refundedFen: 0,
        paidAt,
      },
      {
        outTradeNo: other.outTradeNo,
        transactionId: expect.stringMatching(/^42/),
        receivedFen: 1,
        refundedFen: 0,
        paidAt,
      },
    ])
    // The next day: part of the first sent back; it is on that day's bill, not the day it was paid.
    clock += 86_400_000
    try {
      const r = await pay().refund({
        subMchId: order.subMchId,
        outTradeNo: order.outTradeNo,
        outRefundNo: 'RF9',
        totalFee: 10_350,
        refundFee: 350,
        nonceStr: 'r',
      })
      expect(r).toMatchObject({ resultCode: 'SUCCESS' })
      expect(await adapter.statement('2026-12-03')).toEqual([
        {
          outTradeNo: order.outTradeNo,
          transactionId: expect.any(String),
          receivedFen: 0,
          refundedFen: 350,
          paidAt: Math.floor(clock / 1000) * 1000,
        },
      ])
      expect((await adapter.statement('2026-12-02')).map((l) => l.refundedFen)).toEqual([0, 0])
      expect(await adapter.statement('2020-01-01')).toEqual([])
    } finally {
      clock -= 86_400_000
    }
  })
})

describe('WeChat Pay’s bill, read as WeChat writes it', () => {
  const header =
    '交易时间,公众账号ID,商户号,特约商户号,设备号,微信订单号,商户订单号,用户标识,交易类型,交易状态,付款银行,货币种类,应结订单金额,代金券金额,微信退款单号,商户退款单号,退款金额,充值券退款金额,退款类型,退款状态,商品名称,商户数据包,手续费,费率,订单金额,申请退款金额,费率备注'
  const row = (state: string, no: string, total: string, refund: string) =>
    `\`2026-12-02 10:00:00,\`wx1,\`1900000109,\`1,\`,\`4200001,\`${no},\`o,\`JSAPI,\`${state},\`OTHERS,\`CNY,\`${total},\`0.00,\`0,\`0,\`${refund},\`0.00,\`,\`,\`还款,\`,\`0.00,\`0.60%,\`${total},\`${refund},\``
  const totals = (n: number, refunds = '0.00') =>
    `总交易单数,应结订单总金额,退款总金额,充值券退款总金额,手续费总金额,订单总金额,申请退款总金额\n\`${n},\`0,\`0,\`0,\`0,\`0,\`${refunds}`

  it('amounts in yuan become whole fen exactly; a payment and its refund on one day are one line', () => {
    const bill = [
      header,
      row('SUCCESS', 'pay_a', '0.07', '0.00'),
      row('SUCCESS', 'pay_b', '12345.6', '0.00'),
      row('REFUND', 'pay_b', '0.00', '0.10'),
      totals(3, '0.10'),
    ].join('\n')
    expect(parseWechatBill(bill)).toEqual([
      {
        outTradeNo: 'pay_a',
        transactionId: '4200001',
        receivedFen: 7,
        refundedFen: 0,
        paidAt: Date.UTC(2026, 11, 2, 2),
      },
      {
        outTradeNo: 'pay_b',
        transactionId: '4200001',
        receivedFen: 1_234_560,
        refundedFen: 10,
        paidAt: Date.UTC(2026, 11, 2, 2),
      },
    ])
  })

  it('a truncated bill, an amount it cannot read or a state it does not know is refused, never half read', () => {
    const ok1 = row('SUCCESS', 'pay_a', '1.00', '0.00')
    expect(() => parseWechatBill([header, ok1, totals(2)].join('\n'))).toThrow(/says 2 rows and has 1/)
    // Cut short: the totals are gone (a cut inside a row leaves it with fewer fields).
    expect(() => parseWechatBill([header, ok1, row('SUCCESS', 'pay_b', '1.00', '0.00')].join('\n'))).toThrow(
      /no totals/,
    )
    expect(() => parseWechatBill([header, ok1, ok1.slice(0, 40), totals(2)].join('\n'))).toThrow(/fields under/)
    expect(() => parseWechatBill([header, row('SUCCESS', 'pay_a', '1.005', '0.00'), totals(1)].join('\n'))).toThrow(
      /not an amount/,
    )
    expect(() => parseWechatBill([header, row('REVOKED', 'pay_a', '1.00', '0.00'), totals(1)].join('\n'))).toThrow(
      /unknown 交易状态/,
    )
    expect(() => parseWechatBill('a,b,c\n')).toThrow(/columns/)
  })

  it('refund rows count by their 退款状态 and must add up to the bill’s own refund total', () => {
    const refund = (status: string, fen: string) =>
      row('REFUND', 'pay_b', '0.00', fen).replace('`,`,`还款', `\`ORIGINAL,\`${status},\`还款`)
    const withTotal = (rows: string[], refunds: string) =>
      [
        header,
        ...rows,
        `总交易单数,应结订单总金额,退款总金额,充值券退款总金额,手续费总金额,订单总金额,申请退款总金额\n\`${rows.length},\`0,\`0,\`0,\`0,\`0,\`${refunds}`,
      ].join('\n')
    // A refund WeChat closed returned nothing: the books' refund will show as a difference.
    expect(parseWechatBill(withTotal([refund('SUCCESS', '0.10'), refund('REFUNDCLOSE', '0.20')], '0.30'))).toEqual([
      expect.objectContaining({ outTradeNo: 'pay_b', receivedFen: 0, refundedFen: 10 }),
    ])
    expect(() => parseWechatBill(withTotal([refund('SUCCESS', '0.10')], '0.30'))).toThrow(/add up to 10 fen/)
  })
})

describe('storage', () => {
  it('upload, then download through a temporary URL that expires', async () => {
    const up = await env.cloud.uploadFile({
      cloudPath: 'contracts/L1 合同.pdf',
      fileContent: Buffer.from('%PDF-1.7 x'),
    })
    expect(up.fileID).toMatch(/^cloud:\/\/kaitong-standin\./)
    expect((await env.cloud.downloadFile({ fileID: up.fileID })).fileContent.toString()).toBe('%PDF-1.7 x')
    const temp = (await env.cloud.getTempFileURL({ fileList: [{ fileID: up.fileID, maxAge: 60 }] })) as unknown as {
      fileList: Array<{ tempFileURL: string }>
    }
    const url = temp.fileList[0].tempFileURL
    expect((await fetch(encodeURI(url))).status).toBe(200)
    clock += 61_000
    expect((await fetch(encodeURI(url))).status).toBe(403)
    await env.cloud.deleteFile({ fileList: [up.fileID] })
    await expect(env.cloud.downloadFile({ fileID: up.fileID })).rejects.toThrow(/not exist/)
  })
})

describe('the stand-in itself', () => {
  it('lists every call it served over HTTP, with what the SDK sent decoded', async () => {
    await db()
      .collection('docs')
      .add({ data: { _id: 'x', n: 1 } })
    const res = await fetch(`${env.standin.url}/__standin/calls`)
    const { calls } = (await res.json()) as { calls: Array<{ action: string; request: Record<string, unknown> }> }
    expect(calls.at(-1)).toMatchObject({
      action: 'database.insertDocument',
      request: { collectionName: 'docs', data: [{ _id: 'x', n: 1 }] },
    })
  })

  it('keeps its database and files between runs when given a folder', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kt-standin-'))
    const first = await startStandin({ dataDir: dir })
    first.deploy(['kept'])
    first.db.handle({
      action: 'database.insertDocument',
      collectionName: 'kept',
      data: ['{"_id":"k","n":{"$numberInt":"1"}}'],
    })
    await first.close()
    const second = await startStandin({ dataDir: dir })
    expect(second.db.documents('kept')).toEqual([{ _id: 'k', n: 1 }])
    await second.close()
  })

  it('its journal replays updates and removals, compacts on start, and ignores a write torn by a crash', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kt-standin-'))
    const file = path.join(dir, 'standin-db.jsonl')
    const first = await startStandin({ dataDir: dir })
    first.deploy(['kept'])
    const insert = (id: string) =>
      first.db.handle({ action: 'database.insertDocument', collectionName: 'kept', data: [`{"_id":"${id}","n":1}`] })
    for (const id of ['a', 'b', 'c']) insert(id)
    first.db.handle({
      action: 'database.modifyDocument',
      collectionName: 'kept',
      queryType: 'WHERE',
      query: '{"_id":"a"}',
      data: '{"$set":{"n":2}}',
      multi: true,
      merge: true,
    } as never)
    first.db.handle({
      action: 'database.removeDocument',
      collectionName: 'kept',
      queryType: 'WHERE',
      query: '{"_id":"b"}',
      multi: true,
    } as never)
    await first.close()
    expect(fs.readFileSync(file, 'utf8').trim().split('\n')).toHaveLength(6)
    // kill -9 in the middle of an append: half a line that no caller was ever answered for.
    fs.appendFileSync(file, '[{"c":"kept","id":"d","doc":{"_id":"d","n":')
    const second = await startStandin({ dataDir: dir })
    const byId = (docs: Array<Record<string, unknown>>) =>
      [...docs].sort((x, y) => String(x._id).localeCompare(String(y._id)))
    expect(byId(second.db.documents('kept'))).toEqual([
      { _id: 'a', n: 2 },
      { _id: 'c', n: 1 },
    ])
    // Compacted: the collection and one line per document.
    expect(fs.readFileSync(file, 'utf8').trim().split('\n')).toHaveLength(3)
    await second.close()
  })

  it('a damaged line in the middle of its journal stops the start instead of being compacted away', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kt-standin-'))
    fs.writeFileSync(path.join(dir, 'standin-db.jsonl'), '[{"create":"kept"}]\n[{"c":"kept","id":\n[{"create":"x"}]\n')
    await expect(startStandin({ dataDir: dir })).rejects.toThrow(/line 2 is not EJSON/)
  })
})
