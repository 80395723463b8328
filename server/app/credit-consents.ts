// The per-query credit consent (征信查询授权): one hard inquiry, for one stated purpose, by this
// caller only, within 15 minutes — a line's approval (授信审批). Consents recorded before lines, one
// per loan with the loan's purpose, are kept as they were and read by account.consents.
import { CREDIT_CONSENT_TTL_MS } from '../../src/domain/agreements'
import type { ProductId } from '../../src/domain/catalog'
import { fail, ok } from '../../src/api'
import { publishedCatalog, publishedRules } from './published'
import { precheck as precheckRules } from '../../src/domain/rules'
import type { Ports } from '../ports'
import { COLLECTIONS } from '../schema'
import { profileOf } from './credit'
import type { Caller } from './guard'

/** Records an unspent consent; its id is what the one inquiry it allows must carry. */
export async function recordCreditConsent<P extends string>(
  ports: Ports,
  openid: string,
  product: ProductId,
  purpose: P,
  idPrefix: string,
): Promise<{ consentId: string; expiresAt: number }> {
  const now = ports.clock.now()
  const consentId = ports.ids.next(idPrefix)
  const doc = { openid, product, purpose, at: now, expiresAt: now + CREDIT_CONSENT_TTL_MS, usedBy: null }
  await ports.store.insert(COLLECTIONS.creditConsents, consentId, doc)
  return { consentId, expiresAt: doc.expiresAt }
}

/** A recorded consent, as both kinds are stored. */
export interface CreditConsentRecord<P extends string = string> {
  openid: string
  product: ProductId
  purpose: P
  at: number
  expiresAt: number
  usedBy: string | null
}

/**
 * Whether a consent may pay for this inquiry: the caller's, for this product and purpose, before it
 * expires, and unspent — or spent on exactly the work it resumes (`resumes`, a line being opened).
 */
export function consentUsable(
  c: CreditConsentRecord | undefined,
  want: { openid: string; product: ProductId; purpose: string; now: number; resumes?: string | null },
): boolean {
  return (
    !!c &&
    c.openid === want.openid &&
    c.product === want.product &&
    c.purpose === want.purpose &&
    (c.usedBy === null || (want.resumes != null && c.usedBy === want.resumes)) &&
    want.now < c.expiresAt
  )
}

/**
 * Everything the rules see and whom the bureau would be asked about, before a hard inquiry — or
 * PAY_SCORE_UNAVAILABLE when the product needs a pay score nobody could answer ("ask again later",
 * never a refusal that would cost the person an inquiry for an outage).
 */
export async function profileForInquiry(ports: Ports, caller: Caller, product: ProductId, now: number) {
  const { profile, subject } = await profileOf(ports, caller, now)
  // The guard asked for the legal identity, so there is one to ask the bureau about.
  if (!subject) throw new Error('requireUser({ legal: true }) gave a caller without an identity')
  if ((await publishedRules(ports)).products[product].needsPayScore && profile.payScore === 'UNCONFIRMED')
    return fail('PAY_SCORE_UNAVAILABLE')
  return ok({ profile, subject })
}

/** The opening's decision as lines.open makes it (and its contract preview shows it): today's profile, evaluated. */
export async function openingDecision(ports: Ports, caller: Caller, product: ProductId, now: number) {
  const inquiry = await profileForInquiry(ports, caller, product, now)
  if (!inquiry.ok) return inquiry
  // The published rule set decides; the opening's record and contract name its version.
  const [rules, catalog] = await Promise.all([publishedRules(ports), publishedCatalog(ports)])
  const evaluation = precheckRules(inquiry.data.profile, rules, now, catalog)
  return ok({
    ...inquiry.data,
    rules,
    catalog,
    evaluation,
    decision: evaluation.products.find((p) => p.product === product)!,
  })
}
