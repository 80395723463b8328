/**
 * The legal identity at rest. Regression: face sessions kept WeChat's unkeyed cert_hash while the
 * birth date sat in clear, so name + ID could be brute-forced from one row; yet the lender could
 * not identify the borrower (the bureau got only a keyed hash). Now name and ID are sealed with
 * AES-256-GCM (key outside the database, its id beside each ciphertext), opened only where they
 * must be sent, and no unkeyed hash of them is stored anywhere.
 */
import type { FaceStart, OnboardingStatus } from '../../src/api'
import { openIdentity, resealIdentities } from '../../server/app/identity'
import { runScheduledJobs } from '../../server/app/timer'
import type { UserDoc } from '../../server/app/users'
import { Keyring, keyringFromEnv } from '../../server/keyring'
import { LocalSecrets } from '../../server/local/adapters/basics'
import type { Subject } from '../../server/ports'
import { AccessTokens, WechatFaceVerifier, certHash } from '../../server/wechat/face'
import type { HttpsJsonRequest } from '../../server/wechat/https'
import { formsFound } from '../support/at-rest'
import { ALL_AGREEMENTS, makeTestCloud, testKeyring, type TestCloud } from '../support/cloud'
import { makeApplicant, makeIdNumber } from '../support/factories'
import { borrow, onboardBorrower } from '../support/borrower'

let cloud: TestCloud
afterEach(() => cloud.close())

const alice = makeApplicant({ name: '张三', idNumber: makeIdNumber({ seq: '511' }) })
const bob = makeApplicant({ name: '李四', idNumber: makeIdNumber({ seq: '522' }), mobile: '13711112222' })

async function verify(user: string, person: typeof alice) {
  await cloud.call('onboarding', 'acceptAgreements', { accepted: ALL_AGREEMENTS }, { user })
  const r = await cloud.call<OnboardingStatus>('onboarding', 'verifyIdentity', person, { user })
  if (!r.ok) throw new Error(r.error.code)
}
const userDoc = async (user: string) => (await cloud.ports.store.get<UserDoc>('users', `o_dev_${user}`))!.data

