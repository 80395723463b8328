// Deterministic stand-ins for services that exist only inside WeChat or at licensed providers:
// the identity record, the pay-score state, the bureau's soft report and the scoring signals.
// Each person's simulated world is a SimProfile: a demo persona, or one derived from a hash of
// the openid (so demo users differ but never change), with the dev page's edits on top.
import crypto from 'node:crypto'
import { DAY_MS } from '../../../src/domain/china-time'
import type { CreditProfile } from '../../../src/domain/credit-profile'
import type { PayScoreAuthorization } from '../../../src/domain/pay-score'
import { DEFAULT_RULE_SET } from '../../../src/domain/rule-set'
import type {
  CardCheckResult,
  CardVerifier,
  CreditBureau,
  FaceVerifier,
  IdentityCheck,
  IdentityVerifier,
  PayScore,
  ProfileSignals,
  ProfileSource,
  Store,
  Subject,
} from '../../ports'

const CNY = 100

/** What the simulated world knows about one person. */
export interface SimProfile extends ProfileSignals {
  /** WeChat Pay score; 0 = pay score not enabled (WeChat Pay's 404: never authorized). Only the simulator ever sees it. */
  payScore: number
  /** What the bound debit card holds (fen): the simulated card debit takes no more than this. Absent: ¥50,000. */
  cardBalanceFen?: number
  /** The bureau's report, with inquiries as days ago (the report is built at `now`). */
  bureau: Omit<CreditProfile['bureau'], 'hardInquiryTimes'> & {
    hardInquiryDaysAgo: number[]
    /** Hard inquiries this product itself made (epoch ms), after the person's consent. */
    recordedInquiryTimes?: number[]
    /** The consents those inquiries were made under (one inquiry each). */
    inquiryConsents?: string[]
  }
}

export const SIM_PROFILES = 'simProfiles'

/** What a simulated debit card holds unless the profile says otherwise. */
export const DEFAULT_CARD_BALANCE_FEN = 50_000 * CNY

/** A steady, well-documented borrower; personas change one thing each from here. */
function baseline(): SimProfile {
  return {
    payScore: 700,
    cardBalanceFen: DEFAULT_CARD_BALANCE_FEN,
    bureau: {
      hardInquiryDaysAgo: [40],
      overdueCount24m: 0,
      maxOverdueDays: 0,
      creditHistoryMonths: 48,
      debtFen: 30_000 * CNY,
      annualIncomeFen: 180_000 * CNY,
      fullRepaymentMonths: 12,
    },
    activity: { accountAgeMonths: 72, redPacketsPerMonth: 8, miniProgramDaysPerMonth: 18, charityMonths: 6 },
    consumption: {
      paymentsPerMonth: 60,
      medicalPaymentsPerMonth: 1,
      educationPaymentsPerMonth: 0,
      offlineSharePercent: 45,
      merchantCategories: 11,
    },
    assets: {
      wealthBalanceFen: 60_000 * CNY,
      holdingMonths: 14,
      insurancePremiumFen: 10_000 * CNY,
      walletFundEarningsFen: 2_000 * CNY,
      housingFundMonths: 36,
    },
    invited: true,
    device: { newDevice: false, distantLocation: false },
  }
}

type Change = (p: SimProfile) => void

/** Demo personas for the dev sign-in names (openid `o_dev_<name>`). */
/** The default rule set's gates, which the persona summaries quote. */
const G = DEFAULT_RULE_SET.gates

