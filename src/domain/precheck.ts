// The WE2000 pre-check on soft data only (no hard inquiry): a minimal, real rule path that the
// full rules engine (scoring, every product) replaces. Rules are data with ids and a version.
import { addChinaMonths } from './china-time'
import { reason, type Reason } from './reasons'

export type PayScoreState = 'AVAILABLE' | 'UNAVAILABLE' | 'UNBINDUSER'

export interface PrecheckRuleSet {
  version: string
  product: 'we2000'
  /** The pay-score threshold configured with WeChat Pay; we only learn AVAILABLE/UNAVAILABLE against it. */
  payScoreThreshold: number
  /** More than this many hard inquiries inside the window fails the check. */
  maxHardInquiries: number
  hardInquiryWindowMonths: number
  minPaymentsPerMonth: number
}

export const WE2000_PRECHECK_RULES: PrecheckRuleSet = {
  version: 'we2000-precheck/2026-11-28.1',
  product: 'we2000',
  payScoreThreshold: 600,
  maxHardInquiries: 5,
  hardInquiryWindowMonths: 6,
  minPaymentsPerMonth: 15,
}

export interface PrecheckInput {
  identityVerified: boolean
  payScoreState: PayScoreState
  /** Epoch ms of each hard credit inquiry the bureau reports (soft report; costs no inquiry). */
  hardInquiryTimes: number[]
  /** WeChat Pay payments in the last 30 days (an aggregate count, never content). */
  paymentsLast30Days: number
}

export interface FiredRule {
  id: string
  version: string
  passed: boolean
}

export interface PrecheckDecision {
  product: 'we2000'
  eligible: boolean
  ruleSetVersion: string
  rules: FiredRule[]
  reasons: Reason[]
  /** When TOO_MANY_HARD_INQUIRIES fired: the instant the count falls back within the limit. */
  inquiriesClearAt?: number
}

export function precheckWe2000(input: PrecheckInput, rules: PrecheckRuleSet, now: number): PrecheckDecision {
  const fired: FiredRule[] = []
  const reasons: Reason[] = []
  const check = (id: string, passed: boolean, failure: () => Reason) => {
    fired.push({ id, version: rules.version, passed })
    if (!passed) reasons.push(failure())
  }

  check('identity.verified', input.identityVerified, () => reason('IDENTITY_NOT_VERIFIED'))
  check('payscore.threshold', input.payScoreState === 'AVAILABLE', () =>
    input.payScoreState === 'UNBINDUSER'
      ? reason('SCORE_BELOW_THRESHOLD', '请先开通并授权微信支付分，再保持按时履约、日常多用微信支付。')
      : reason('SCORE_BELOW_THRESHOLD'),
  )

  const windowStart = addChinaMonths(now, -rules.hardInquiryWindowMonths)
  const recent = input.hardInquiryTimes.filter((t) => t > windowStart && t <= now).sort((a, b) => b - a)
  let inquiriesClearAt: number | undefined
  const inquiriesOk = recent.length <= rules.maxHardInquiries
  if (!inquiriesOk) {
    // Once the (max+1)-th most recent inquiry leaves the window, at most `max` remain.
    inquiriesClearAt = addChinaMonths(recent[rules.maxHardInquiries], rules.hardInquiryWindowMonths)
  }
  check('bureau.hardInquiries', inquiriesOk, () => reason('TOO_MANY_HARD_INQUIRIES'))
  check('activity.payments', input.paymentsLast30Days >= rules.minPaymentsPerMonth, () => reason('LOW_ACTIVITY'))

  return {
    product: 'we2000',
    eligible: reasons.length === 0,
    ruleSetVersion: rules.version,
    rules: fired,
    reasons,
    ...(inquiriesClearAt === undefined ? {} : { inquiriesClearAt }),
  }
}
