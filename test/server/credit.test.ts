import type { PrecheckDecision } from '../../src/domain/precheck'
import { makeApplicant, makeIdNumber } from '../support/factories'
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
const precheck = (user: string) => cloud.call<PrecheckDecision>('credit', 'precheck', { product: 'we2000' }, { user })
const codes = async (user: string) => {
  const r = await precheck(user)
  if (!r.ok) throw new Error(r.error.code)
  return r.data.reasons.map((x) => x.code)
}

describe('credit.precheck for WE2000 (soft data only)', () => {
  it('alice meets every condition', async () => {
    await onboard('alice')
    expect(await precheck('alice')).toMatchObject({
      ok: true,
      data: { product: 'we2000', eligible: true, reasons: [] },
    })
  })

  it.each([
    ['bob', ['SCORE_BELOW_THRESHOLD']],
    ['carol', ['TOO_MANY_HARD_INQUIRIES']],
    ['dave', ['LOW_ACTIVITY']],
    ['erin', ['SCORE_BELOW_THRESHOLD']],
  ])('%s is told why not: %j, each with a fix', async (user, expected) => {
    await onboard(user)
    const r = await precheck(user)
    expect(r.ok && r.data.eligible).toBe(false)
    expect(r.ok && r.data.reasons.map((x) => x.code)).toEqual(expected)
    expect(r.ok && r.data.reasons.every((x) => x.fix.length > 0)).toBe(true)
  })

  it('too many inquiries comes with the date they clear, after now', async () => {
    await onboard('carol')
    const r = await precheck('carol')
    expect(r.ok && r.data.inquiriesClearAt).toBeGreaterThan(cloud.ports.clock.now())
  })

  it('before the real-name check: not eligible, with IDENTITY_NOT_VERIFIED', async () => {
    await cloud.call('onboarding', 'acceptAgreements', { accepted: ALL_AGREEMENTS }, { user: 'alice' })
    expect(await codes('alice')).toEqual(['IDENTITY_NOT_VERIFIED'])
  })

  it('without the financial-data consent it reads nothing: CONSENT_REQUIRED', async () => {
    await onboard('alice', ALL_AGREEMENTS.slice(0, 2))
    expect(await precheck('alice')).toMatchObject({
      ok: false,
      error: { code: 'CONSENT_REQUIRED', detail: 'financialDataConsent' },
    })
  })

  it('without the agreements: AGREEMENTS_REQUIRED', async () => {
    expect(await precheck('alice')).toMatchObject({ ok: false, error: { code: 'AGREEMENTS_REQUIRED' } })
  })

  it('every decision is recorded with the rule set version it used', async () => {
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
          eligible: false,
          ruleSetVersion: expect.stringMatching(/^we2000-precheck\//),
          reasons: ['SCORE_BELOW_THRESHOLD'],
        }),
      }),
    ])
  })

  it('an unknown product is a typed INVALID_INPUT', async () => {
    expect(await cloud.call('credit', 'precheck', { product: 'weilidai' })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', field: 'product' },
    })
  })

  it('users not in the demo set get a profile of their own that never changes', async () => {
    await onboard('zed')
    const first = await precheck('zed')
    const second = await precheck('zed')
    expect(second).toEqual(first)
  })
})
