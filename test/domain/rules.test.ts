/** One table per rule of docs/product-rules.md §1–§4, at its boundaries. */
import { DEFAULT_CATALOG, weilidaiTierRatePpm } from '../../src/domain/catalog'
import { DAY_MS } from '../../src/domain/china-time'
import { startingProfile, type CreditProfile } from '../../src/domain/credit-profile'
import { REASONS, type ReasonCode } from '../../src/domain/reasons'
import {
  drawdownCheck,
  evaluate,
  limitReview,
  openingNeedsReview,
  precheck,
  type ProductDecision,
} from '../../src/domain/rules'
import { ERRORS } from '../../src/api'
import { DEFAULT_RULE_SET, type RuleSet } from '../../src/domain/rule-set'
import { ID_PROBLEMS } from '../../src/ui/field-checks'
import { NOW } from '../support/factories'
import { makeProfile } from '../support/profiles'
import { REFUSED_PURPOSES } from '../../src/domain/purposes'

const decide = (p: CreditProfile) =>
  Object.fromEntries(evaluate(p, DEFAULT_RULE_SET, NOW).products.map((d) => [d.product, d])) as Record<
    string,
    ProductDecision
  >
const codesFor = (p: CreditProfile, product: string) => decide(p)[product].reasons.map((r) => r.code)
const inquiries = (n: number) => Array.from({ length: n }, (_, i) => NOW - (i + 1) * 10 * DAY_MS)

describe('gates, at their boundaries', () => {
  it.each([
    ['MEETS_THRESHOLD', []],
    ['BELOW_THRESHOLD', ['SCORE_BELOW_THRESHOLD']],
    ['NOT_AUTHORIZED', ['PAY_SCORE_NOT_AUTHORIZED']],
    ['UNCONFIRMED', ['PAY_SCORE_UNCONFIRMED']],
  ] as const)(
    'pay score %s (authorization + the lender’s assessment against 600) → WE2000 %j',
    (payScore, expected) => {
      expect(codesFor(makeProfile({ payScore }), 'we2000')).toEqual(expected)
      expect(codesFor(makeProfile({ payScore }), 'xiaoe')).toEqual(expected)
      expect(codesFor(makeProfile({ payScore }), 'weilidai')).toEqual([])
    },
  )

  it.each([
    [14, ['LOW_ACTIVITY']],
    [15, []],
  ])('%i payments a month → %j', (paymentsPerMonth, expected) => {
    expect(codesFor(makeProfile({ consumption: { paymentsPerMonth } }), 'we2000')).toEqual(expected)
  })

  it.each([
    [5, []],
    [6, ['TOO_MANY_HARD_INQUIRIES']],
  ])('%i hard inquiries in 6 months → %j', (n, expected) => {
    expect(codesFor(makeProfile({ bureau: { hardInquiryTimes: inquiries(n) } }), 'we2000')).toEqual(expected)
  })

  it('inquiries older than 6 months do not count, and the clear date is when the 6th most recent leaves', () => {
    const old = Array.from({ length: 6 }, (_, i) => NOW - (200 + i) * DAY_MS)
    expect(codesFor(makeProfile({ bureau: { hardInquiryTimes: old } }), 'we2000')).toEqual([])
    const d = decide(makeProfile({ bureau: { hardInquiryTimes: inquiries(6) } })).we2000
    expect(d.inquiriesClearAt).toBeGreaterThan(NOW)
  })

  it.each([
    [3000, false],
    [3001, true],
  ])('debt at %i‰ of annual income → limit increase blocked: %s (never a refusal)', (permille, blocked) => {
    const d = decide(makeProfile({ bureau: { annualIncomeFen: 10_000_000, debtFen: permille * 10_000 } })).weilidai
    expect(d.limitIncreaseBlocked).toBe(blocked)
    expect(d.notices.map((n) => n.code)).toEqual(blocked ? ['DEBT_RATIO_HIGH'] : [])
    expect(d.eligible).toBe(true)
  })

  it('a blocked increase keeps an existing line where it is and drops the insurance bonus', () => {
    const free = decide(makeProfile({ assets: { insurancePremiumFen: 5_000_000 } })).weilidai
    const blocked = decide(
      makeProfile({
        assets: { insurancePremiumFen: 5_000_000 },
        bureau: { debtFen: 60_000_000 },
        currentLimitFen: 1_000_000,
      }),
    ).weilidai
    expect(blocked.limitFen).toBe(1_000_000)
    expect(free.limitFen).toBeGreaterThan(blocked.limitFen)
  })

  it.each([
    [17, ['AGE_OUT_OF_RANGE']],
    [18, []],
    [60, []],
    [61, ['AGE_OUT_OF_RANGE']],
  ])('age %i → %j', (age, expected) => {
    expect(codesFor(makeProfile({ identity: { age } }), 'weilidai')).toEqual(expected)
  })

  it.each([
    [true, []],
    [false, ['NOT_INVITED']],
  ])('微粒贷 invited %s → %j (other products do not care)', (invited, expected) => {
    expect(codesFor(makeProfile({ invited }), 'weilidai')).toEqual(expected)
    expect(codesFor(makeProfile({ invited }), 'we2000')).toEqual([])
  })

  it('card: not bound yet is a step to do; a refused card is a reason', () => {
    expect(decide(makeProfile({ card: 'none' })).we2000).toMatchObject({ eligible: true, pendingSteps: ['bankCard'] })
    expect(codesFor(makeProfile({ card: 'failed' }), 'we2000')).toEqual(['IDENTITY_CARD_FAILED'])
  })

  it('face: only 小鹅花钱 needs it; not done yet is a step, failed is a reason', () => {
    expect(decide(makeProfile({ face: 'none' })).xiaoe.pendingSteps).toEqual(['face'])
    expect(decide(makeProfile({ face: 'none' })).we2000.pendingSteps).toEqual([])
    expect(codesFor(makeProfile({ face: 'failed' }), 'xiaoe')).toEqual(['IDENTITY_FACE_FAILED'])
  })

  it('not verified → IDENTITY_NOT_VERIFIED on every product', () => {
    const d = decide(makeProfile({ identity: { verified: false } }))
    for (const p of ['weilidai', 'we2000', 'xiaoe'])
      expect(d[p].reasons.map((r) => r.code)).toContain('IDENTITY_NOT_VERIFIED')
  })

  it('a composite score under the product minimum → CREDIT_SCORE_LOW', () => {
    const poor = makeProfile({
      bureau: { overdueCount24m: 3, maxOverdueDays: 120, creditHistoryMonths: 0, debtFen: 0 },
      activity: { accountAgeMonths: 1, redPacketsPerMonth: 0, miniProgramDaysPerMonth: 0, charityMonths: 0 },
      assets: startingProfile().assets,
      consumption: { paymentsPerMonth: 15, merchantCategories: 1, offlineSharePercent: 0, medicalPaymentsPerMonth: 0 },
    })
    expect(codesFor(poor, 'weilidai')).toEqual(['CREDIT_SCORE_LOW'])
  })
})

