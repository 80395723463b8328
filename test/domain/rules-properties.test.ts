import fc from 'fast-check'
import { DAY_MS } from '../../src/domain/china-time'
import type { CreditProfile } from '../../src/domain/credit-profile'
import { evaluate } from '../../src/domain/rules'
import { DEFAULT_RULE_SET } from '../../src/domain/rule-set'
import { NOW } from '../support/factories'

const n = (max: number) => fc.integer({ min: 0, max })
export const profileArb: fc.Arbitrary<CreditProfile> = fc.record({
  identity: fc.record({ verified: fc.boolean(), age: fc.integer({ min: 15, max: 70 }) }),
  card: fc.constantFrom('none', 'verified', 'failed'),
  payScore: fc.constantFrom('MEETS_THRESHOLD', 'BELOW_THRESHOLD', 'NOT_AUTHORIZED', 'UNCONFIRMED'),
  face: fc.constantFrom('none', 'passed', 'failed'),
  invited: fc.boolean(),
  bureau: fc.record({
    hardInquiryTimes: fc.array(fc.integer({ min: NOW - 400 * DAY_MS, max: NOW }), { maxLength: 10 }),
    overdueCount24m: n(6),
    maxOverdueDays: n(200),
    creditHistoryMonths: n(200),
    debtFen: n(100_000_000),
    annualIncomeFen: n(50_000_000),
    fullRepaymentMonths: n(36),
  }),
  activity: fc.record({
    accountAgeMonths: n(200),
    redPacketsPerMonth: n(40),
    miniProgramDaysPerMonth: n(31),
    charityMonths: n(60),
  }),
  consumption: fc.record({
    paymentsPerMonth: n(200),
    medicalPaymentsPerMonth: n(20),
    educationPaymentsPerMonth: n(20),
    offlineSharePercent: n(100),
    merchantCategories: n(30),
  }),
  assets: fc.record({
    wealthBalanceFen: n(30_000_000),
    holdingMonths: n(60),
    insurancePremiumFen: n(10_000_000),
    walletFundEarningsFen: n(5_000_000),
    housingFundMonths: n(120),
  }),
  device: fc.record({ newDevice: fc.boolean(), distantLocation: fc.boolean() }),
})

type Improve = (p: CreditProfile, k: number) => CreditProfile
const more =
  <S extends 'bureau' | 'activity' | 'consumption' | 'assets'>(section: S, key: keyof CreditProfile[S]): Improve =>
  (p, k) => ({ ...p, [section]: { ...p[section], [key]: (p[section][key] as number) + k } })
const less =
  <S extends 'bureau'>(section: S, key: keyof CreditProfile[S]): Improve =>
  (p, k) => ({ ...p, [section]: { ...p[section], [key]: Math.max(0, (p[section][key] as number) - k) } })

/** Every input, moved in the direction that is better for the borrower. */
const IMPROVEMENTS: Record<string, Improve> = {
  'fewer overdues': less('bureau', 'overdueCount24m'),
  'shorter overdue': less('bureau', 'maxOverdueDays'),
  'less debt elsewhere': less('bureau', 'debtFen'),
  'more income': more('bureau', 'annualIncomeFen'),
  'longer history': more('bureau', 'creditHistoryMonths'),
  'more full repayments': more('bureau', 'fullRepaymentMonths'),
  'one fewer inquiry': (p) => ({ ...p, bureau: { ...p.bureau, hardInquiryTimes: p.bureau.hardInquiryTimes.slice(1) } }),
  'longer tenure': more('activity', 'accountAgeMonths'),
  'more red packets': more('activity', 'redPacketsPerMonth'),
  'more mini-program days': more('activity', 'miniProgramDaysPerMonth'),
  'more charity': more('activity', 'charityMonths'),
  'more payments': more('consumption', 'paymentsPerMonth'),
  'more medical payments': more('consumption', 'medicalPaymentsPerMonth'),
  'more education payments': more('consumption', 'educationPaymentsPerMonth'),
  'more offline share': (p, k) => ({
    ...p,
    consumption: { ...p.consumption, offlineSharePercent: Math.min(100, p.consumption.offlineSharePercent + k) },
  }),
  'more categories': more('consumption', 'merchantCategories'),
  'more wealth': more('assets', 'wealthBalanceFen'),
  'longer holding': more('assets', 'holdingMonths'),
  'more insurance': more('assets', 'insurancePremiumFen'),
  'more wallet-fund earnings': more('assets', 'walletFundEarningsFen'),
  'more housing fund': more('assets', 'housingFundMonths'),
}

describe('rules engine properties', () => {
  it('the weights sum to 100', () => {
    expect(Object.values(DEFAULT_RULE_SET.weights).reduce((a, b) => a + b, 0)).toBe(100)
  })

  it.each(Object.keys(IMPROVEMENTS))('improving one input (%s) never lowers the composite score', (name) => {
    fc.assert(
      fc.property(profileArb, fc.integer({ min: 1, max: 100_000 }), (p, k) => {
        const before = evaluate(p, DEFAULT_RULE_SET, NOW).score
        const after = evaluate(IMPROVEMENTS[name](p, k), DEFAULT_RULE_SET, NOW).score
        expect(after).toBeGreaterThanOrEqual(before)
      }),
      { numRuns: 150 },
    )
  })

  it('the same profile always gives the same decision, and it survives JSON', () => {
    fc.assert(
      fc.property(profileArb, (p) => {
        const a = evaluate(p, DEFAULT_RULE_SET, NOW)
        expect(evaluate(JSON.parse(JSON.stringify(p)), DEFAULT_RULE_SET, NOW)).toEqual(a)
        expect(JSON.parse(JSON.stringify(a))).toEqual(a)
      }),
      { numRuns: 200 },
    )
  })

  it('scores stay within 0–100, limits within the product range, and only eligible products have a limit', () => {
    fc.assert(
      fc.property(profileArb, (p) => {
        const e = evaluate(p, DEFAULT_RULE_SET, NOW)
        expect(e.score).toBeGreaterThanOrEqual(0)
        expect(e.score).toBeLessThanOrEqual(100)
        for (const d of e.products) {
          for (const dim of Object.values(d.dimensions)) expect(dim.score >= 0 && dim.score <= 100).toBe(true)
          if (d.eligible) expect(d.limitFen).toBeGreaterThan(0)
          else expect(d.limitFen).toBe(0)
          expect(d.rules.every((r) => r.version === DEFAULT_RULE_SET.version)).toBe(true)
        }
      }),
      { numRuns: 300 },
    )
  })
})
