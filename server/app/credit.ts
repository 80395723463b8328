// Credit use cases. This slice: the WE2000 pre-check on soft data (no hard inquiry).
import { fail, ok, type ApiResult } from '../../src/api'
import { hasCurrent } from '../../src/domain/onboarding'
import { WE2000_PRECHECK_RULES, precheckWe2000, type PrecheckDecision } from '../../src/domain/precheck'
import type { Ports } from '../ports'
import { recordEvent } from './events'
import { loadUser } from './users'

export async function precheck(ports: Ports, openid: string): Promise<ApiResult<PrecheckDecision>> {
  const now = ports.clock.now()
  const user = await loadUser(ports.store, openid)
  if (
    !user ||
    !hasCurrent(user.data.agreements, 'userAgreement') ||
    !hasCurrent(user.data.agreements, 'privacyPolicy')
  ) {
    return fail('AGREEMENTS_REQUIRED')
  }
  // Pay-score state, payment counts and the bureau's soft report are financial data: separate consent.
  if (!hasCurrent(user.data.agreements, 'financialDataConsent')) {
    return fail('CONSENT_REQUIRED', { detail: 'financialDataConsent' })
  }
  const rules = WE2000_PRECHECK_RULES
  const identity = user.data.identity
  const [payScoreState, report, payments] = await Promise.all([
    ports.payScore.state(openid, rules.payScoreThreshold),
    identity ? ports.bureau.softReport({ openid, idHash: identity.idHash }, now) : { hardInquiryTimes: [] },
    ports.activity.paymentsLast30Days(openid, now),
  ])
  const decision = precheckWe2000(
    {
      identityVerified: identity !== null,
      payScoreState,
      hardInquiryTimes: report.hardInquiryTimes,
      paymentsLast30Days: payments,
    },
    rules,
    now,
  )
  await recordEvent(ports, 'precheck', openid, {
    product: decision.product,
    eligible: decision.eligible,
    ruleSetVersion: decision.ruleSetVersion,
    reasons: decision.reasons.map((r) => r.code),
  })
  return ok(decision)
}