describe('scoring and adjustments', () => {
  it('the weights are 40/25/20/15 and the contributions add up to the score', () => {
    const e = evaluate(makeProfile(), DEFAULT_RULE_SET, NOW)
    expect(DEFAULT_RULE_SET.weights).toEqual({ credit: 40, activity: 25, consumption: 20, assets: 15 })
    const sum = Object.values(e.dimensions).reduce((s, d) => s + d.contribution, 0)
    expect(Math.abs(sum - e.score)).toBeLessThanOrEqual(0.2)
  })

  it('long charity participation raises the composite by 10% relative', () => {
    const short = evaluate(makeProfile({ activity: { charityMonths: 23 } }), DEFAULT_RULE_SET, NOW)
    const long = evaluate(makeProfile({ activity: { charityMonths: 24 } }), DEFAULT_RULE_SET, NOW)
    expect(long.score).toBeCloseTo(Math.min(100, short.score * 1.1), 0)
    expect(long.products[0].rules.map((r) => r.id)).toContain('adjust.charity')
  })

  it('medical payments weigh 1.3 and education 1.2 in consumption', () => {
    const base = makeProfile({
      consumption: { paymentsPerMonth: 30, medicalPaymentsPerMonth: 0, educationPaymentsPerMonth: 0 },
    })
    const med = makeProfile({
      consumption: { paymentsPerMonth: 30, medicalPaymentsPerMonth: 30, educationPaymentsPerMonth: 0 },
    })
    const edu = makeProfile({
      consumption: { paymentsPerMonth: 30, medicalPaymentsPerMonth: 0, educationPaymentsPerMonth: 30 },
    })
    const c = (p: CreditProfile) => evaluate(p, DEFAULT_RULE_SET, NOW).dimensions.consumption.score
    // 30 payments: 50 × 30/90 = 16.7 of the 50 payment points (+18 offline, +30 categories = 64.7 → 65).
    // All 30 medical: 39 weighted payments → 21.7 (→ 70); all 30 education: 36 → 20 (→ 68).
    expect(c(base)).toBe(65)
    expect(c(med)).toBe(70)
    expect(c(edu)).toBe(68)
  })

  it('insurance holdings: +800 CNY of limit per 10,000 CNY of premium', () => {
    const none = decide(makeProfile({ assets: { insurancePremiumFen: 0 } })).xiaoe.limitFen
    const some = decide(makeProfile({ assets: { insurancePremiumFen: 2_000_000 } })).xiaoe.limitFen
    const scoreGap = evaluate(makeProfile({ assets: { insurancePremiumFen: 2_000_000 } }), DEFAULT_RULE_SET, NOW).score
    expect(scoreGap).toBeGreaterThan(0)
    expect(some - none).toBeGreaterThanOrEqual(160_000)
  })

  it('微粒贷 stars follow the score: seven stars is 0.02%/day', () => {
    const d = decide(makeProfile({ activity: { charityMonths: 36 } })).weilidai
    expect(d.stars).toBe(7)
    expect(d.dailyRatePercent).toBe(0.02)
    const low = decide(
      makeProfile({
        assets: { wealthBalanceFen: 0, holdingMonths: 0, insurancePremiumFen: 0 },
        activity: { accountAgeMonths: 6, redPacketsPerMonth: 0 },
      }),
    ).weilidai
    expect(low.stars).toBeLessThan(7)
    expect(low.dailyRatePercent).toBeGreaterThan(0.02)
  })

  it('小鹅花钱: 12+ months of 公积金 earns a rate discount, never below 0.05%', () => {
    const without = decide(makeProfile({ assets: { housingFundMonths: 11, wealthBalanceFen: 0 } })).xiaoe.dailyRatePpm
    const withFund = decide(makeProfile({ assets: { housingFundMonths: 12, wealthBalanceFen: 0 } })).xiaoe.dailyRatePpm
    expect(without - withFund).toBe(100)
    expect(withFund).toBeGreaterThanOrEqual(500)
  })

  it('tips name their effect period and disappear once met', () => {
    const weak = decide(
      makeProfile({
        assets: { wealthBalanceFen: 0 },
        consumption: { merchantCategories: 3 },
        bureau: { fullRepaymentMonths: 2 },
      }),
    ).we2000
    expect(weak.tips.map((t) => [t.id, t.effectPeriod])).toEqual([
      ['tip.wealth', '1–2个账单周期'],
      ['tip.categories', '3–6个月'],
      ['tip.repayment', '持续生效'],
    ])
    expect(decide(makeProfile()).we2000.tips).toEqual([])
  })
})

