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

  it('100 parallel applications with different requestIds: the credit limit is never exceeded', async () => {
    // The limit before the race (afterwards the applications' own hard inquiries refuse the pre-check).
    const limitFen: number = (await call('credit', 'precheck', {})).data.products.find(
      (p: { product: string }) => p.product === 'we2000',
    ).limitFen
    expect(limitFen).toBeGreaterThan(0)
    const consents = await Promise.all(
      Array.from({ length: 100 }, () => call('loans', 'consent', { product: 'we2000', purpose: 'consumption' })),
    )
    const results = await Promise.all(
      consents.map((c) =>
        call('loans', 'apply', {
          product: 'we2000',
          amountFen: 10_000,
          termMonths: 6,
          mode: 'equal-principal',
          purpose: 'consumption',
          consentId: c.data.consentId,
        }),
      ),
    )
    const list = await call('loans', 'list', {})
    const open = list.data.filter((l: { state: string }) => l.state === 'disbursed')
    const approved = results.filter((r) => r.ok && r.data.outcome === 'approved')
    const conflicts = results.filter((r) => !r.ok && r.error.code === 'CONFLICT').length
    const usedFen = open.reduce((s: number, l: { amountFen: number }) => s + l.amountFen, 0)
    expect(open).toHaveLength(approved.length)
    expect(approved.length).toBeGreaterThan(0)
    expect(usedFen).toBe(approved.length * 10_000)
    // Never over the line.
    expect(usedFen).toBeLessThanOrEqual(limitFen)
    // "Over the limit" only once the line was full (but for requests that lost every compare-and-set retry).
    const overLimit = results.filter((r) => !r.ok && r.error.code === 'AMOUNT_OVER_LIMIT').length
    if (overLimit > 0) expect(usedFen + 10_000 * (conflicts + 1)).toBeGreaterThan(limitFen)
    // The rest were refused by the rules: each application is a hard inquiry, and after five in six
    // months the sixth is refused — the product's own inquiries lock the borrower out (the credit line fixes that).
    const refused = results.filter((r) => r.ok && r.data.outcome === 'refused')
    expect(
      refused.every((r) => r.data.reasons.some((x: { code: string }) => x.code === 'TOO_MANY_HARD_INQUIRIES')),
    ).toBe(true)
    expect(approved.length + refused.length + overLimit + conflicts).toBe(100)
  })
})