export const PERSONAS: Record<string, { summary: string; change: Change }> = {
  alice: { summary: '信用良好，三款产品都可开通', change: () => undefined },
  bob: { summary: `支付分低于 ${G.payScoreThreshold}`, change: (p) => void (p.payScore = 560) },
  carol: {
    summary: `近${G.hardInquiryWindowMonths}个月征信查询7次`,
    change: (p) => void (p.bureau.hardInquiryDaysAgo = [5, 20, 33, 61, 90, 120, 150]),
  },
  dave: { summary: `每月支付不足${G.minPaymentsPerMonth}笔`, change: (p) => void (p.consumption.paymentsPerMonth = 8) },
  erin: { summary: '未开通微信支付分', change: (p) => void (p.payScore = 0) },
  frank: {
    summary: '信用白户（薄档案），未受邀',
    change: (p) => {
      p.invited = false
      p.bureau = { ...p.bureau, hardInquiryDaysAgo: [], creditHistoryMonths: 0, debtFen: 0, fullRepaymentMonths: 0 }
      p.assets = {
        wealthBalanceFen: 2_000 * CNY,
        holdingMonths: 2,
        insurancePremiumFen: 0,
        walletFundEarningsFen: 50 * CNY,
        housingFundMonths: 0,
      }
      p.activity.accountAgeMonths = 18
    },
  },
  grace: {
    summary: `他处授信超过年收入${G.maxDebtToIncomePermille / 1000}倍（不能提额）`,
    change: (p) => void (p.bureau.debtFen = 4 * p.bureau.annualIncomeFen),
  },
  henry: { summary: '银行卡余额不足（自动扣款会失败）', change: (p) => void (p.cardBalanceFen = 0) },
}

export const DEV_OPENID_PREFIX = 'o_dev_'

function hashedProfile(openid: string): SimProfile {
  const h = crypto.createHash('sha256').update(openid).digest()
  const pick = (i: number, lo: number, hi: number) => lo + (h.readUInt16BE(i) % (hi - lo + 1))
  const p = baseline()
  p.bureau.hardInquiryDaysAgo = Array.from({ length: h[2] % 8 }, (_, i) => 3 + ((h[3 + i] * 7) % 170))
  p.bureau.overdueCount24m = h[11] % 4 === 0 ? 1 : 0
  p.bureau.maxOverdueDays = p.bureau.overdueCount24m ? pick(12, 1, 60) : 0
  p.bureau.creditHistoryMonths = pick(14, 0, 120)
  p.bureau.debtFen = pick(16, 0, 400) * 1000 * CNY
  p.bureau.annualIncomeFen = pick(18, 40, 400) * 1000 * CNY
  p.bureau.fullRepaymentMonths = pick(20, 0, 24)
  p.activity = {
    accountAgeMonths: pick(22, 6, 140),
    redPacketsPerMonth: pick(24, 0, 20),
    miniProgramDaysPerMonth: pick(26, 0, 30),
    charityMonths: pick(28, 0, 40),
  }
  p.consumption.paymentsPerMonth = pick(30, 0, 120)
  p.consumption.merchantCategories = pick(8, 1, 18)
  p.consumption.offlineSharePercent = pick(6, 0, 90)
  p.assets.wealthBalanceFen = pick(4, 0, 200) * 1000 * CNY
  p.assets.insurancePremiumFen = (h[1] % 4) * 10_000 * CNY
  p.assets.walletFundEarningsFen = pick(10, 0, 20_000) * CNY
  p.assets.housingFundMonths = pick(12, 0, 60)
  p.invited = h[13] % 3 === 0
  p.payScore = 0
  p.payScore = subModelPayScore(p)
  return p
}

/**
 * The simulator's pay score from WE2000's sub-model weights (docs/product-rules.md §2): red packets 15%,
 * offline payments 22%, credit history 38%, other 25% — mapped onto 350–900.
 */
export function subModelPayScore(p: SimProfile): number {
  const clamp = (x: number) => Math.min(1, Math.max(0, x))
  const red = clamp(p.activity.redPacketsPerMonth / 10)
  const offline = clamp(p.consumption.offlineSharePercent / 50)
  const history = clamp(p.bureau.creditHistoryMonths / 36) * clamp(1 - p.bureau.overdueCount24m / 3)
  const other = clamp(p.consumption.paymentsPerMonth / 90)
  return Math.round(350 + 550 * (0.15 * red + 0.22 * offline + 0.38 * history + 0.25 * other))
}

/** The simulated world: personas, hashed profiles, and the dev page's edits kept in the store. */
export class SimWorld {
  private readonly cache = new Map<string, SimProfile>()

  constructor(private readonly store: Store) {}