describe('the legal identity, sealed', () => {
  beforeEach(async () => {
    cloud = await makeTestCloud()
  })

  it('is stored only encrypted, under the current key, and opens to exactly what was verified', async () => {
    await verify('alice', alice)
    const u = await userDoc('alice')
    expect(u.identity!.legal!.name.kid).toBe('test-1')
    expect(u.identity!.legal!.idNumber.kid).toBe('test-1')
    expect(openIdentity(cloud.ports.secrets, u)).toEqual({ name: alice.name, idNumber: alice.idNumber })
    expect(u.identity).toMatchObject({ nameMasked: '*三', idMasked: `1${'*'.repeat(16)}${alice.idNumber.slice(-1)}` })
    expect(formsFound(Buffer.from(cloud.dump()), [alice])).toEqual([])
  })

  it('a ciphertext is bound to its person and field: moved to another record, or changed, it does not open', async () => {
    await verify('alice', alice)
    await verify('bob', bob)
    const a = await userDoc('alice')
    const b = await userDoc('bob')
    const swapped = { ...b, identity: { ...b.identity!, legal: a.identity!.legal } }
    expect(() => openIdentity(cloud.ports.secrets, swapped)).toThrow()
    const fieldSwap = {
      ...a,
      identity: { ...a.identity!, legal: { name: a.identity!.legal!.idNumber, idNumber: a.identity!.legal!.name } },
    }
    expect(() => openIdentity(cloud.ports.secrets, fieldSwap)).toThrow()
    const ct = Buffer.from(a.identity!.legal!.name.ct, 'base64')
    ct[0] ^= 1
    const tampered = {
      ...a,
      identity: {
        ...a.identity!,
        legal: { ...a.identity!.legal!, name: { ...a.identity!.legal!.name, ct: ct.toString('base64') } },
      },
    }
    expect(() => openIdentity(cloud.ports.secrets, tampered)).toThrow()
  })

  it('the bureau is asked with the legal name and ID (to find the file), the keyed hash beside them', async () => {
    await verify('alice', alice)
    const subjects: Array<{ call: string; subject: Subject }> = []
    const bureau = cloud.ports.bureau
    cloud.ports.bureau = {
      softReport: (subject, now) => (subjects.push({ call: 'soft', subject }), bureau.softReport(subject, now)),
      hardInquiry: (subject, q, now) => (subjects.push({ call: 'hard', subject }), bureau.hardInquiry(subject, q, now)),
    }
    expect((await cloud.call('credit', 'precheck', {})).ok).toBe(true)
    const u = await userDoc('alice')
    expect(subjects).toEqual([
      {
        call: 'soft',
        subject: { openid: 'o_dev_alice', idHash: u.identity!.idHash, name: alice.name, idNumber: alice.idNumber },
      },
    ])
  })

  it('with the WeChat face adapter: cert_hash is computed at query time from the sealed identity and never stored', async () => {
    await verify('alice', alice)
    const sent: Array<{ path: string; body: Record<string, unknown> }> = []
    const wechat = async (req: HttpsJsonRequest) => {
      const path = new URL(req.url).pathname
      if (path === '/cgi-bin/stable_token') return { status: 200, json: { access_token: 'tok', expires_in: 7200 } }
      const body = JSON.parse(req.body ?? '{}') as Record<string, unknown>
      sent.push({ path, body })
      if (path.endsWith('/getverifyid'))
        return { status: 200, json: { errcode: 0, verify_id: 'wxv_0001', expires_in: 3600 } }
      return { status: 200, json: { errcode: 0, verify_ret: 10000 } }
    }
    cloud.ports.face = new WechatFaceVerifier(
      new AccessTokens('wxapp', 'secret', () => cloud.ports.clock.now(), wechat),
      wechat,
    ) as never
    const s = await cloud.call<FaceStart>('onboarding', 'startFace', { name: alice.name, idNumber: alice.idNumber })
    if (!s.ok) throw new Error(s.error.code)
    expect(await cloud.call('onboarding', 'confirmFace', { verifyId: s.data.verifyId })).toMatchObject({ ok: true })
    expect(sent.map((x) => x.path)).toEqual([
      '/cityservice/face/identify/getverifyid',
      '/cityservice/face/identify/queryverifyinfo',
    ])
    expect(sent[1].body.cert_hash).toBe(certHash(alice.name, alice.idNumber))
    expect(formsFound(Buffer.from(cloud.dump()), [alice])).toEqual([])
  })

  /** Makes alice's record look verified before identities were kept (optionally without a name hash). */
  async function makeLegacy(opts: { withoutNameHash?: boolean } = {}) {
    const doc = (await cloud.ports.store.get<UserDoc>('users', 'o_dev_alice'))!
    const { legal: _legal, nameHash, ...legacy } = doc.data.identity!
    const identity = opts.withoutNameHash ? legacy : { ...legacy, nameHash }
    await cloud.ports.store.update('users', 'o_dev_alice', doc.version, { ...doc.data, identity })
  }

  it('a record verified before the identity was kept goes back to the real-name step, and the same person typing it again seals it', async () => {
    await verify('alice', alice)
    await makeLegacy()
    expect(openIdentity(cloud.ports.secrets, await userDoc('alice'))).toBeNull()
    expect(await cloud.call<OnboardingStatus>('onboarding', 'status', {})).toMatchObject({
      ok: true,
      data: { next: 'realName', identity: { recheck: true } },
    })
    // Nothing is sent to the bureau for it meanwhile: a typed refusal, not a query by hash alone.
    expect(await cloud.call('credit', 'precheck', {})).toMatchObject({
      ok: false,
      error: { code: 'IDENTITY_RECHECK_REQUIRED', detail: 'NOT_KEPT' },
    })
    // Another name with the same ID number is not this person: nothing is sealed.
    expect(await cloud.call('onboarding', 'verifyIdentity', { ...alice, name: '王五' })).toMatchObject({
      ok: false,
      error: { code: 'IDENTITY_MISMATCH' },
    })
    expect(openIdentity(cloud.ports.secrets, await userDoc('alice'))).toBeNull()
    expect(await cloud.call('onboarding', 'verifyIdentity', alice)).toMatchObject({
      ok: true,
      data: { next: 'precheck', identity: { recheck: false } },
    })
    expect(openIdentity(cloud.ports.secrets, await userDoc('alice'))).toEqual({
      name: alice.name,
      idNumber: alice.idNumber,
    })
    expect((await cloud.call('credit', 'precheck', {})).ok).toBe(true)
  })

  it('without a kept name hash, the typed name is checked with the identity service before it is sealed — and a face start seals nothing', async () => {
    await verify('alice', alice)
    await makeLegacy({ withoutNameHash: true })
    const typed = { ...alice, name: '不符五' }
    // A face start cannot vouch for a name: it seals nothing, and its confirm asks for the real-name step.
    const s = await cloud.call<FaceStart>('onboarding', 'startFace', { name: typed.name, idNumber: typed.idNumber })
    expect(openIdentity(cloud.ports.secrets, await userDoc('alice'))).toBeNull()
    if (s.ok) {
      await cloud.ports.face.setOutcome(s.data.verifyId, 'o_dev_alice', 'pass')
      expect(await cloud.call('onboarding', 'confirmFace', { verifyId: s.data.verifyId })).toMatchObject({
        ok: false,
        error: { code: 'IDENTITY_RECHECK_REQUIRED' },
      })
    }
    // The simulator's record says 不符 is not this ID's name.
    expect(await cloud.call('onboarding', 'verifyIdentity', typed)).toMatchObject({
      ok: false,
      error: { code: 'IDENTITY_MISMATCH' },
    })
    expect(openIdentity(cloud.ports.secrets, await userDoc('alice'))).toBeNull()
    expect((await cloud.call('onboarding', 'verifyIdentity', alice)).ok).toBe(true)
    expect(openIdentity(cloud.ports.secrets, await userDoc('alice'))).toEqual({
      name: alice.name,
      idNumber: alice.idNumber,
    })
  })

  it('a face start by the same person seals a legacy record once the face service answers', async () => {
    await verify('alice', alice)
    await makeLegacy()
    const s = await cloud.call<FaceStart>('onboarding', 'startFace', { name: alice.name, idNumber: alice.idNumber })
    expect(s.ok).toBe(true)
    expect(openIdentity(cloud.ports.secrets, await userDoc('alice'))).toEqual({
      name: alice.name,
      idNumber: alice.idNumber,
    })
  })
})

