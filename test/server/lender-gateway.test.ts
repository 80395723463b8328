/**
 * The lender gateway's protocol. Regression (review): requests were signed but carried no time or
 * nonce (replayable), and answers were trusted on TLS alone — now the pay-score assessment rests on
 * one. Requests are signed over timestamp, nonce and body; answers over the request's timestamp and
 * nonce and their own body.
 */
import crypto from 'node:crypto'
import type { HttpsJsonRequest, HttpsJsonResponse } from '../../server/wechat/https'
import { GatewayCardDebits, GatewayPayouts, LenderGateway, gatewaySignature } from '../../server/wechat/lender-gateway'

const KEY = 'gateway-shared-secret'
const NOW = 1_796_000_000_000
const subject = { openid: 'o_user', idHash: 'h'.repeat(64), name: '张三', idNumber: '110101199003074514' }

/** A gateway that checks each request and answers `json`, signed — or as `tamper` says. */
function gateway(json: unknown, tamper?: (res: HttpsJsonResponse, req: HttpsJsonRequest) => HttpsJsonResponse) {
  const sent: Array<{ path: string; body: Record<string, unknown>; valid: boolean }> = []
  const send = async (req: HttpsJsonRequest): Promise<HttpsJsonResponse> => {
    const h = req.headers!
    sent.push({
      path: new URL(req.url).pathname,
      body: JSON.parse(req.body!) as Record<string, unknown>,
      valid:
        h['x-kaitong-signature'] === gatewaySignature(KEY, h['x-kaitong-timestamp'], h['x-kaitong-nonce'], req.body!),
    })
    const text = JSON.stringify(json)
    const res = {
      status: 200,
      json,
      text,
      headers: { 'X-Kaitong-Signature': gatewaySignature(KEY, h['x-kaitong-timestamp'], h['x-kaitong-nonce'], text) },
    }
    return tamper ? tamper(res, req) : res
  }
  return { gw: new LenderGateway({ baseUrl: 'https://gw.lender.example/', signingKey: KEY }, () => NOW, send), sent }
}