describe('the drawdown check: the post-loan check on soft data, and the risk controls', () => {
  const app = { product: 'weilidai' as const, amountFen: 1_000_000, purpose: 'consumption', accountType: 'debit' }
  const rich = makeProfile({ activity: { charityMonths: 36 }, assets: { insurancePremiumFen: 3_000_000 } })

  it.each([
    [5_000_000, 'approved'],
    [5_000_001, 'manual-review'],
  ])('%i fen (50,000 CNY is the line) → %s', (amountFen, outcome) => {
    expect(drawdownCheck(rich, { ...app, amountFen }, DEFAULT_RULE_SET).outcome).toBe(outcome)
  })

  it.each(REFUSED_PURPOSES)('purpose %s → refused with PURPOSE_REFUSED', (purpose) => {
    const d = drawdownCheck(rich, { ...app, purpose }, DEFAULT_RULE_SET)
    expect(d.outcome).toBe('refused')
    expect(d.reasons.map((r) => r.code)).toEqual(['PURPOSE_REFUSED'])
  })

  it('a drawdown to a securities or crypto account is refused, whatever the stated purpose', () => {
    expect(
      drawdownCheck(rich, { ...app, accountType: 'securities' }, DEFAULT_RULE_SET).reasons.map((r) => r.code),
    ).toEqual(['PURPOSE_REFUSED'])
  })

  it('new device or distant sign-in: face again before any drawdown', () => {
    expect(drawdownCheck(makeProfile({ device: { newDevice: true } }), app).faceRequiredBeforeDrawdown).toBe(true)
    expect(drawdownCheck(makeProfile({ device: { distantLocation: true } }), app).faceRequiredBeforeDrawdown).toBe(true)
    expect(drawdownCheck(makeProfile(), app).faceRequiredBeforeDrawdown).toBe(false)
  })

  it.each([
    [30, 'approved'],
    [31, 'refused'],
  ])('overdue elsewhere for %i days (30 is the line) → %s', (maxOverdueDays, outcome) => {
    const d = drawdownCheck(makeProfile({ bureau: { overdueCount24m: 1, maxOverdueDays } }), app)
    expect(d.outcome).toBe(outcome)
    expect(d.reasons.map((r) => r.code)).toEqual(outcome === 'refused' ? ['OVERDUE_ELSEWHERE'] : [])
  })

  /** What opening decided once is not asked again: inquiries, pay score and the score do not refuse a drawdown. */
  it('what only opening asks (inquiries, pay score, score) does not refuse a drawdown; age and the card do', () => {
    const busy = makeProfile({ bureau: { hardInquiryTimes: inquiries(9) }, payScore: 'BELOW_THRESHOLD' })
    expect(drawdownCheck(busy, app)).toMatchObject({ outcome: 'approved', reasons: [] })
    expect(drawdownCheck(makeProfile({ identity: { age: 61 } }), app).reasons.map((r) => r.code)).toEqual([
      'AGE_OUT_OF_RANGE',
    ])
    expect(drawdownCheck(makeProfile({ card: 'failed' }), app).reasons.map((r) => r.code)).toEqual([
      'IDENTITY_CARD_FAILED',
    ])
  })

  it('every rule it ran is listed with the rule set’s version', () => {
    expect(drawdownCheck(makeProfile(), app).rules.map((r) => [r.id, r.version, r.passed])).toEqual(
      [
        'postLoan.age',
        'postLoan.card',
        'postLoan.overdueElsewhere',
        'risk.purpose',
        'risk.manualReview',
        'risk.deviceFace',
      ].map((id) => [id, DEFAULT_RULE_SET.version, true]),
    )
  })
})

