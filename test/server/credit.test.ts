import type { OffersResult, PrecheckResult } from '../../src/api'
import type { LineChange } from '../../src/domain/line'
import type { Evaluation, ProductDecision } from '../../src/domain/rules'
import { makeApplicant, makeIdNumber } from '../support/factories'
import { openLine, borrow, onboardBorrower } from '../support/borrower'
import { ALL_AGREEMENTS, makeTestCloud, type TestCloud } from '../support/cloud'

let cloud: TestCloud
beforeEach(async () => {
  cloud = await makeTestCloud()
})
afterEach(() => cloud.close())

/** Agreements and real name done for a demo persona, each with an ID of their own. */
async function onboard(user: string, agreements = ALL_AGREEMENTS) {
  await cloud.call('onboarding', 'acceptAgreements', { accepted: agreements }, { user })
  const seq = String(100 + user.charCodeAt(0)).slice(-3)
  const r = await cloud.call('onboarding', 'verifyIdentity', makeApplicant({ idNumber: makeIdNumber({ seq }) }), {
    user,
  })
  expect(r.ok).toBe(true)
}
const precheck = async (user: string) => {
  const r = await cloud.call<Evaluation>('credit', 'precheck', {}, { user })
  if (!r.ok) throw new Error(r.error.code)
  return r.data
}
const byProduct = (e: Evaluation) =>
  Object.fromEntries(e.products.map((p) => [p.product, p])) as Record<string, ProductDecision>
const codes = (d: ProductDecision) => d.reasons.map((r) => r.code)

describe('the line ceiling in the pre-check', () => {
  it('an assessed limit above the lender’s ceiling is shown at the ceiling and marked; one under it is left alone', async () => {
    await cloud.close()
    cloud = await makeTestCloud({ settings: { lineCeilingFen: 100_000_00 } })
    await onboard('alice')
    const r = await cloud.call<PrecheckResult>('credit', 'precheck', {}, { user: 'alice' })
    if (!r.ok) throw new Error(r.error.code)
    expect(r.data.lineCeilingFen).toBe(100_000_00)
    const weilidai = r.data.products.find((p) => p.product === 'weilidai')!
    expect(weilidai).toMatchObject({ limitFen: 100_000_00, limitClipped: true })
    for (const p of r.data.products) expect(p.limitFen).toBeLessThanOrEqual(100_000_00)
    const under = r.data.products.find((p) => p.product === 'we2000')!
    expect(under.limitClipped).toBeUndefined()
  })
})

describe('the line ceiling at opening', () => {
  it('a line assessed above the lender’s ceiling opens at the ceiling, says so, and lends no more', async () => {
    await cloud.close()
    cloud = await makeTestCloud({ settings: { lineCeilingFen: 1_500_00 } })
    await onboardBorrower(cloud)
    const line = await openLine(cloud, 'alice', 'we2000')
    expect(line).toMatchObject({ limitFen: 1_500_00, availableFen: 1_500_00 })
    const history = await cloud.call<LineChange[]>('lines', 'history', { product: 'we2000' })
    expect(history.ok && history.data[0]).toMatchObject({
      reason: 'OPENED',
      detail: expect.stringContaining('单户上限'),
    })
    await expect(borrow(cloud, 'alice', { amountFen: 2_000_00 })).rejects.toThrow('LINE_EXCEEDED')
    expect((await borrow(cloud, 'alice', { amountFen: 1_500_00 })).amountFen).toBe(1_500_00)
  })
})

