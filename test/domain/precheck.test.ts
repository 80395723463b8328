import { DAY_MS, addChinaMonths } from '../../src/domain/china-time'
import { WE2000_PRECHECK_RULES, precheckWe2000, type PrecheckInput } from '../../src/domain/precheck'
import { NOW } from '../support/factories'

const makeInput = (o: Partial<PrecheckInput> = {}): PrecheckInput => ({
  identityVerified: true,
  payScoreState: 'AVAILABLE',
  hardInquiryTimes: [],
  paymentsLast30Days: 40,
  ...o,
})
const codes = (o: Partial<PrecheckInput>) =>
  precheckWe2000(makeInput(o), WE2000_PRECHECK_RULES, NOW).reasons.map((r) => r.code)

describe('WE2000 pre-check', () => {
  it('is eligible when every rule passes, and names each rule it ran with the rule set version', () => {
    const d = precheckWe2000(makeInput(), WE2000_PRECHECK_RULES, NOW)
    expect(d.eligible).toBe(true)
    expect(d.reasons).toEqual([])
    expect(d.rules.map((r) => r.id)).toEqual([
      'identity.verified',
      'payscore.threshold',
      'bureau.hardInquiries',
      'activity.payments',
    ])
    expect(d.rules.every((r) => r.version === WE2000_PRECHECK_RULES.version && r.passed)).toBe(true)
  })

  it('pay score below the threshold → SCORE_BELOW_THRESHOLD, with the fix', () => {
    const d = precheckWe2000(makeInput({ payScoreState: 'UNAVAILABLE' }), WE2000_PRECHECK_RULES, NOW)
    expect(d.eligible).toBe(false)
    expect(d.reasons).toEqual([
      {
        code: 'SCORE_BELOW_THRESHOLD',
        title: expect.stringContaining('支付分'),
        fix: expect.stringContaining('按时履约'),
      },
    ])
  })

  it('pay score never enabled → the same code, with the fix that says to enable it', () => {
    const d = precheckWe2000(makeInput({ payScoreState: 'UNBINDUSER' }), WE2000_PRECHECK_RULES, NOW)
    expect(d.reasons[0]).toMatchObject({ code: 'SCORE_BELOW_THRESHOLD', fix: expect.stringContaining('开通并授权') })
  })

  it('14 payments a month is low activity; 15 is enough', () => {
    expect(codes({ paymentsLast30Days: 14 })).toEqual(['LOW_ACTIVITY'])
    expect(codes({ paymentsLast30Days: 15 })).toEqual([])
  })

  it('5 hard inquiries in 6 months pass; the 6th fails and says when it clears', () => {
    const days = [1, 10, 20, 30, 40, 50]
    expect(codes({ hardInquiryTimes: days.slice(0, 5).map((d) => NOW - d * DAY_MS) })).toEqual([])
    const d = precheckWe2000(
      makeInput({ hardInquiryTimes: days.map((x) => NOW - x * DAY_MS) }),
      WE2000_PRECHECK_RULES,
      NOW,
    )
    expect(d.reasons.map((r) => r.code)).toEqual(['TOO_MANY_HARD_INQUIRIES'])
    // The oldest of the six leaves the window six calendar months after it happened.
    expect(d.inquiriesClearAt).toBe(addChinaMonths(NOW - 50 * DAY_MS, 6))
  })

  it('inquiries older than six months do not count', () => {
    const old = addChinaMonths(NOW, -6)
    expect(codes({ hardInquiryTimes: [old, old - 1, old - 2, old - 3, old - 4, old - 5, NOW - DAY_MS] })).toEqual([])
  })

  it('reports every failed rule, not just the first', () => {
    expect(codes({ identityVerified: false, payScoreState: 'UNAVAILABLE', paymentsLast30Days: 0 })).toEqual([
      'IDENTITY_NOT_VERIFIED',
      'SCORE_BELOW_THRESHOLD',
      'LOW_ACTIVITY',
    ])
  })

  it('survives a JSON round trip (decisions are stored and sent as data)', () => {
    const d = precheckWe2000(makeInput({ payScoreState: 'UNAVAILABLE' }), WE2000_PRECHECK_RULES, NOW)
    expect(JSON.parse(JSON.stringify(d))).toEqual(d)
  })
})
