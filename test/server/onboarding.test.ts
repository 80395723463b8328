import type { OnboardingStatus } from '../../src/api'
import { AGREEMENT_VERSIONS } from '../../src/domain/agreements'
import { makeApplicant, makeIdNumber } from '../support/factories'
import { ALL_AGREEMENTS, makeTestCloud, type TestCloud } from '../support/cloud'

let cloud: TestCloud
beforeEach(async () => {
  cloud = await makeTestCloud()
})
afterEach(() => cloud.close())

const accept = (user = 'alice', accepted = ALL_AGREEMENTS) =>
  cloud.call<OnboardingStatus>('onboarding', 'acceptAgreements', { accepted }, { user })
const verify = (input: Record<string, unknown>, user = 'alice', requestId?: string) =>
  cloud.call<OnboardingStatus>('onboarding', 'verifyIdentity', input, { user, requestId })

describe('onboarding.status: where a user resumes', () => {
  it('a new user starts at the agreements, and asking writes nothing', async () => {
    const before = cloud.counts()
    const r = await cloud.call<OnboardingStatus>('onboarding', 'status')
    expect(r).toMatchObject({ ok: true, data: { next: 'agreements', completed: [], identity: null } })
    expect(cloud.counts()).toEqual(before)
  })

  it('moves on as each step completes: agreements → real name → pre-check', async () => {
    expect((await accept()).ok).toBe(true)
    expect(await cloud.call('onboarding', 'status')).toMatchObject({
      data: { next: 'realName', completed: ['agreements'] },
    })
    expect((await verify(makeApplicant())).ok).toBe(true)
    expect(await cloud.call('onboarding', 'status')).toMatchObject({
      data: { next: 'precheck', completed: ['agreements', 'realName'] },
    })
  })
})

describe('onboarding.acceptAgreements', () => {
  it('stores each agreement and consent separately, with its version and time', async () => {
    const r = await accept()
    expect(r.ok && r.data.agreements.biometricConsent).toEqual({
      version: AGREEMENT_VERSIONS.biometricConsent,
      acceptedAt: cloud.ports.clock.now(),
    })
    const consents = await cloud.ports.store.query('consents', { index: 'byOpenid', eq: 'o_dev_alice', limit: 10 })
    expect(consents.map((c) => (c.data as { kind: string }).kind).sort()).toEqual([
      'biometricConsent',
      'financialDataConsent',
      'privacyPolicy',
      'userAgreement',
    ])
  })

  it('the separate consents are optional: the two required texts are enough to go on', async () => {
    const r = await accept('alice', ALL_AGREEMENTS.slice(0, 2))
    expect(r).toMatchObject({ ok: true, data: { next: 'realName' } })
    expect(r.ok && r.data.agreements.biometricConsent).toBeUndefined()
  })

  it('without the required texts: AGREEMENTS_REQUIRED, and nothing is written', async () => {
    const before = cloud.counts()
    expect(await accept('alice', ALL_AGREEMENTS.slice(2))).toMatchObject({
      ok: false,
      error: { code: 'AGREEMENTS_REQUIRED' },
    })
    expect(cloud.counts()).toEqual(before)
  })

  it('an outdated version or an unknown kind is refused by name, and nothing is written', async () => {
    const before = cloud.counts()
    expect(await accept('alice', [{ kind: 'userAgreement', version: '2020-01-01' }])).toMatchObject({
      ok: false,
      error: { code: 'AGREEMENT_VERSION_OUTDATED', detail: 'userAgreement' },
    })
    expect(await accept('alice', [{ kind: 'chatHistory', version: '1' }])).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT' },
    })
    expect(cloud.counts()).toEqual(before)
  })
})

