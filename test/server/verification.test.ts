import { openLine } from '../support/borrower'
import { makeCard } from '../support/cards'
import crypto from 'node:crypto'
import type { FaceStart, OnboardingStatus, PayScoreStart } from '../../src/api'
import type { Evaluation } from '../../src/domain/rules'
import { certHash } from '../../server/wechat/face'
import type { HttpsJsonRequest, HttpsJsonResponse } from '../../server/wechat/https'
import { WechatPayScore, platformKeys as platformKeysOf, type PayScoreAssessor } from '../../server/wechat/pay-score'
import { ALL_AGREEMENTS, makeTestCloud, type TestCloud } from '../support/cloud'
import { makeApplicant, makeIdNumber } from '../support/factories'

let cloud: TestCloud
beforeEach(async () => {
  cloud = await makeTestCloud()
})
afterEach(() => cloud.close())

const card = (bin = '622588', fill = '123456789') => makeCard(bin, fill)
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

/** WeChat Pay's authorization query times out from now on (the lender's assessment still answers); returns the working port. */
function payScoreTimesOut() {
  const sim = cloud.ports.payScore
  cloud.ports.payScore = {
    authorization: async () => {
      throw new Error('timeout calling api.mch.weixin.qq.com')
    },
    assess: (subject, t) => sim.assess(subject, t),
    permissionToken: (openid, no) => sim.permissionToken(openid, no),
  }
  return sim
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
    [{ cardNumber: card('123456') }, 'CARD_BANK_UNSUPPORTED', undefined],
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
  it('records what WeChat Pay reports and the lender’s assessment; the client sends nothing it could fake', async () => {
    await onboard('bob')
    const r = await cloud.call<OnboardingStatus>(
      'onboarding',
      'authorizePayScore',
      { state: 'AVAILABLE', meetsThreshold: true },
      { user: 'bob' },
    )
    // bob authorized (AVAILABLE) but his score is under 600: only the assessment says so.
    expect(r).toMatchObject({ ok: true, data: { payScore: { authorization: 'AVAILABLE', meetsThreshold: false } } })
  })

  it('a person who never authorized (WeChat Pay’s 404) is “not authorized”, with the fix — never INTERNAL', async () => {
    await onboard('erin')
    expect(await cloud.call('onboarding', 'authorizePayScore', {}, { user: 'erin' })).toMatchObject({
      ok: true,
      data: { payScore: { authorization: 'NONE', meetsThreshold: null } },
    })
    const p = await cloud.call<Evaluation>('credit', 'precheck', {}, { user: 'erin' })
    if (!p.ok) throw new Error(p.error.code)
    const by = (id: string) => p.data.products.find((d) => d.product === id)!
    expect(by('we2000').reasons.map((r) => r.code)).toEqual(['PAY_SCORE_NOT_AUTHORIZED'])
    expect(by('we2000').reasons[0].fix).toContain('去授权')
    expect(by('weilidai').eligible).toBe(true)
  })

  it('an authorized person whose assessment does not answer: recorded as authorized, the threshold unconfirmed', async () => {
    await onboard()
    const sim = cloud.ports.payScore
    cloud.ports.payScore = {
      authorization: (openid) => sim.authorization(openid),
      assess: async () => {
        throw new Error('lender gateway payscore/assessment: HTTP 503')
      },
      permissionToken: (openid, no) => sim.permissionToken(openid, no),
    }
    expect(await cloud.call('onboarding', 'authorizePayScore', {})).toMatchObject({
      ok: true,
      data: { payScore: { authorization: 'AVAILABLE', meetsThreshold: null } },
    })
    expect(cloud.logs.map((l) => l.event)).toContain('pay_score_assessment_failed')
  })
})

/**
 * Regression: the real pay-score adapter threw on WeChat Pay's 404 ORDER_NOT_EXIST — its normal
 * answer for every new user — and profileOf asked it for every pre-check, so credit.precheck and
 * loans.apply answered INTERNAL for every product, 微粒贷 included, which needs no pay score.
 */
