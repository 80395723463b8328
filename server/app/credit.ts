// Credit use cases on the rules engine: the pre-check (soft data, no hard inquiry) and the
// offers a user can choose from, priced on the server.
import { ok, type ApiResult, type OffersResult, type PrecheckResult } from '../../src/api'
import { ageOn } from '../../src/domain/china-time'
import { emptyBureauReport, type CreditProfile } from '../../src/domain/credit-profile'
import { offerGrid } from '../../src/domain/pricing'
import { precheck as precheckRules, type Evaluation } from '../../src/domain/rules'
import { DEFAULT_RULE_SET } from '../../src/domain/rule-set'
import type { Ports, Subject } from '../ports'
import { recordEvent } from './events'
import { subjectOf } from './identity'
import { readPayScoreOrNull } from './pay-score'
import { payScoreStanding } from '../../src/domain/pay-score'
import { requireUser, type UserDoc } from './users'

const RULES = DEFAULT_RULE_SET

/**
 * Everything the rules see, from our own records and the providers (soft data only), and whom the
 * bureau was asked about (the caller makes the hard inquiry with the same subject). A verified
 * identity that cannot be opened is IDENTITY_RECHECK_REQUIRED, before any provider is asked.
 */
export async function profileOf(
  ports: Ports,
  user: UserDoc,
  now: number,
): Promise<ApiResult<{ profile: CreditProfile; subject: Subject | null }>> {
  const identity = user.identity
  const subjectRead = subjectOf(ports, user)
  if (!subjectRead.ok) return subjectRead
  const subject = subjectRead.data
  // The pay score never fails a decision: WeChat Pay not answering is "unconfirmed" for the
  // products that need it (微粒贷 does not), never INTERNAL for all of them.
  const [payScore, bureau, signals] = await Promise.all([
    subject ? readPayScoreOrNull(ports, subject) : Promise.resolve(null),
    subject ? ports.bureau.softReport(subject, now) : Promise.resolve(null),
    ports.profiles.signals(user.openid, now),
  ])
  const [y, m, d] = (identity?.birthDate ?? '1900-01-01').split('-').map(Number)
  return ok({
    subject,
    profile: {
      identity: { verified: identity !== null, age: identity ? ageOn({ year: y, month: m, day: d }, now) : 0 },
      card: (user.cards ?? []).length > 0 ? 'verified' : (user.card?.status ?? 'none'),
      payScore: payScoreStanding(payScore?.authorization ?? null, payScore?.meetsThreshold ?? null),
      face: user.face?.status ?? 'none',
      bureau: bureau ?? emptyBureauReport(),
      ...signals,
    },
  })
}

/**
 * Agreements accepted and the separate financial-data consent given (pay-score state, payment
 * counts and the bureau's soft report are financial data), or the error that says what is missing.
 */
export function consentedUser(ports: Ports, openid: string): Promise<ApiResult<UserDoc>> {
  return requireUser(ports.store, openid, { consent: 'financialDataConsent' })
}

/** The consented caller's evaluation on soft data (no hard inquiry), at `now`. */
async function softEvaluation(ports: Ports, openid: string, now: number): Promise<ApiResult<Evaluation>> {
  const user = await consentedUser(ports, openid)
  if (!user.ok) return user
  const read = await profileOf(ports, user.data, now)
  if (!read.ok) return read
  return ok(precheckRules(read.data.profile, RULES, now))
}

export async function precheck(ports: Ports, openid: string): Promise<ApiResult<PrecheckResult>> {
  const now = ports.clock.now()
  const evaluated = await softEvaluation(ports, openid, now)
  if (!evaluated.ok) return evaluated
  const evaluation = evaluated.data
  await recordEvent(ports, 'precheck', openid, {
    ruleSetVersion: evaluation.ruleSetVersion,
    catalogVersion: evaluation.catalogVersion,
    score: evaluation.score,
    products: evaluation.products.map((p) => ({
      product: p.product,
      eligible: p.eligible,
      reasons: p.reasons.map((r) => r.code),
    })),
  })
  return ok({ ...evaluation, capPercent: ports.settings.aprCapPercent, serverTime: now })
}

export async function offers(ports: Ports, openid: string): Promise<ApiResult<OffersResult>> {
  const now = ports.clock.now()
  const evaluated = await softEvaluation(ports, openid, now)
  if (!evaluated.ok) return evaluated
  const evaluation = evaluated.data
  const eligible = evaluation.products.filter((p) => p.eligible)
  const grid = offerGrid(
    {
      products: Object.fromEntries(
        eligible.map((p) => [p.product, { limitFen: p.limitFen, dailyRatePpm: p.dailyRatePpm }]),
      ),
    },
    { disbursedAt: now, capPercent: ports.settings.aprCapPercent },
  )
  return ok({
    ruleSetVersion: evaluation.ruleSetVersion,
    catalogVersion: grid.catalogVersion,
    capPercent: grid.capPercent,
    products: evaluation.products.map((decision) => ({
      decision,
      offers: decision.eligible ? grid.offers.filter((o) => o.product === decision.product) : [],
      overCap: decision.eligible ? grid.refused.filter((r) => r.product === decision.product) : [],
    })),
  })
}