describe('onboarding.verifyIdentity', () => {
  beforeEach(async () => {
    await accept()
  })

  it('returns the masked identity and stores no raw ID number, name or mobile', async () => {
    const applicant = makeApplicant({ idNumber: makeIdNumber({ seq: '123' }) })
    const r = await verify(applicant)
    expect(r).toMatchObject({
      ok: true,
      data: {
        identity: { name: '*三', idNumber: `1${'*'.repeat(16)}${applicant.idNumber[17]}`, mobile: '138****5678' },
      },
    })
    const stored = cloud.dump()
    expect(stored).not.toContain(applicant.idNumber)
    expect(stored).not.toContain(applicant.idNumber.slice(6, 14))
    expect(stored).not.toContain(applicant.mobile)
    expect(stored).not.toContain('张三')
  })

  it.each([
    [{ name: 'Zhang' }, 'NAME_INVALID', 'name', undefined],
    [{ idNumber: '123' }, 'ID_NUMBER_INVALID', 'idNumber', 'FORMAT'],
    [
      { idNumber: makeIdNumber().slice(0, 17) + (makeIdNumber()[17] === '1' ? '2' : '1') },
      'ID_NUMBER_INVALID',
      'idNumber',
      'CHECK_DIGIT',
    ],
    [{ idNumber: makeIdNumber({ birth: '19900230' }) }, 'ID_NUMBER_INVALID', 'idNumber', 'BIRTH_DATE'],
    [{ idNumber: makeIdNumber({ birth: '20090101' }) }, 'AGE_NOT_ELIGIBLE', 'idNumber', 'UNDER_AGE'],
    [{ idNumber: makeIdNumber({ birth: '19600101' }) }, 'AGE_NOT_ELIGIBLE', 'idNumber', 'OVER_AGE'],
    [{ mobile: '1234' }, 'MOBILE_INVALID', 'mobile', undefined],
  ])('bad input %j → %s on field %s, nothing written', async (override, code, field, detail) => {
    const before = cloud.dump()
    const r = await verify(makeApplicant(override as Record<string, string>))
    expect(r).toMatchObject({ ok: false, error: { code, field, message: expect.any(String) } })
    if (!r.ok) expect(r.error.detail).toBe(detail)
    expect(cloud.dump()).toEqual(before)
  })

  it('wrong types are a typed INVALID_INPUT naming the field, never a crash', async () => {
    const r = await verify({ name: '张三', idNumber: Number('110101199003074514'), mobile: '13812345678' })
    expect(r).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', field: 'idNumber' } })
  })

  it('a name the identity record does not hold → IDENTITY_MISMATCH; nothing is stored and the user can retry', async () => {
    const before = cloud.dump()
    expect(await verify(makeApplicant({ name: '张不符' }))).toMatchObject({
      ok: false,
      error: { code: 'IDENTITY_MISMATCH', field: 'name' },
    })
    expect(cloud.dump()).toEqual(before)
    expect((await verify(makeApplicant())).ok).toBe(true)
  })

  it('the identity service being down is its own error, and the same request can be retried', async () => {
    const r = await verify(makeApplicant({ name: '王维护' }), 'alice', 'req_retry_0001')
    expect(r).toMatchObject({ ok: false, error: { code: 'IDENTITY_SERVICE_UNAVAILABLE' } })
    expect(cloud.logs.some((l) => l.event === 'identity_unavailable')).toBe(true)
  })

  it('before the agreements: AGREEMENTS_REQUIRED', async () => {
    expect(await verify(makeApplicant(), 'bob')).toMatchObject({ ok: false, error: { code: 'AGREEMENTS_REQUIRED' } })
  })

  it('one ID number belongs to one account', async () => {
    await accept('bob')
    expect((await verify(makeApplicant())).ok).toBe(true)
    expect(await verify(makeApplicant(), 'bob')).toMatchObject({
      ok: false,
      error: { code: 'IDENTITY_BOUND_ELSEWHERE' },
    })
  })

  it('verifying again with the same identity is harmless; another identity is refused', async () => {
    expect((await verify(makeApplicant())).ok).toBe(true)
    expect((await verify(makeApplicant({ mobile: '13900000000' }))).ok).toBe(true)
    expect(await verify(makeApplicant({ idNumber: makeIdNumber({ seq: '999' }) }))).toMatchObject({
      ok: false,
      error: { code: 'IDENTITY_ALREADY_VERIFIED' },
    })
  })

  it('identity comes from the caller context: an openid in the body is ignored', async () => {
    await accept('bob')
    const r = await verify({ ...makeApplicant(), openid: 'o_dev_bob', _openid: 'o_dev_bob' })
    expect(r.ok).toBe(true)
    expect(await cloud.call('onboarding', 'status', {}, { user: 'bob' })).toMatchObject({ data: { identity: null } })
    expect(await cloud.call('onboarding', 'status', {}, { user: 'alice' })).toMatchObject({
      data: { identity: { name: '*三' } },
    })
  })
})