describe('opening and the periodic review', () => {
  it.each([
    [5, true],
    [6, false],
  ])('a credit file of %i months goes to a person: %s', (creditHistoryMonths, review) => {
    expect(openingNeedsReview(makeProfile({ bureau: { creditHistoryMonths } }))).toBe(review)
  })

  it('an increase needs the growth rule (6 months of full repayment) and credit elsewhere within 3× income', () => {
    const decide = (p: CreditProfile) =>
      precheck(p, DEFAULT_RULE_SET, NOW).products.find((d) => d.product === 'weilidai')!
    const good = makeProfile({ bureau: { fullRepaymentMonths: 6 } })
    expect(limitReview(good, decide(good))).toEqual({ assessedFen: decide(good).limitFen, increaseAllowed: true })
    const short = makeProfile({ bureau: { fullRepaymentMonths: 5 } })
    expect(limitReview(short, decide(short)).increaseAllowed).toBe(false)
    const indebted = makeProfile({
      bureau: { fullRepaymentMonths: 12, debtFen: 4 * 18_000_000, annualIncomeFen: 18_000_000 },
    })
    expect(limitReview(indebted, decide(indebted)).increaseAllowed).toBe(false)
    const refused = makeProfile({ consumption: { paymentsPerMonth: 0 } })
    expect(limitReview(refused, decide(refused)).assessedFen).toBe(0)
  })
})

describe('every reason code', () => {
  it('has a title and a fix', () => {
    for (const [code, r] of Object.entries(REASONS)) {
      expect(r.title.length).toBeGreaterThan(0)
      expect(r.fix.length).toBeGreaterThan(0)
      expect(code).toMatch(/^[A-Z_]+$/)
    }
  })

  it('is reachable by some profile or application', () => {
    const reached = new Set<ReasonCode>()
    const add = (p: CreditProfile) =>
      evaluate(p, DEFAULT_RULE_SET, NOW).products.forEach((d) =>
        [...d.reasons, ...d.notices].forEach((r) => reached.add(r.code)),
      )
    add(
      makeProfile({
        identity: { verified: false, age: 17 },
        card: 'failed',
        face: 'failed',
        payScore: 'BELOW_THRESHOLD',
        invited: false,
      }),
    )
    add(
      makeProfile({
        bureau: { hardInquiryTimes: inquiries(9), debtFen: 90_000_000, overdueCount24m: 3, maxOverdueDays: 90 },
        consumption: { paymentsPerMonth: 0 },
      }),
    )
    add(makeProfile({ payScore: 'NOT_AUTHORIZED' }))
    add(makeProfile({ payScore: 'UNCONFIRMED' }))
    drawdownCheck(
      makeProfile({ bureau: { maxOverdueDays: 31 } }),
      { product: 'we2000', amountFen: 900_000, purpose: 'crypto', accountType: 'debit' },
      DEFAULT_RULE_SET,
    ).reasons.forEach((r) => reached.add(r.code))
    expect([...reached].sort()).toEqual(Object.keys(REASONS).sort())
  })
})

