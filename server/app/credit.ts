// Credit use cases on the rules engine: the pre-check (soft data, no hard inquiry) and the
// offers a user can choose from, priced on the server.
import { fail, ok, type ApiResult, type OffersResult, type PrecheckResult } from '../../src/api'
import type { Catalog } from '../../src/domain/catalog'
import { ageOn } from '../../src/domain/china-time'
import { emptyBureauReport, type CreditProfile } from '../../src/domain/credit-profile'
import { offerGrid } from '../../src/domain/pricing'
import { precheck as precheckRules, type Evaluation } from '../../src/domain/rules'
import { catalogAt, catalogVersion, keepProfile, publishedCatalog, publishedRules } from './published'
import type { Ports, Subject } from '../ports'
import { recordEvent } from './events'
import { readPayScoreOrNull } from './pay-score'
import { payScoreStanding } from '../../src/domain/pay-score'
import { isWhitelisted } from './console/whitelist'
import { requireUser, type Caller } from './guard'
import { clipToCeiling } from '../../src/domain/line'
import { hasCurrent } from '../../src/domain/agreements'

/**
 * Everything the rules see, from our own records and the providers (soft data only), and whom the
 * bureau was asked about (the caller makes the hard inquiry with the same subject). The guard has
 * opened the legal identity (`legal`) when the caller is verified.
 */
export async function profileOf(
  ports: Ports,
  caller: Caller,
  now: number,
  /** `payScore: false`: WeChat Pay is not asked (a drawdown's post-loan check does not look at it); the reading is "unconfirmed". */
  ask: { payScore?: boolean } = {},
): Promise<{ profile: CreditProfile; subject: Subject | null }> {
  const { user, legal } = caller
  const identity = user.identity
  const subject: Subject | null = identity && legal ? { openid: user.openid, idHash: identity.idHash, ...legal } : null
  // The pay score never fails a decision: WeChat Pay not answering is "unconfirmed" for the
  // products that need it (微粒贷 does not), never INTERNAL for all of them.
  const [payScore, bureau, signals, whitelisted] = await Promise.all([
    subject && ask.payScore !== false ? readPayScoreOrNull(ports, subject) : Promise.resolve(null),
    subject ? ports.bureau.softReport(subject, now) : Promise.resolve(null),
    ports.profiles.signals(user.openid, now),
    // Invited by the lender's own list, or by the console's whitelist (微粒贷 is the invitation-only product).
    isWhitelisted(ports, 'weilidai', user.openid),
  ])
  const [y, m, d] = (identity?.birthDate ?? '1900-01-01').split('-').map(Number)
  return {
    subject,
    profile: {
      identity: { verified: identity !== null, age: identity ? ageOn({ year: y, month: m, day: d }, now) : 0 },
      card: (user.cards ?? []).length > 0 ? 'verified' : (user.card?.status ?? 'none'),
      payScore: payScoreStanding(payScore?.authorization ?? null, payScore?.meetsThreshold ?? null),
      // A face result counts only while biometric consent stands: withdrawn, the products that need face ask for it again.
      face: hasCurrent(user.agreements, 'biometricConsent') ? (user.face?.status ?? 'none') : 'none',
      bureau: bureau ?? emptyBureauReport(),
      ...signals,
      invited: signals.invited || whitelisted,
    },
  }
}

/**
 * The pre-check's and the offers' guard: the agreements, the separate financial-data consent (pay
 * score, payment counts and the bureau's soft report are financial data), and the legal identity
 * opened for the bureau when the caller is verified.
 */
export const SOFT_DATA = { consent: 'financialDataConsent', legal: 'if-verified' } as const

/** The consented caller's evaluation on soft data (no hard inquiry), at `now`. */
export async function softEvaluation(
  ports: Ports,
  openid: string,
  now: number,
  /** The pre-check keeps the profile it decided on (rule drafts are simulated on the kept profiles). */
  keep = false,
): Promise<ApiResult<Evaluation>> {
  const caller = await requireUser(ports, openid, SOFT_DATA)
  if (!caller.ok) return caller
  const { profile } = await profileOf(ports, caller.data, now)
  const [rules, catalog] = await Promise.all([publishedRules(ports), publishedCatalog(ports)])
  const evaluation = precheckRules(profile, rules, now, catalog)
  if (keep) await keepProfile(ports, openid, profile, evaluation)
  return ok(evaluation)
}

export async function precheck(ports: Ports, openid: string): Promise<ApiResult<PrecheckResult>> {
  const now = ports.clock.now()
  const evaluated = await softEvaluation(ports, openid, now, true)
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
  // What opening would give: an assessed limit above the lender's ceiling is shown at the ceiling, and says so.
  const ceiling = ports.settings.lineCeilingFen
  const products = evaluation.products.map((p) => {
    const clipped = clipToCeiling(p.limitFen, ceiling)
    return clipped.clipped ? { ...p, limitFen: clipped.limitFen, limitClipped: true } : p
  })
  return ok({
    ...evaluation,
    products,
    capPercent: ports.settings.aprCapPercent,
    lineCeilingFen: ceiling,
    serverTime: now,
  })
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
    // Priced with the catalog the evaluation read.
    await catalogAt(ports, evaluation.catalogVersion),
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

/**
 * credit.catalog: the catalog the borrower's app shows and previews with — the published one, or
 * the version a pre-check, a line or a loan names (each stays readable after it is superseded). It
 * holds product terms only, nothing about anyone.
 */
export async function catalog(ports: Ports, version: string | undefined): Promise<ApiResult<Catalog>> {
  if (version === undefined) return ok(await publishedCatalog(ports))
  const found = await catalogVersion(ports, version)
  return found ? ok(found) : fail('NOT_FOUND', { field: 'version' })
}