describe('requestId: retries are safe', () => {
  it('a mutating action without a requestId is refused', async () => {
    expect(
      await cloud.call('onboarding', 'acceptAgreements', { accepted: ALL_AGREEMENTS }, { requestId: null }),
    ).toMatchObject({
      ok: false,
      error: { code: 'REQUEST_ID_REQUIRED' },
    })
  })

  it('the same requestId and input answers the first response again, without acting twice', async () => {
    const first = await cloud.call(
      'onboarding',
      'acceptAgreements',
      { accepted: ALL_AGREEMENTS },
      { requestId: 'req_same_0001' },
    )
    const before = cloud.dump()
    const again = await cloud.call(
      'onboarding',
      'acceptAgreements',
      { accepted: ALL_AGREEMENTS },
      { requestId: 'req_same_0001' },
    )
    expect(again).toEqual(first)
    expect(cloud.dump()).toEqual(before)
  })

  it('the same requestId with a different input is IDEMPOTENCY_CONFLICT', async () => {
    await cloud.call('onboarding', 'acceptAgreements', { accepted: ALL_AGREEMENTS }, { requestId: 'req_same_0002' })
    expect(
      await cloud.call(
        'onboarding',
        'acceptAgreements',
        { accepted: ALL_AGREEMENTS.slice(0, 2) },
        { requestId: 'req_same_0002' },
      ),
    ).toMatchObject({ ok: false, error: { code: 'IDEMPOTENCY_CONFLICT' } })
  })

  it('concurrent copies of one request all get the one response', async () => {
    const results = await Promise.all(
      Array.from({ length: 20 }, () =>
        cloud.call('onboarding', 'acceptAgreements', { accepted: ALL_AGREEMENTS }, { requestId: 'req_par_0001' }),
      ),
    )
    expect(new Set(results.map((r) => JSON.stringify(r))).size).toBe(1)
    expect(results[0].ok).toBe(true)
  })

  it('a request id is per caller: two users may use the same one', async () => {
    const a = await cloud.call(
      'onboarding',
      'acceptAgreements',
      { accepted: ALL_AGREEMENTS },
      { user: 'alice', requestId: 'req_shared_01' },
    )
    const b = await cloud.call(
      'onboarding',
      'acceptAgreements',
      { accepted: ALL_AGREEMENTS },
      { user: 'bob', requestId: 'req_shared_01' },
    )
    expect(a.ok && b.ok).toBe(true)
    expect(await cloud.call('onboarding', 'status', {}, { user: 'bob' })).toMatchObject({ data: { next: 'realName' } })
  })

  it('a failure is not stored: the same requestId runs again once the cause is gone', async () => {
    await cloud.call('onboarding', 'acceptAgreements', { accepted: ALL_AGREEMENTS })
    const input = makeApplicant({ name: '王维护' })
    expect((await verify(input, 'alice', 'req_fail_0001')).ok).toBe(false)
    expect((await verify(input, 'alice', 'req_fail_0001')).ok).toBe(false)
    expect(await cloud.ports.store.get('requests', 'o_dev_alice:req_fail_0001')).toBeNull()
  })
})