describe('texts from the rule set', () => {
  it('the default rule set reads as the product says', () => {
    expect(REASONS.LOW_ACTIVITY.title).toBe('每月支付笔数少于15笔')
    expect(REASONS.LOW_ACTIVITY.fix).toContain('约每天3笔')
    expect(REASONS.TOO_MANY_HARD_INQUIRIES.title).toBe('近6个月征信查询次数过多')
    expect(REASONS.DEBT_RATIO_HIGH.title).toBe('其他机构授信超过年收入的3倍')
    expect(REASONS.AGE_OUT_OF_RANGE).toEqual({
      title: '年龄不在18至60周岁之间',
      fix: '借款人须年满18周岁且未满61周岁。',
    })
  })

  it('the lending age band reads the same in the reasons, the error messages and the device’s checks as the rules apply it', () => {
    const { minAge, maxAge } = DEFAULT_RULE_SET.gates
    expect(REASONS.AGE_OUT_OF_RANGE.title).toContain(`${minAge}至${maxAge}`)
    expect(ERRORS.AGE_NOT_ELIGIBLE).toContain(`${minAge}至${maxAge}`)
    expect(ID_PROBLEMS.UNDER_AGE).toContain(`${minAge}周岁`)
    expect(ID_PROBLEMS.OVER_AGE).toContain(`${maxAge}周岁`)
  })

  it('a lender’s own thresholds appear in its reasons and tips, never the defaults', () => {
    const rules: RuleSet = {
      ...DEFAULT_RULE_SET,
      gates: {
        ...DEFAULT_RULE_SET.gates,
        minAge: 20,
        maxAge: 55,
        minPaymentsPerMonth: 20,
        hardInquiryWindowMonths: 3,
        maxHardInquiries: 0,
        maxDebtToIncomePermille: 2500,
      },
      growth: {
        wealth: { balanceFen: 8_000_000, months: 4 },
        merchantCategories: 12,
        fullRepaymentMonths: 9,
        paymentsPerDay: 4,
      },
    }
    const p = makeProfile({
      identity: { age: 19 },
      consumption: { paymentsPerMonth: 19, merchantCategories: 11 },
      bureau: { hardInquiryTimes: inquiries(1), fullRepaymentMonths: 8, debtFen: 90_000_000 },
      assets: { wealthBalanceFen: 7_000_000 },
    })
    const we = evaluate(p, rules, NOW).products.find((d) => d.product === 'we2000')!
    const text = (code: ReasonCode) => [...we.reasons, ...we.notices].find((r) => r.code === code)
    expect(text('AGE_OUT_OF_RANGE')).toMatchObject({
      title: '年龄不在20至55周岁之间',
      fix: '借款人须年满20周岁且未满56周岁。',
    })
    expect(text('LOW_ACTIVITY')?.title).toBe('每月支付笔数少于20笔')
    expect(text('LOW_ACTIVITY')?.fix).toContain('约每天4笔')
    expect(text('TOO_MANY_HARD_INQUIRIES')?.title).toBe('近3个月征信查询次数过多')
    expect(text('DEBT_RATIO_HIGH')?.title).toBe('其他机构授信超过年收入的2.5倍')
    expect(we.tips.map((t) => t.text)).toEqual(
      expect.arrayContaining([
        '理财资产余额保持8万元以上并持有满4个月',
        '每月在12类以上不同商户消费',
        '连续9个月按时全额还款',
      ]),
    )
  })
})

describe('微粒贷 star tiers', () => {
  it('step evenly across the catalog range: 0.05% at one star to 0.02% at seven in the default catalog', () => {
    const range = DEFAULT_CATALOG.products.weilidai.dailyRatePpm
    expect([1, 2, 3, 4, 5, 6, 7].map((s) => weilidaiTierRatePpm(s, range))).toEqual([500, 450, 400, 350, 300, 250, 200])
  })
  it('follow a lender who changes the range (the rules never pick a rate the catalog would refuse)', () => {
    const range = { min: 150, max: 450 }
    expect(weilidaiTierRatePpm(1, range)).toBe(450)
    expect(weilidaiTierRatePpm(7, range)).toBe(150)
    for (let s = 1; s <= 7; s++) {
      expect(weilidaiTierRatePpm(s, range)).toBeGreaterThanOrEqual(range.min)
      expect(weilidaiTierRatePpm(s, range)).toBeLessThanOrEqual(range.max)
    }
  })
})
