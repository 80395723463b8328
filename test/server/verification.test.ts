import type { FaceStart, OnboardingStatus } from '../../src/api'
import { luhnCheckDigit } from '../../src/domain/bank-card'
import type { Evaluation } from '../../src/domain/rules'
import { certHash } from '../../server/wechat/face'
import { ALL_AGREEMENTS, makeTestCloud, type TestCloud } from '../support/cloud'
import { makeApplicant, makeIdNumber } from '../support/factories'

let cloud: TestCloud
beforeEach(async () => {
  cloud = await makeTestCloud()
})
afterEach(() => cloud.close())

const card = (bin = '622588', body = '1234567890') => bin + body + luhnCheckDigit(bin + body)
const applicant = makeApplicant()
async function onboard(user = 'alice', agreements = ALL_AGREEMENTS) {
  await cloud.call('onboarding', 'acceptAgreements', { accepted: agreements }, { user })
  expect((await cloud.call('onboarding', 'verifyIdentity', applicant, { user })).ok).toBe(true)
}
const bind = (over: Record<string, string> = {}, user = 'alice') =>
  cloud.call<OnboardingStatus>(
    'onboarding',
    'bindCard',
    { cardNumber: card(), mobile: applicant.mobile, name: applicant.name, idNumber: applicant.idNumber, ...over },
    { user },
  )
const we2000 = async (user = 'alice') => {
  const r = await cloud.call<Evaluation>('credit', 'precheck', {}, { user })
  if (!r.ok) throw new Error(r.error.code)
  return r.data.products.find((p) => p.product === 'we2000')!
}

describe('onboarding.bindCard', () => {
  beforeEach(() => onboard())

  it('binds the verified person’s own debit card: bank and last four shown, the number never stored', async () => {
    const number = card()
    const r = await bind({ cardNumber: number.replace(/(\d{4})/g, '$1 ') })
    expect(r).toMatchObject({ ok: true, data: { cards: [{ bank: '招商银行', last4: number.slice(-4) }] } })
    expect(cloud.dump()).not.toContain(number)
    expect((await we2000()).pendingSteps).toEqual([])
  })

  it('binding the same card again is harmless', async () => {
    await bind()
    const r = await bind()
    expect(r.ok && r.data.cards).toHaveLength(1)
  })

  it.each([
    [{ cardNumber: '1234' }, 'CARD_INVALID', 'FORMAT'],
    [{ cardNumber: '6225881234567891' }, 'CARD_INVALID', 'CHECKSUM'],
    [{ cardNumber: card('999999') }, 'CARD_BANK_UNSUPPORTED', undefined],
    [{ cardNumber: card('622575') }, 'CARD_NOT_DEBIT', '招商银行'],
    [{ mobile: '123' }, 'MOBILE_INVALID', undefined],
    [{ name: '李四' }, 'CARD_HOLDER_MISMATCH', undefined],
  ])('%j → %s, nothing written', async (over, code, detail) => {
    const before = cloud.dump()
    const r = await bind(over)
    expect(r).toMatchObject({ ok: false, error: { code } })
    if (!r.ok) expect(r.error.detail).toBe(detail)
    expect(cloud.dump()).toBe(before)
  })

  it('the bank says the card is not this person’s → IDENTITY_CARD_FAILED, which the rules then report', async () => {
    expect(await bind({ mobile: '13800000000' })).toMatchObject({ ok: false, error: { code: 'IDENTITY_CARD_FAILED' } })
    expect((await we2000()).reasons.map((r) => r.code)).toContain('IDENTITY_CARD_FAILED')
    expect((await bind()).ok).toBe(true)
    expect((await we2000()).reasons.map((r) => r.code)).not.toContain('IDENTITY_CARD_FAILED')
  })

  it('before the real-name check: STEP_REQUIRED; without the financial-data consent: CONSENT_REQUIRED', async () => {
    await cloud.call('onboarding', 'acceptAgreements', { accepted: ALL_AGREEMENTS }, { user: 'bob' })
    expect(await bind({}, 'bob')).toMatchObject({ ok: false, error: { code: 'STEP_REQUIRED', detail: 'realName' } })
    const carol = makeApplicant({ idNumber: makeIdNumber({ seq: '731' }) })
    await cloud.call('onboarding', 'acceptAgreements', { accepted: ALL_AGREEMENTS.slice(0, 2) }, { user: 'carol' })
    expect((await cloud.call('onboarding', 'verifyIdentity', carol, { user: 'carol' })).ok).toBe(true)
    expect(await bind({ name: carol.name, idNumber: carol.idNumber }, 'carol')).toMatchObject({
      ok: false,
      error: { code: 'CONSENT_REQUIRED', detail: 'financialDataConsent' },
    })
  })
})

