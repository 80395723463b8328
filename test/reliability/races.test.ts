/** Duplicates and races through the HTTP API (the cancel/repay race is in test/server/loans.test.ts). */
import { makeCard } from '../support/cards'
import { freshRequestId, onboardOverHttp } from '../support/http-borrower'
import { makeApplicant } from '../support/factories'
import { startHttpCloud, type HttpCloud } from '../support/http-cloud'

let cloud: HttpCloud
let token: string
const call = async (fn: string, action: string, data: unknown, requestId = freshRequestId()) =>
  (await cloud.call(token, fn, { action, data, requestId })).json
beforeEach(async () => {
  cloud = await startHttpCloud()
  token = await cloud.signIn('alice')
  const a = makeApplicant()
  expect(await onboardOverHttp(call, a, makeCard('622588', '123456789'))).toEqual({
    verified: true,
    bound: true,
  })
})
afterEach(() => cloud.close())

describe('duplicates and races', () => {
  it('100 parallel loans.apply with one requestId: exactly one loan, 100 identical responses', async () => {
    const consent = await call('loans', 'consent', { product: 'we2000', purpose: 'consumption' })
    const input = {
      product: 'we2000',
      amountFen: 50_000,
      termMonths: 6,
      mode: 'equal-principal',
      purpose: 'consumption',
      consentId: consent.data.consentId,
    }
    const results = await Promise.all(
      Array.from({ length: 100 }, () =>
        cloud.call(token, 'loans', { action: 'apply', data: input, requestId: 'req_same_apply_1' }),
      ),
    )
    expect(new Set(results.map((r) => JSON.stringify(r.json))).size).toBe(1)
    expect(results[0].json).toMatchObject({ ok: true, data: { outcome: 'approved' } })
    const list = await call('loans', 'list', {})
    expect(list.data).toHaveLength(1)
  })

  /**
   * Regression (review): at ¥100 each, the rules refused everything after the fifth hard inquiry, so
   * the line (¥2,000) was never contended and deleting the limit check still passed. At ¥600 the
   * line binds first: three fit, the rest are "over the limit" — not one more.
   */
  it('100 parallel applications with different requestIds: the credit limit is never exceeded, and is filled', async () => {
    const AMOUNT = 60_000
    // The limit before the race (afterwards the applications' own hard inquiries refuse the pre-check).
    const limitFen: number = (await call('credit', 'precheck', {})).data.products.find(
      (p: { product: string }) => p.product === 'we2000',
    ).limitFen
    expect(limitFen).toBe(200_000)
    const consents = await Promise.all(
      Array.from({ length: 100 }, () => call('loans', 'consent', { product: 'we2000', purpose: 'consumption' })),
    )
    const results = await Promise.all(
      consents.map((c) =>
        call('loans', 'apply', {
          product: 'we2000',
          amountFen: AMOUNT,
          termMonths: 6,
          mode: 'equal-principal',
          purpose: 'consumption',
          consentId: c.data.consentId,
        }),
      ),
    )
    const open = (await call('loans', 'list', {})).data.filter((l: { state: string }) => l.state === 'disbursed')
    const approved = results.filter((r) => r.ok && r.data.outcome === 'approved')
    const codes = results.filter((r) => !r.ok).map((r) => r.error.code)
    expect(open).toHaveLength(approved.length)
    expect(open.reduce((s: number, l: { amountFen: number }) => s + l.amountFen, 0)).toBe(approved.length * AMOUNT)
    // Exactly as many as fit: never one more, and none missing but for conflicts.
    const conflicts = codes.filter((c) => c === 'CONFLICT').length
    expect(approved.length).toBeLessThanOrEqual(Math.floor(limitFen / AMOUNT))
    expect(approved.length + conflicts).toBeGreaterThanOrEqual(Math.floor(limitFen / AMOUNT))
    expect(codes.filter((c) => c === 'AMOUNT_OVER_LIMIT').length).toBeGreaterThan(0)
    expect(codes.every((c) => c === 'AMOUNT_OVER_LIMIT' || c === 'CONFLICT')).toBe(true)
  })
})