describe('the lender gateway', () => {
  it('signs each request over its timestamp, nonce and body, and accepts an answer signed for that request', async () => {
    const { gw, sent } = gateway({ meetsThreshold: true })
    expect(await gw.assessPayScore(subject, 600)).toBe(true)
    expect(sent).toEqual([
      {
        path: '/payscore/assessment',
        body: { openid: 'o_user', subjectHash: subject.idHash, threshold: 600 },
        valid: true,
      },
    ])
  })

  it('the bureau is sent the legal name and ID; the pay-score assessment never is', async () => {
    const { gw, sent } = gateway({ recorded: true })
    await gw.hardInquiry(subject, { consentId: 'cq_1', purpose: 'consumption' }, NOW)
    expect(sent[0].body).toMatchObject({ name: '张三', idNumber: subject.idNumber, subjectHash: subject.idHash })
    const assess = gateway({ meetsThreshold: false })
    await assess.gw.assessPayScore(subject, 600)
    expect(JSON.stringify(assess.sent[0].body)).not.toContain(subject.idNumber)
    expect(JSON.stringify(assess.sent[0].body)).not.toContain('张三')
  })

  it.each([
    ['unsigned', (res: HttpsJsonResponse) => ({ ...res, headers: {} })],
    [
      'changed after signing',
      (res: HttpsJsonResponse) => ({ ...res, json: { meetsThreshold: true }, text: '{"meetsThreshold":true}' }),
    ],
    [
      'signed for another request (replayed)',
      (res: HttpsJsonResponse) => ({
        ...res,
        headers: {
          'x-kaitong-signature': gatewaySignature(KEY, '1796000000', crypto.randomBytes(16).toString('hex'), res.text!),
        },
      }),
    ],
    [
      'signed with another key',
      (res: HttpsJsonResponse, req: HttpsJsonRequest) => ({
        ...res,
        headers: {
          'x-kaitong-signature': gatewaySignature(
            'other',
            req.headers!['x-kaitong-timestamp'],
            req.headers!['x-kaitong-nonce'],
            res.text!,
          ),
        },
      }),
    ],
  ])('an answer %s is refused', async (_what, tamper) => {
    const { gw } = gateway({ meetsThreshold: false }, tamper)
    await expect(gw.assessPayScore(subject, 600)).rejects.toThrow(/answer signature missing or wrong/)
  })

  it('each request gets its own nonce and the current time', async () => {
    const seen: Array<Record<string, string>> = []
    const { gw } = gateway({ meetsThreshold: true }, (res, req) => (seen.push(req.headers!), res))
    await gw.assessPayScore(subject, 600)
    await gw.assessPayScore(subject, 600)
    expect(seen[0]['x-kaitong-timestamp']).toBe(String(NOW / 1000))
    expect(seen[0]['x-kaitong-nonce']).not.toBe(seen[1]['x-kaitong-nonce'])
  })

  it('payouts and card debits: signed requests naming the card by its binding token, answers read and checked', async () => {
    const card = { cardToken: 't'.repeat(64), last4: '1234', subjectHash: subject.idHash }
    const sentPayout = gateway({ accepted: true })
    const payouts = new GatewayPayouts(sentPayout.gw)
    expect(await payouts.send({ payoutId: 'po_1', loanId: 'L_1', amountFen: 100_000, ...card })).toEqual({ ok: true })
    expect(sentPayout.sent[0]).toMatchObject({ path: '/payouts/send', valid: true })

    const debitSent = gateway({ accepted: false, detail: 'NO_MANDATE' })
    const debits = new GatewayCardDebits(debitSent.gw)
    const ask = { debitId: 'ad_1', loanId: 'L_1', amountFen: 19_187, openid: 'o_user', ...card }
    expect(await debits.send(ask)).toEqual({ ok: false, detail: 'NO_MANDATE' })
    expect(debitSent.sent).toEqual([{ path: '/debits/send', body: ask, valid: true }])
    // No card number anywhere in what is sent: the binding's token and last four only.
    expect(JSON.stringify(debitSent.sent)).not.toMatch(/\d{12,}/)

    const answer = { found: true, state: 'SUCCESS', amountFen: 19_187, reference: 'gw123', at: NOW, failure: null }
    const taken = gateway(answer)
    expect(await new GatewayCardDebits(taken.gw).query('ad_1')).toEqual(answer)
    expect(taken.sent[0]).toMatchObject({ path: '/debits/query', body: { debitId: 'ad_1' } })
    expect(await new GatewayCardDebits(gateway({ found: false }).gw).query('ad_2')).toEqual({ found: false })
    // A malformed answer (a fractional amount) is refused, never trusted.
    await expect(
      new GatewayCardDebits(gateway({ found: true, state: 'SUCCESS', amountFen: 1.5 }).gw).query('ad_3'),
    ).rejects.toThrow(/bad answer at amountFen/)
    // An answer not signed for this request is refused.
    const forged = gateway({ accepted: true }, (res) => ({
      ...res,
      headers: { 'X-Kaitong-Signature': 'f'.repeat(64) },
    }))
    await expect(
      new GatewayCardDebits(forged.gw).refund({ debitId: 'ad_1', refundId: 'ad_1R1', amountFen: 1 }),
    ).rejects.toThrow(/signature/)
    const refunded = gateway({ accepted: true })
    expect(
      await new GatewayCardDebits(refunded.gw).refund({ debitId: 'ad_1', refundId: 'ad_1R1', amountFen: 1 }),
    ).toEqual({
      ok: true,
      refundId: 'ad_1R1',
    })
    expect(refunded.sent[0]).toMatchObject({ path: '/debits/refund', valid: true })
  })

  it('the day’s debit file: each debit taken or sent back that day, in whole fen, for the day asked', async () => {
    const line = { debitId: 'ad_1', reference: 'gw123', takenFen: 19_187, refundedFen: 100, at: NOW }
    const file = gateway({ date: '2026-12-02', lines: [line] })
    expect(await new GatewayCardDebits(file.gw).statement('2026-12-02')).toEqual([
      { outTradeNo: 'ad_1', transactionId: 'gw123', receivedFen: 19_187, refundedFen: 100, paidAt: NOW },
    ])
    expect(file.sent[0]).toMatchObject({ path: '/debits/statement', body: { date: '2026-12-02' }, valid: true })
    // A take and a refund of one debit on one day are one line.
    const two = gateway({
      date: '2026-12-02',
      lines: [
        { ...line, refundedFen: 0 },
        { ...line, takenFen: 0, at: NOW + 1 },
      ],
    })
    expect(await new GatewayCardDebits(two.gw).statement('2026-12-02')).toEqual([
      { outTradeNo: 'ad_1', transactionId: 'gw123', receivedFen: 19_187, refundedFen: 100, paidAt: NOW },
    ])
    // Another day's file, or a fractional amount, is refused, never reconciled against.
    await expect(
      new GatewayCardDebits(gateway({ date: '2026-12-01', lines: [] }).gw).statement('2026-12-02'),
    ).rejects.toThrow(/bad answer/)
    await expect(
      new GatewayCardDebits(gateway({ date: '2026-12-02', lines: [{ ...line, takenFen: 0.5 }] }).gw).statement(
        '2026-12-02',
      ),
    ).rejects.toThrow(/bad answer/)
  })
})