  /** The profile before any edits: the persona, or the openid's hashed profile. */
  defaultProfile(openid: string): SimProfile {
    const persona = openid.startsWith(DEV_OPENID_PREFIX) ? PERSONAS[openid.slice(DEV_OPENID_PREFIX.length)] : undefined
    if (!persona) return hashedProfile(openid)
    const p = baseline()
    persona.change(p)
    return p
  }

  async profile(openid: string): Promise<SimProfile> {
    // A pre-check asks three simulators about one person: read and parse the profile once. Every
    // change goes through edit(), which refreshes this, and the local cloud is one process.
    const cached = this.cache.get(openid)
    if (cached) return cached
    const edited = await this.store.get<SimProfile>(SIM_PROFILES, openid)
    const profile = edited ? edited.data : this.defaultProfile(openid)
    this.cache.set(openid, profile)
    return profile
  }

  /** Replaces the person's simulated profile (the dev page); null restores the default. */
  async edit(openid: string, profile: SimProfile | null): Promise<SimProfile> {
    const next = profile ?? this.defaultProfile(openid)
    for (let i = 0; i < 5; i++) {
      const current = await this.store.get<SimProfile>(SIM_PROFILES, openid)
      const saved = current
        ? await this.store.update(SIM_PROFILES, openid, current.version, next)
        : await this.store.insert(SIM_PROFILES, openid, next)
      if (saved.ok) {
        this.cache.set(openid, next)
        return next
      }
    }
    throw new Error('could not save the simulated profile')
  }
}

/**
 * Identity record simulator. Deterministic: every well-formed name + ID matches, except
 * - a name containing 不符 → MISMATCH (the record holds another name for that ID);
 * - a name containing 维护 → UNAVAILABLE (the provider is down; the user may retry).
 */
export class SimIdentityVerifier implements IdentityVerifier {
  async verify(name: string): Promise<IdentityCheck> {
    if (name.includes('维护')) return { result: 'UNAVAILABLE', detail: 'simulated maintenance' }
    if (name.includes('不符')) return { result: 'MISMATCH' }
    return { result: 'MATCH' }
  }
}

/**
 * The pay-score simulator means what the real adapter means: `authorization` is WeChat Pay's
 * authorization state (NONE — its 404 — for a profile whose pay score is not enabled; AVAILABLE
 * otherwise, whatever the score), and `assess` is the lender's assessment against the threshold,
 * the only place the simulated score is ever compared.
 */
export class SimPayScore implements PayScore {
  constructor(private readonly world: SimWorld) {}
  async authorization(openid: string): Promise<PayScoreAuthorization> {
    const { payScore } = await this.world.profile(openid)
    return payScore === 0 ? 'NONE' : 'AVAILABLE'
  }
  async assess(subject: Subject, threshold: number): Promise<boolean> {
    const { payScore } = await this.world.profile(subject.openid)
    return payScore > 0 && payScore >= threshold
  }
  /** A simulated apply_permissions_token: the same person and request always get the same one. */
  async permissionToken(openid: string, outRequestNo: string): Promise<string> {
    const digest = crypto.createHash('sha256').update(`${openid}\u0000${outRequestNo}`).digest('hex')
    return `simpayscore_${digest.slice(0, 32)}`
  }
}

export class SimBureau implements CreditBureau {
  constructor(private readonly world: SimWorld) {}
  async softReport(subject: Subject, now: number): Promise<CreditProfile['bureau']> {
    const {
      hardInquiryDaysAgo,
      recordedInquiryTimes = [],
      inquiryConsents: _consents,
      ...rest
    } = (await this.world.profile(subject.openid)).bureau
    return { ...rest, hardInquiryTimes: [...hardInquiryDaysAgo.map((d) => now - d * DAY_MS), ...recordedInquiryTimes] }
  }
  async hardInquiry(subject: Subject, query: { consentId: string; purpose: string }, now: number): Promise<void> {
    const p = await this.world.profile(subject.openid)
    // One inquiry per consent, as the bureau records it: a retry with the same consent adds none.
    if ((p.bureau.inquiryConsents ?? []).includes(query.consentId)) return
    await this.world.edit(subject.openid, {
      ...p,
      bureau: {
        ...p.bureau,
        recordedInquiryTimes: [...(p.bureau.recordedInquiryTimes ?? []), now],
        inquiryConsents: [...(p.bureau.inquiryConsents ?? []), query.consentId],
      },
    })
  }
}

