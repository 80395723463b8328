/** Duplicates and races through the HTTP API (the cancel/repay race is in test/server/loans.test.ts). */
import { makeCard } from '../support/cards'
import { freshRequestId, onboardOverHttp, openLineOverHttp, signedNote } from '../support/http-borrower'
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
    expect(await openLineOverHttp(call)).toMatchObject({ ok: true, data: { state: 'active' } })
    const input = {
      product: 'we2000',
      amountFen: 50_000,
      termMonths: 6,
      mode: 'equal-principal',
      purpose: 'consumption',
    }
    const signed = { ...input, contractSha256: await signedNote(call, input) }
    const results = await Promise.all(
      Array.from({ length: 100 }, () =>
        cloud.call(token, 'loans', { action: 'apply', data: signed, requestId: 'req_same_apply_1' }),
      ),
    )
    expect(new Set(results.map((r) => JSON.stringify(r.json))).size).toBe(1)
    expect(results[0].json).toMatchObject({ ok: true, data: { outcome: 'approved' } })
    const list = await call('loans', 'list', {})
    expect(list.data).toHaveLength(1)
    expect(await call('lines', 'get', { product: 'we2000' })).toMatchObject({ data: { inUseFen: 50_000 } })
  })

  /**
   * Regression (review): at ¥100 each the line (¥2,000) was never contended, and deleting the limit
   * check still passed. At ¥600 the line binds: three fit, the rest are refused LINE_EXCEEDED — not
   * one more, and the line's "in use" is exactly what the drawdowns that won hold.
   */
  it('100 parallel drawdowns with different requestIds: the available amount is never exceeded, and is filled', async () => {
    const AMOUNT = 60_000
    const line = await openLineOverHttp(call)
    expect(line).toMatchObject({ ok: true, data: { state: 'active', limitFen: 200_000, availableFen: 200_000 } })
    const drawdown = {
      product: 'we2000',
      amountFen: AMOUNT,
      termMonths: 6,
      mode: 'equal-principal',
      purpose: 'consumption',
    }
    const contractSha256 = await signedNote(call, drawdown)
    const results = await Promise.all(
      Array.from({ length: 100 }, () => call('loans', 'apply', { ...drawdown, contractSha256 })),
    )
    const open = (await call('loans', 'list', {})).data.filter((l: { state: string }) => l.state === 'disbursed')
    const approved = results.filter((r) => r.ok && r.data.outcome === 'approved')
    const codes = results.filter((r) => !r.ok).map((r) => r.error.code)
    expect(open).toHaveLength(approved.length)
    expect(open.reduce((s: number, l: { amountFen: number }) => s + l.amountFen, 0)).toBe(approved.length * AMOUNT)
    // Exactly as many as fit: never one more, and none missing but for conflicts.
    const conflicts = codes.filter((c) => c === 'CONFLICT').length
    expect(approved.length).toBeLessThanOrEqual(Math.floor(200_000 / AMOUNT))
    expect(approved.length + conflicts).toBeGreaterThanOrEqual(Math.floor(200_000 / AMOUNT))
    expect(codes.filter((c) => c === 'LINE_EXCEEDED').length).toBeGreaterThan(0)
    expect(codes.every((c) => c === 'LINE_EXCEEDED' || c === 'CONFLICT')).toBe(true)
    const after = await call('lines', 'get', { product: 'we2000' })
    expect(after.data).toMatchObject({
      inUseFen: approved.length * AMOUNT,
      availableFen: 200_000 - approved.length * AMOUNT,
    })
  })
})