describe('credit.precheck: the rules engine on soft data', () => {
  it('alice: every product open, with the steps still to do and the rule set version', async () => {
    await onboard('alice')
    const e = await precheck('alice')
    expect(e.ruleSetVersion).toMatch(/^rules\//)
    const p = byProduct(e)
    expect([p.weilidai.eligible, p.we2000.eligible, p.xiaoe.eligible]).toEqual([true, true, true])
    expect(p.weilidai).toMatchObject({ stars: 7, dailyRatePercent: 0.02, pendingSteps: ['bankCard'] })
    expect(p.xiaoe.pendingSteps).toEqual(['bankCard', 'face'])
    expect(p.we2000.limitFen).toBe(200_000)
  })

  it.each([
    ['bob', { weilidai: [], we2000: ['SCORE_BELOW_THRESHOLD'], xiaoe: ['SCORE_BELOW_THRESHOLD'] }],
    [
      'carol',
      {
        weilidai: ['TOO_MANY_HARD_INQUIRIES'],
        we2000: ['TOO_MANY_HARD_INQUIRIES'],
        xiaoe: ['TOO_MANY_HARD_INQUIRIES'],
      },
    ],
    ['dave', { weilidai: ['LOW_ACTIVITY'], we2000: ['LOW_ACTIVITY'], xiaoe: ['LOW_ACTIVITY'] }],
    // Pay score not enabled: WeChat Pay answers 404 (never authorized), so nothing can be assessed.
    ['erin', { weilidai: [], we2000: ['PAY_SCORE_NOT_AUTHORIZED'], xiaoe: ['PAY_SCORE_NOT_AUTHORIZED'] }],
    ['frank', { weilidai: ['NOT_INVITED'], we2000: [], xiaoe: [] }],
  ])('%s is told why not, per product, each reason with a fix', async (user, expected) => {
    await onboard(user)
    const p = byProduct(await precheck(user))
    expect({ weilidai: codes(p.weilidai), we2000: codes(p.we2000), xiaoe: codes(p.xiaoe) }).toEqual(expected)
    for (const d of Object.values(p)) expect(d.reasons.every((r) => r.fix.length > 0)).toBe(true)
  })

  it('grace: credit elsewhere over 3× income is a notice that blocks limit increases, not a refusal', async () => {
    await onboard('grace')
    const p = byProduct(await precheck('grace'))
    expect(p.weilidai.eligible).toBe(true)
    expect(p.weilidai.notices.map((n) => n.code)).toEqual(['DEBT_RATIO_HIGH'])
    expect(p.weilidai.limitIncreaseBlocked).toBe(true)
  })

  it('too many inquiries comes with the date they clear, after now', async () => {
    await onboard('carol')
    expect(byProduct(await precheck('carol')).we2000.inquiriesClearAt).toBeGreaterThan(cloud.ports.clock.now())
  })

  it('before the real-name check: IDENTITY_NOT_VERIFIED', async () => {
    await cloud.call('onboarding', 'acceptAgreements', { accepted: ALL_AGREEMENTS }, { user: 'alice' })
    expect(codes(byProduct(await precheck('alice')).we2000)).toContain('IDENTITY_NOT_VERIFIED')
  })

  it('without the financial-data consent it reads nothing: CONSENT_REQUIRED', async () => {
    await onboard('alice', ALL_AGREEMENTS.slice(0, 2))
    expect(await cloud.call('credit', 'precheck', {})).toMatchObject({
      ok: false,
      error: { code: 'CONSENT_REQUIRED', detail: 'financialDataConsent' },
    })
  })

  it('without the agreements: AGREEMENTS_REQUIRED', async () => {
    expect(await cloud.call('credit', 'precheck', {})).toMatchObject({
      ok: false,
      error: { code: 'AGREEMENTS_REQUIRED' },
    })
  })

  it('every decision is recorded with the rule set and catalog versions it used', async () => {
    await onboard('bob')
    await precheck('bob')
    const events = await cloud.ports.store.query<{ openid: string; fields: Record<string, unknown> }>('events', {
      index: 'byType',
      eq: 'precheck',
      limit: 10,
    })
    expect(events.map((e) => e.data)).toEqual([
      expect.objectContaining({
        openid: 'o_dev_bob',
        fields: expect.objectContaining({
          ruleSetVersion: expect.stringMatching(/^rules\//),
          catalogVersion: expect.stringMatching(/^demo-catalog\//),
        }),
      }),
    ])
  })

  it('the dev page’s edits to the simulated profile change the decision', async () => {
    await onboard('alice')
    const world = cloud.ports.world
    await world.edit('o_dev_alice', { ...world.defaultProfile('o_dev_alice'), payScore: 550 })
    expect(codes(byProduct(await precheck('alice')).we2000)).toEqual(['SCORE_BELOW_THRESHOLD'])
    await world.edit('o_dev_alice', null)
    expect(byProduct(await precheck('alice')).we2000.eligible).toBe(true)
  })

  it('users not in the demo set get a profile of their own that never changes', async () => {
    await onboard('zed')
    expect(await precheck('zed')).toEqual(await precheck('zed'))
  })
})

describe('credit.offers: priced on the server within the limit and at the decided rate', () => {
  it('alice gets offers for every product, within each limit, at her rate', async () => {
    await onboard('alice')
    const r = await cloud.call<OffersResult>('credit', 'offers', {}, { user: 'alice' })
    if (!r.ok) throw new Error(r.error.code)
    for (const { decision, offers } of r.data.products) {
      expect(offers.length).toBeGreaterThan(0)
      expect(offers.every((o) => o.amountFen <= decision.limitFen)).toBe(true)
      expect(
        offers.filter((o) => o.mode !== 'fee-installment').every((o) => o.dailyRatePpm === decision.dailyRatePpm),
      ).toBe(true)
    }
  })

  it('bob gets none for the products he cannot open, with the reasons', async () => {
    await onboard('bob')
    const r = await cloud.call<OffersResult>('credit', 'offers', {}, { user: 'bob' })
    if (!r.ok) throw new Error(r.error.code)
    const we2000 = r.data.products.find((p) => p.decision.product === 'we2000')!
    expect(we2000.offers).toEqual([])
    expect(we2000.decision.reasons.map((x) => x.code)).toEqual(['SCORE_BELOW_THRESHOLD'])
  })
})