describe('the pay score never fails a decision', () => {
  it('WeChat Pay not answering: products that need it say “unconfirmed”, 微粒贷 is decided as usual, and apply works', async () => {
    await onboard()
    await bind()
    payScoreTimesOut()
    const p = await cloud.call<Evaluation>('credit', 'precheck', {})
    if (!p.ok) throw new Error(p.error.code)
    const by = (id: string) => p.data.products.find((d) => d.product === id)!
    expect(by('we2000').reasons.map((r) => r.code)).toEqual(['PAY_SCORE_UNCONFIRMED'])
    expect(by('weilidai')).toMatchObject({ eligible: true, reasons: [] })
    // 微粒贷 opens without a pay score, and a drawdown on it asks for none.
    await openLine(cloud, 'alice', 'weilidai')
    expect(
      await cloud.call('loans', 'apply', {
        product: 'weilidai',
        amountFen: 100_000,
        termDays: 30,
        mode: 'flexible',
        purpose: 'consumption',
      }),
    ).toMatchObject({ ok: true, data: { outcome: 'approved' } })
    expect(cloud.logs.map((l) => l.event)).toContain('pay_score_unavailable')
  })
  /**
   * Regression (review): an unconfirmed pay score was a refusal reason, so a WE2000 application
   * during a WeChat Pay outage spent the consent, made a hard inquiry and recorded a refusal.
   */
  it('WeChat Pay not answering when opening a product that needs it: PAY_SCORE_UNAVAILABLE, no inquiry, the consent unspent; a drawdown on an open line is not affected', async () => {
    await onboard()
    await bind()
    const c = await cloud.call<{ consentId: string }>('lines', 'consent', { product: 'we2000' })
    if (!c.ok) throw new Error(c.error.code)
    const sim = payScoreTimesOut()
    const inquiries = async () =>
      (await cloud.ports.bureau.softReport({ openid: 'o_dev_alice', idHash: '' }, cloud.ports.clock.now()))
        .hardInquiryTimes.length
    const before = { dump: cloud.dump(), inquiries: await inquiries() }
    const input = { product: 'we2000', consentId: c.data.consentId }
    expect(await cloud.call('lines', 'open', input)).toMatchObject({
      ok: false,
      error: { code: 'PAY_SCORE_UNAVAILABLE' },
    })
    expect(await inquiries()).toBe(before.inquiries)
    expect(cloud.dump()).toBe(before.dump)
    // Once WeChat Pay answers again, the same consent opens the line.
    cloud.ports.payScore = sim
    expect(await cloud.call('lines', 'open', input)).toMatchObject({ ok: true, data: { state: 'active' } })
    payScoreTimesOut()
    const drawn = {
      product: 'we2000',
      amountFen: 100_000,
      termMonths: 6,
      mode: 'equal-installment',
      purpose: 'consumption',
    }
    expect(await cloud.call('loans', 'apply', drawn)).toMatchObject({ ok: true, data: { outcome: 'approved' } })
  })
})

