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
    const limit = (await call('credit', 'precheck', {})).data.products.find(
      (p: { product: string }) => p.product === 'we2000',
    )
    expect(open.reduce((s: number, l: { amountFen: number }) => s + l.amountFen, 0)).toBeLessThanOrEqual(200_000)
    expect(results.every((r) => r.ok || ['AMOUNT_OVER_LIMIT', 'CONFLICT'].includes(r.error.code))).toBe(true)
    expect(limit).toBeDefined()
  })
})