describe('onboarding.authorizePayScore', () => {
  it('records the state WeChat Pay reports; the client sends nothing it could fake', async () => {
    await onboard('bob')
    const r = await cloud.call<OnboardingStatus>(
      'onboarding',
      'authorizePayScore',
      { state: 'AVAILABLE' },
      { user: 'bob' },
    )
    expect(r).toMatchObject({ ok: true, data: { payScore: 'UNAVAILABLE' } })
  })
})

describe('face verification v2', () => {
  beforeEach(() => onboard())
  const start = () =>
    cloud.call<FaceStart>('onboarding', 'startFace', { name: applicant.name, idNumber: applicant.idNumber })
  const confirm = (verifyId: string, user = 'alice') =>
    cloud.call<OnboardingStatus>('onboarding', 'confirmFace', { verifyId }, { user })

  it('pass only when WeChat says errcode 0 and verify_ret 10000; nothing biometric stored', async () => {
    const s = await start()
    if (!s.ok) throw new Error(s.error.code)
    expect(await confirm(s.data.verifyId)).toMatchObject({ ok: false, error: { code: 'FACE_NOT_FINISHED' } })
    await cloud.ports.face.setOutcome(s.data.verifyId, 'o_dev_alice', 'pass')
    expect(await confirm(s.data.verifyId)).toMatchObject({ ok: true, data: { face: 'passed' } })
    const session = await cloud.ports.store.get<Record<string, unknown>>('faceSessions', s.data.verifyId)
    expect(Object.keys(session!.data).sort()).toEqual([
      'expiresAt',
      'handle',
      'openid',
      'outSeqNo',
      'result',
      'startedAt',
    ])
    expect(cloud.dump()).not.toContain(applicant.idNumber)
  })

  it.each([
    ['cancel', 'FACE_CANCELLED'],
    ['timeout', 'FACE_TIMEOUT'],
    ['fail', 'IDENTITY_FACE_FAILED'],
  ] as const)('%s → %s (distinct codes)', async (outcome, code) => {
    const s = await start()
    if (!s.ok) throw new Error(s.error.code)
    await cloud.ports.face.setOutcome(s.data.verifyId, 'o_dev_alice', outcome)
    expect(await confirm(s.data.verifyId)).toMatchObject({ ok: false, error: { code } })
  })

  it('another user’s verifyId is NOT_FOUND, not FORBIDDEN', async () => {
    const s = await start()
    if (!s.ok) throw new Error(s.error.code)
    expect(await confirm(s.data.verifyId, 'bob')).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } })
  })

  it('needs the separate biometric consent', async () => {
    const dave = makeApplicant({ idNumber: makeIdNumber({ seq: '777' }) })
    await cloud.call('onboarding', 'acceptAgreements', { accepted: ALL_AGREEMENTS.slice(0, 2) }, { user: 'dave' })
    expect((await cloud.call('onboarding', 'verifyIdentity', dave, { user: 'dave' })).ok).toBe(true)
    expect(
      await cloud.call('onboarding', 'startFace', { name: dave.name, idNumber: dave.idNumber }, { user: 'dave' }),
    ).toMatchObject({
      ok: false,
      error: { code: 'CONSENT_REQUIRED', detail: 'biometricConsent' },
    })
  })
})

describe('WeChat face adapter', () => {
  it('computes cert_hash as WeChat documents it (张三 / 310101199801011234)', () => {
    expect(certHash('张三', '310101199801011234')).toBe(
      '3c241f7ff324977aeb91f173bb2a7b06569e6fd784d5573db34a636d8671108b',
    )
  })
})