export class SimProfileSource implements ProfileSource {
  constructor(private readonly world: SimWorld) {}
  async signals(openid: string): Promise<ProfileSignals> {
    const { activity, consumption, assets, invited, device } = await this.world.profile(openid)
    return { activity, consumption, assets, invited, device }
  }
}

/**
 * Bank-card verification simulator. Every card matches its holder, except: a reserved mobile
 * ending in 0000 → MISMATCH (the bank holds another number); a name containing 维护 → UNAVAILABLE.
 */
export class SimCardVerifier implements CardVerifier {
  async verify(card: { name: string; mobile: string }): Promise<CardCheckResult> {
    if (card.name.includes('维护')) return { result: 'UNAVAILABLE', detail: 'simulated maintenance' }
    if (card.mobile.endsWith('0000')) return { result: 'MISMATCH' }
    return { result: 'MATCH' }
  }
}

/** What WeChat compares a face query's certificate by (in memory only here). */
const certHashOf = (name: string, idNumber: string) =>
  crypto.createHash('sha256').update(`${name}\u0000${idNumber}`).digest('hex')

export const SIM_FACE = 'simFace'
export type SimFaceOutcome = 'pending' | 'pass' | 'fail' | 'cancel' | 'timeout'
interface SimFaceSession {
  openid: string
  outSeqNo: string
  outcome: SimFaceOutcome
}

/** What WeChat would answer for each outcome the dev endpoint sets (POST /__dev/face/<verifyId>). */
const SIM_FACE_ANSWERS: Record<SimFaceOutcome, { errcode: number; verifyRet?: number }> = {
  pending: { errcode: 90100 },
  pass: { errcode: 0, verifyRet: 10000 },
  fail: { errcode: 0, verifyRet: 90011 },
  cancel: { errcode: 0, verifyRet: 90003 },
  timeout: { errcode: 0, verifyRet: 90017 },
}

/**
 * Face verification simulator: sessions live in the store; the H5 simulator sheet sets the outcome.
 * Like WeChat, it answers a query whose certificate is not the one the session was started with
 * with an errcode: the cert_hash is kept in memory only (never stored), so after a restart the
 * certificate is not checked.
 */
export class SimFaceVerifier implements FaceVerifier {
  private readonly certs = new Map<string, string>()

  constructor(
    private readonly store: Store,
    private readonly ids: () => string,
  ) {}

  async start(req: { outSeqNo: string; openid: string; certName: string; certNo: string }) {
    const verifyId = `simface_${this.ids()}`
    await this.store.insert<SimFaceSession>(SIM_FACE, verifyId, {
      openid: req.openid,
      outSeqNo: req.outSeqNo,
      outcome: 'pending',
    })
    this.certs.set(verifyId, certHashOf(req.certName, req.certNo))
    return { verifyId, expiresInSec: 3600 }
  }

  async query(req: { verifyId: string; outSeqNo: string; openid: string; certName: string; certNo: string }) {
    const s = await this.store.get<SimFaceSession>(SIM_FACE, req.verifyId)
    // WeChat checks the session's openid, out_seq_no and cert_hash and answers an errcode when they differ.
    if (!s || s.data.openid !== req.openid || s.data.outSeqNo !== req.outSeqNo) return { errcode: 90200 }
    const cert = this.certs.get(req.verifyId)
    if (cert !== undefined && cert !== certHashOf(req.certName, req.certNo)) return { errcode: 90201 }
    return SIM_FACE_ANSWERS[s.data.outcome]
  }

  /** The dev endpoint: what the person did in the (simulated) face sheet. False if no such session for them. */
  async setOutcome(verifyId: string, openid: string, outcome: SimFaceOutcome): Promise<boolean> {
    for (let i = 0; i < 5; i++) {
      const s = await this.store.get<SimFaceSession>(SIM_FACE, verifyId)
      if (!s || s.data.openid !== openid) return false
      if ((await this.store.update(SIM_FACE, verifyId, s.version, { ...s.data, outcome })).ok) return true
    }
    return false
  }
}