describe('data-key rotation', () => {
  it('a new key seals new records, the old key still opens old ones, re-sealing moves every record, then the old key can go', async () => {
    cloud = await makeTestCloud({ dataKeys: testKeyring('test-1') })
    await verify('alice', alice)
    const hashKey = Buffer.alloc(32, 7)
    // Step 1: test-2 becomes current; test-1 stays to decrypt.
    cloud.ports.secrets = new LocalSecrets(hashKey, testKeyring('test-2', 'test-1'))
    await verify('bob', bob)
    expect((await userDoc('alice')).identity!.legal!.name.kid).toBe('test-1')
    expect((await userDoc('bob')).identity!.legal!.name.kid).toBe('test-2')
    expect(openIdentity(cloud.ports.secrets, await userDoc('alice'))).toEqual({
      name: alice.name,
      idNumber: alice.idNumber,
    })
    // Step 2: re-seal what test-1 holds.
    expect(await resealIdentities(cloud.ports, ['test-1'])).toEqual({ resealed: 1, remaining: 0, failed: 0 })
    expect(await resealIdentities(cloud.ports, ['test-1'])).toEqual({ resealed: 0, remaining: 0, failed: 0 })
    expect((await userDoc('alice')).identity!.legal!.name.kid).toBe('test-2')
    // Step 3: test-1 removed; everything still opens, and the keyed hashes (look-ups) never changed.
    cloud.ports.secrets = new LocalSecrets(hashKey, testKeyring('test-2'))
    for (const [user, person] of [
      ['alice', alice],
      ['bob', bob],
    ] as const)
      expect(openIdentity(cloud.ports.secrets, await userDoc(user))).toEqual({
        name: person.name,
        idNumber: person.idNumber,
      })
    expect((await cloud.call('onboarding', 'verifyIdentity', alice)).ok).toBe(true)
  })

  it('re-sealing moves the signed contracts too (their text names the borrower), so the old key can go and every contract still opens', async () => {
    cloud = await makeTestCloud({ dataKeys: testKeyring('test-1') })
    await onboardBorrower(cloud)
    await borrow(cloud)
    const before = (await cloud.call<Array<{ contractId: string }>>('contracts', 'list', {})) as {
      data: Array<{ contractId: string }>
    }
    expect(before.data).toHaveLength(2)
    const hashKey = Buffer.alloc(32, 7)
    cloud.ports.secrets = new LocalSecrets(hashKey, testKeyring('test-2', 'test-1'))
    // One identity and two contracts sealed with test-1.
    expect(await resealIdentities(cloud.ports, ['test-1'])).toEqual({ resealed: 3, remaining: 0, failed: 0 })
    cloud.ports.secrets = new LocalSecrets(hashKey, testKeyring('test-2'))
    for (const c of before.data)
      expect(await cloud.call('contracts', 'get', { contractId: c.contractId })).toMatchObject({
        ok: true,
        data: { text: expect.stringContaining('借款人：张三') },
      })
  })

  it('a key removed before its records were re-sealed: a typed IDENTITY_RECHECK_REQUIRED (logged with the key id), never INTERNAL; typing the identity again re-seals it', async () => {
    cloud = await makeTestCloud({ dataKeys: testKeyring('test-1') })
    await verify('alice', alice)
    await verify('bob', bob)
    cloud.ports.secrets = new LocalSecrets(Buffer.alloc(32, 7), testKeyring('test-2'))
    const sealedAlice = await userDoc('alice')
    expect(() => openIdentity(cloud.ports.secrets, sealedAlice)).toThrow(/data key test-1 is not configured/)
    for (const [action, data] of [
      ['credit', 'precheck', {}],
      ['credit', 'offers', {}],
    ] as const)
      expect(await cloud.call(action, data, {})).toMatchObject({
        ok: false,
        error: { code: 'IDENTITY_RECHECK_REQUIRED', detail: 'UNREADABLE' },
      })
    expect(cloud.logs.filter((l) => l.event === 'identity_unreadable')[0]).toMatchObject({
      level: 'error',
      fields: { kid: 'test-1', reason: 'KEY_MISSING' },
    })
    // The rotation job counts what it cannot open and goes on.
    expect(await resealIdentities(cloud.ports, ['test-1'])).toEqual({ resealed: 0, remaining: 2, failed: 2 })
    expect((await cloud.call('onboarding', 'verifyIdentity', alice)).ok).toBe(true)
    expect((await userDoc('alice')).identity!.legal!.name.kid).toBe('test-2')
    expect((await cloud.call('credit', 'precheck', {})).ok).toBe(true)
  })

  it('in WeChat Cloud the timer finishes a rotation: once a new key is current, its runs re-seal what older keys hold', async () => {
    cloud = await makeTestCloud({ dataKeys: testKeyring('test-1') })
    await verify('alice', alice)
    await verify('bob', bob)
    expect((await runScheduledJobs(cloud.ports)).resealed).toBeNull()
    cloud.ports.secrets = new LocalSecrets(Buffer.alloc(32, 7), testKeyring('test-2', 'test-1'))
    expect((await runScheduledJobs(cloud.ports)).resealed).toEqual({ resealed: 2, remaining: 0, failed: 0 })
    expect(cloud.logs.find((l) => l.event === 'identities_resealed')).toMatchObject({
      fields: { retired: ['test-1'], resealed: 2, remaining: 0 },
    })
    for (const user of ['alice', 'bob']) expect((await userDoc(user)).identity!.legal!.name.kid).toBe('test-2')
  })

  it('KAITONG_DATA_KEYS: the first key encrypts, the others only decrypt; malformed values are refused', () => {
    const hex = (b: number) => Buffer.alloc(32, b).toString('hex')
    const ring = keyringFromEnv(`2026-12:${hex(1)}, 2026-01:${hex(2)}`)
    expect(ring.current).toBe('2026-12')
    expect(ring.ids().sort()).toEqual(['2026-01', '2026-12'])
    const old = new Keyring('2026-01', { '2026-01': Buffer.alloc(32, 2) }).seal('c', 'x')
    expect(ring.open('c', old)).toBe('x')
    expect(ring.seal('c', 'y').kid).toBe('2026-12')
    for (const bad of [
      undefined,
      '',
      'k1',
      `k1:${hex(1).slice(2)}`,
      `k1:${hex(1)},:${hex(2)}`,
      `k1:${hex(1)},k1:${hex(2)}`,
    ])
      expect(() => keyringFromEnv(bad)).toThrow(/KAITONG_DATA_KEYS/)
  })
})