describe('onboarding.startPayScore', () => {
  const start = (user = 'alice') => cloud.call<PayScoreStart>('onboarding', 'startPayScore', {}, { user })

  it('gets the 商户预授权 token for WeChat Pay’s page; the state is still asked of WeChat Pay afterwards', async () => {
    await onboard('bob')
    const r = await start('bob')
    expect(r).toMatchObject({ ok: true, data: { token: expect.stringMatching(/^simpayscore_[0-9a-f]{32}$/) } })
    // The token is not an authorization: the user has none until WeChat Pay says so.
    expect(await cloud.call('onboarding', 'status', {}, { user: 'bob' })).toMatchObject({ data: { payScore: null } })
    expect(await cloud.call('onboarding', 'authorizePayScore', {}, { user: 'bob' })).toMatchObject({
      ok: true,
      data: { payScore: { authorization: 'AVAILABLE', meetsThreshold: false } },
    })
  })

  it('each request gets its own authorization_code; a retry of one request gets the same token', async () => {
    await onboard()
    const codes: string[] = []
    const sim = cloud.ports.payScore
    cloud.ports.payScore = {
      authorization: (openid) => sim.authorization(openid),
      assess: (subject, threshold) => sim.assess(subject, threshold),
      permissionToken: (openid, outRequestNo) => (codes.push(outRequestNo), sim.permissionToken(openid, outRequestNo)),
    }
    const first = await cloud.call<PayScoreStart>('onboarding', 'startPayScore', {}, { requestId: 'req_ps_0001' })
    const again = await cloud.call<PayScoreStart>('onboarding', 'startPayScore', {}, { requestId: 'req_ps_0001' })
    const other = await start()
    expect(first.ok && again.ok && other.ok).toBe(true)
    if (!first.ok || !again.ok || !other.ok) return
    expect(again.data.token).toBe(first.data.token)
    expect(other.data.token).not.toBe(first.data.token)
    expect(codes).toHaveLength(2)
    for (const code of codes) expect(code).toMatch(/^[0-9A-Za-z_-]{1,32}$/)
    expect(codes[0]).not.toBe(codes[1])
  })

  it('mirrors authorizePayScore’s guards: agreements, the real-name check, the financial-data consent', async () => {
    expect(await start('bob')).toMatchObject({ ok: false, error: { code: 'AGREEMENTS_REQUIRED' } })
    await cloud.call('onboarding', 'acceptAgreements', { accepted: ALL_AGREEMENTS }, { user: 'bob' })
    expect(await start('bob')).toMatchObject({ ok: false, error: { code: 'STEP_REQUIRED', detail: 'realName' } })
    const carol = makeApplicant({ idNumber: makeIdNumber({ seq: '731' }) })
    await cloud.call('onboarding', 'acceptAgreements', { accepted: ALL_AGREEMENTS.slice(0, 2) }, { user: 'carol' })
    expect((await cloud.call('onboarding', 'verifyIdentity', carol, { user: 'carol' })).ok).toBe(true)
    expect(await start('carol')).toMatchObject({
      ok: false,
      error: { code: 'CONSENT_REQUIRED', detail: 'financialDataConsent' },
    })
  })

  it('WeChat Pay not answering → PAY_SCORE_UNAVAILABLE (retry later), logged, nothing written', async () => {
    await onboard()
    const sim = cloud.ports.payScore
    cloud.ports.payScore = {
      authorization: (openid) => sim.authorization(openid),
      assess: (subject, threshold) => sim.assess(subject, threshold),
      permissionToken: async () => {
        throw new Error('timeout calling api.mch.weixin.qq.com')
      },
    }
    const before = cloud.dump()
    expect(await start()).toMatchObject({ ok: false, error: { code: 'PAY_SCORE_UNAVAILABLE' } })
    expect(cloud.dump()).toBe(before)
    expect(cloud.logs.map((l) => l.event)).toContain('pay_score_token_failed')
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
    // WeChat's ids and times only: no cert_hash (an unkeyed hash of name + ID), nothing biometric.
    expect(Object.keys(session!.data).sort()).toEqual([
      'confirmedAt',
      'expiresAt',
      'openid',
      'outSeqNo',
      'result',
      'startedAt',
    ])
    const dump = cloud.dump()
    for (const form of [applicant.idNumber, applicant.name, certHash(applicant.name, applicant.idNumber)])
      expect(dump).not.toContain(form)
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

  /**
   * Regression: confirmFace accepted a verifyId that had been confirmed already, or had expired, so
   * an old pass could be replayed. A session is confirmed at most once and only before expiresAt.
   */
  it('a session is confirmed once: a second confirm is FACE_SESSION_USED and records nothing', async () => {
    const s = await start()
    if (!s.ok) throw new Error(s.error.code)
    await cloud.ports.face.setOutcome(s.data.verifyId, 'o_dev_alice', 'pass')
    expect(await confirm(s.data.verifyId)).toMatchObject({ ok: true, data: { face: 'passed' } })
    const before = cloud.dump()
    cloud.ports.clock.advance(60_000)
    expect(await confirm(s.data.verifyId)).toMatchObject({
      ok: false,
      error: { code: 'FACE_SESSION_USED', field: 'verifyId' },
    })
    expect(cloud.dump()).toBe(before)
  })

  it.each([['cancel'], ['timeout'], ['fail']] as const)(
    'a finished session (%s) is closed too: confirming it again is FACE_SESSION_USED',
    async (outcome) => {
      const s = await start()
      if (!s.ok) throw new Error(s.error.code)
      await cloud.ports.face.setOutcome(s.data.verifyId, 'o_dev_alice', outcome)
      expect((await confirm(s.data.verifyId)).ok).toBe(false)
      // Whatever the simulator says now, the session's verdict stands.
      await cloud.ports.face.setOutcome(s.data.verifyId, 'o_dev_alice', 'pass')
      expect(await confirm(s.data.verifyId)).toMatchObject({ ok: false, error: { code: 'FACE_SESSION_USED' } })
      expect((await cloud.call<OnboardingStatus>('onboarding', 'status', {})).ok).toBe(true)
    },
  )

  it('an unfinished session stays open: FACE_NOT_FINISHED, then the pass once the person finishes', async () => {
    const s = await start()
    if (!s.ok) throw new Error(s.error.code)
    expect(await confirm(s.data.verifyId)).toMatchObject({ ok: false, error: { code: 'FACE_NOT_FINISHED' } })
    await cloud.ports.face.setOutcome(s.data.verifyId, 'o_dev_alice', 'pass')
    expect(await confirm(s.data.verifyId)).toMatchObject({ ok: true })
  })

  it('only before expiresAt: at expiresAt − 1 ms it confirms, at expiresAt it is FACE_SESSION_EXPIRED and nothing changes', async () => {
    const a = await start()
    const b = await start()
    if (!a.ok || !b.ok) throw new Error('start')
    for (const s of [a, b]) await cloud.ports.face.setOutcome(s.data.verifyId, 'o_dev_alice', 'pass')
    cloud.ports.clock.advance(a.data.expiresAt - cloud.ports.clock.now() - 1)
    expect(await confirm(a.data.verifyId)).toMatchObject({ ok: true })
    cloud.ports.clock.advance(b.data.expiresAt - cloud.ports.clock.now())
    const before = cloud.dump()
    expect(await confirm(b.data.verifyId)).toMatchObject({
      ok: false,
      error: { code: 'FACE_SESSION_EXPIRED', field: 'verifyId' },
    })
    expect(cloud.dump()).toBe(before)
  })

  it('two confirms of one session at once: one verdict, the other FACE_SESSION_USED', async () => {
    const s = await start()
    if (!s.ok) throw new Error(s.error.code)
    await cloud.ports.face.setOutcome(s.data.verifyId, 'o_dev_alice', 'pass')
    const answers = await Promise.all([confirm(s.data.verifyId), confirm(s.data.verifyId)])
    expect(answers.filter((a) => a.ok)).toHaveLength(1)
    expect(answers.find((a) => !a.ok)).toMatchObject({ ok: false, error: { code: 'FACE_SESSION_USED' } })
  })

  it('a verdict that closed its session but lost the write to the person’s record is finished by the retry, once', async () => {
    const s = await start()
    if (!s.ok) throw new Error(s.error.code)
    await cloud.ports.face.setOutcome(s.data.verifyId, 'o_dev_alice', 'pass')
    // Every write to the user record loses its compare-and-set this once.
    const store = cloud.ports.store
    const update = store.update.bind(store)
    store.update = (async (collection: string, id: string, v: number, data: unknown) =>
      collection === 'users'
        ? { ok: false, reason: 'CONFLICT' }
        : update(collection, id, v, data)) as typeof store.update
    expect(await confirm(s.data.verifyId)).toMatchObject({ ok: false, error: { code: 'CONFLICT' } })
    store.update = update
    expect(await cloud.call<OnboardingStatus>('onboarding', 'status', {})).toMatchObject({ data: { face: null } })
    expect(await confirm(s.data.verifyId)).toMatchObject({ ok: true, data: { face: 'passed' } })
    expect(await confirm(s.data.verifyId)).toMatchObject({ ok: false, error: { code: 'FACE_SESSION_USED' } })
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

describe('WeChat pay-score adapter', () => {
  const { privateKey, publicKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 })
  // WeChat Pay's own key pair (its platform key), generated here: it signs the answers.
  const platformPair = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 })
  const KEY_ID = 'PUB_KEY_ID_0114232134912410000000000011'
  const platform = platformKeysOf({
    [KEY_ID]: platformPair.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  })
  const merchant = {
    mchid: '1230000109',
    appid: 'wxd678efh567hg6787',
    serviceId: '500001',
    certSerial: '5157F09EFDC096DE15EBE81A47057A7232F1B8E1',
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    platform,
  }
  const NOW_S = 1_796_000_000
  const noAssessor = {
    assessPayScore: async () => {
      throw new Error('not asked here')
    },
  }

  /** An answer as WeChat Pay sends it: the body, signed over timestamp, nonce and body with its key. */
  function signed(status: number, json: unknown, opts: { at?: number; key?: crypto.KeyObject; serial?: string } = {}) {
    const text = JSON.stringify(json)
    const timestamp = String(opts.at ?? NOW_S)
    const nonce = crypto.randomBytes(16).toString('hex')
    const signature = crypto
      .createSign('RSA-SHA256')
      .update(`${timestamp}\n${nonce}\n${text}\n`)
      .sign(opts.key ?? platformPair.privateKey, 'base64')
    return {
      status,
      json,
      text,
      headers: {
        'wechatpay-timestamp': timestamp,
        'wechatpay-nonce': nonce,
        'wechatpay-signature': signature,
        'wechatpay-serial': opts.serial ?? KEY_ID,
      },
    }
  }

  /** The adapter with WeChat Pay answering `answer`; every request it sends is kept. */
  function adapter(answer: HttpsJsonResponse, assessor: PayScoreAssessor = noAssessor) {
    const sent: HttpsJsonRequest[] = []
    const payScore = new WechatPayScore(
      merchant,
      assessor,
      () => NOW_S * 1000,
      async (req) => (sent.push(req), answer),
    )
    return { payScore, sent }
  }

  /** Checks the WECHATPAY2-SHA256-RSA2048 header against the merchant's public key. */
  function verifySigned(req: HttpsJsonRequest, method: string, path: string) {
    const header = req.headers!.authorization
    expect(header).toMatch(/^WECHATPAY2-SHA256-RSA2048 /)
    const field = (name: string) => new RegExp(`${name}="([^"]*)"`).exec(header)![1]
    expect(field('mchid')).toBe(merchant.mchid)
    expect(field('serial_no')).toBe(merchant.certSerial)
    expect(field('timestamp')).toBe(String(NOW_S))
    const message = `${method}\n${path}\n${NOW_S}\n${field('nonce_str')}\n${req.body ?? ''}\n`
    expect(crypto.createVerify('RSA-SHA256').update(message).verify(publicKey, field('signature'), 'base64')).toBe(true)
  }

  it('商户预授权: POSTs service_id, appid and authorization_code, signed, and returns apply_permissions_token', async () => {
    const { payScore, sent } = adapter(signed(200, { apply_permissions_token: 'AAQTnZoAAAAB-token' }))
    expect(await payScore.permissionToken('o_user', 'ps_abc123')).toBe('AAQTnZoAAAAB-token')
    expect(sent).toHaveLength(1)
    expect(sent[0]).toMatchObject({ method: 'POST', url: 'https://api.mch.weixin.qq.com/v3/payscore/permissions' })
    expect(sent[0].headers!['content-type']).toBe('application/json')
    expect(JSON.parse(sent[0].body!)).toEqual({
      service_id: '500001',
      appid: 'wxd678efh567hg6787',
      authorization_code: 'ps_abc123',
    })
    verifySigned(sent[0], 'POST', '/v3/payscore/permissions')
  })

  it.each([
    [signed(400, { code: 'PARAM_ERROR', message: 'authorization_code 重复' })],
    [signed(200, {})],
    [signed(200, { apply_permissions_token: '' })],
    [{ status: 500, json: null }],
  ])('a token only from a 200 that carries one: %j throws', async (answer) => {
    await expect(adapter(answer).payScore.permissionToken('o_user', 'ps_1')).rejects.toThrow(
      /pay score permissions|without a signature/,
    )
  })

  it('the authorization query GETs the openid’s authorization, signed over the path and query', async () => {
    const { payScore, sent } = adapter(signed(200, { authorization_state: 'AVAILABLE' }))
    expect(await payScore.authorization('o_user')).toBe('AVAILABLE')
    const path = '/v3/payscore/permissions/openid/o_user?appid=wxd678efh567hg6787&service_id=500001'
    expect(sent[0]).toMatchObject({ method: 'GET', url: `https://api.mch.weixin.qq.com${path}` })
    verifySigned(sent[0], 'GET', path)
  })

  it.each([
    [signed(200, { authorization_state: 'AVAILABLE' }), 'AVAILABLE'],
    [signed(200, { authorization_state: 'UNAVAILABLE' }), 'UNAVAILABLE'],
    [signed(200, { authorization_state: 'UNBINDUSER' }), 'UNBINDUSER'],
    // WeChat Pay's FAQ: a user who never authorized is answered 404 ORDER_NOT_EXIST — the normal answer.
    [signed(404, { code: 'ORDER_NOT_EXIST', message: '请求操作的授权记录不存在' }), 'NONE'],
  ] as const)('%j → %s: AVAILABLE means authorized, never “score ≥ 600”', async (answer, state) => {
    expect(await adapter(answer).payScore.authorization('o_user')).toBe(state)
  })

  it.each([
    ['another 404', signed(404, { code: 'RESOURCE_NOT_EXISTS', message: '?' }), /unexpected answer 404/],
    ['a 500', signed(500, { code: 'SYSTEM_ERROR' }), /unexpected answer 500/],
    ['an unknown state', signed(200, { authorization_state: 'MAYBE' }), /unexpected answer 200/],
    ['an unsigned 200', { status: 200, json: { authorization_state: 'AVAILABLE' }, text: '{}' }, /without a signature/],
    // WeChat Pay signs its 404 for a person who never authorized; an unsigned one could flip an authorized person.
    ['an unsigned 404', { status: 404, json: { code: 'ORDER_NOT_EXIST' } }, /without a signature/],
    [
      'a 200 signed by another key',
      signed(
        200,
        { authorization_state: 'AVAILABLE' },
        { key: crypto.generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey },
      ),
      /does not verify/,
    ],
    [
      'a 200 naming another key',
      signed(200, { authorization_state: 'AVAILABLE' }, { serial: 'PUB_KEY_ID_OTHER' }),
      /unknown key/,
    ],
    [
      'a stale 200 (6 minutes old)',
      signed(200, { authorization_state: 'AVAILABLE' }, { at: NOW_S - 360 }),
      /within 5 minutes/,
    ],
  ])('%s is refused (the use case answers PAY_SCORE_UNAVAILABLE or “unconfirmed”)', async (_what, answer, error) => {
    await expect(adapter(answer as HttpsJsonResponse).payScore.authorization('o_user')).rejects.toThrow(error)
  })

  it('header names in any case, and either of two platform keys while WeChat Pay rotates them', async () => {
    const answer = signed(200, { authorization_state: 'AVAILABLE' })
    const canonical = {
      ...answer,
      headers: Object.fromEntries(
        Object.entries(answer.headers).map(([k, v]) => [k.replace(/(^|-)[a-z]/g, (m) => m.toUpperCase()), v]),
      ),
    }
    expect(Object.keys(canonical.headers)).toContain('Wechatpay-Signature')
    expect(await adapter(canonical).payScore.authorization('o_user')).toBe('AVAILABLE')
    const next = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 })
    const two = new WechatPayScore(
      {
        ...merchant,
        platform: {
          ...platform,
          ...platformKeysOf({ PUB_KEY_ID_NEXT: next.publicKey.export({ type: 'spki', format: 'pem' }).toString() }),
        },
      },
      noAssessor,
      () => NOW_S * 1000,
      async () =>
        signed(200, { authorization_state: 'UNAVAILABLE' }, { key: next.privateKey, serial: 'PUB_KEY_ID_NEXT' }),
    )
    expect(await two.authorization('o_user')).toBe('UNAVAILABLE')
  })

  it('a body changed after signing does not verify', async () => {
    const answer = signed(200, { authorization_state: 'UNAVAILABLE' })
    const forged = {
      ...answer,
      json: { authorization_state: 'AVAILABLE' },
      text: '{"authorization_state":"AVAILABLE"}',
    }
    await expect(adapter(forged).payScore.authorization('o_user')).rejects.toThrow(/does not verify/)
  })

  it('the threshold answer comes from the lender’s assessment, behind the same port', async () => {
    const asked: Array<[string, number]> = []
    const { payScore, sent } = adapter(signed(200, {}), {
      assessPayScore: async (subject, threshold) => (asked.push([subject.openid, threshold]), true),
    })
    expect(await payScore.assess({ openid: 'o_user', idHash: 'h' }, 600)).toBe(true)
    expect(asked).toEqual([['o_user', 600]])
    expect(sent).toEqual([])
  })
})

describe('pay-score records from before authorization and assessment were kept apart', () => {
  it.each([['AVAILABLE'], ['UNAVAILABLE'], ['UNBINDUSER']] as const)(
    'a stored { state: %s } reads as that authorization, not assessed — never as “meets 600”',
    async (state) => {
      await onboard()
      const doc = (await cloud.ports.store.get<Record<string, unknown>>('users', 'o_dev_alice'))!
      await cloud.ports.store.update('users', 'o_dev_alice', doc.version, { ...doc.data, payScore: { state, at: 1 } })
      expect(await cloud.call('onboarding', 'status', {})).toMatchObject({
        data: { payScore: { authorization: state, meetsThreshold: null } },
      })
    },
  )
})
