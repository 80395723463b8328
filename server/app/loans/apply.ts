// The per-query credit consent and the application: decided and priced again on the server (the
// client's figures are never used), the line reserved with compare-and-set, the hard inquiry made
// only after the consent, and the loan's first steps (approve and pay out, refuse, or review).
import { fail, ok } from '../../../src/api'
import { newLoan, transition, type LoanEffect, type LoanEvent } from '../../../src/domain/loan'
import { priceOffer } from '../../../src/domain/pricing'
import { applicationCheck, purposeRefusal } from '../../../src/domain/rules'
import { DEFAULT_RULE_SET } from '../../../src/domain/rule-set'
import { COLLECTIONS } from '../../schema'
import { SOFT_DATA } from '../credit'
import { consentUsable, profileForInquiry, recordCreditConsent } from '../credit-consents'
import { clipToCeiling } from '../../../src/domain/line'
import { requireUser } from '../guard'
import { changeUser } from '../users'
import { trackOf, type CreditConsentDoc, type LoanDoc } from './docs'
import { releaseLine } from './lifecycle'
import { auditStep, runEffects, writeAudit, type AuditStep } from './records'
import { view } from './view'
import type { UseCase } from '../use-case'

export const consent: UseCase<'loans', 'consent'> = async (ports, openid, input) => {
  // A consent to a query for a purpose that is always refused would only cost the person an inquiry.
  if (purposeRefusal({ purpose: input.purpose, accountType: 'debit' }, DEFAULT_RULE_SET))
    return fail('PURPOSE_REFUSED', { field: 'purpose' })
  const caller = await requireUser(ports, openid, { consent: 'financialDataConsent' })
  if (!caller.ok) return caller
  const { consentId, expiresAt } = await recordCreditConsent(ports, openid, input.product, input.purpose, 'cq')
  return ok({ consentId, product: input.product, purpose: input.purpose, expiresAt })
}

export const apply: UseCase<'loans', 'apply'> = async (ports, openid, input) => {
  const now = ports.clock.now()
  const term = input.termDays !== undefined ? { days: input.termDays } : { months: input.termMonths ?? 0 }
  const accountType = input.accountType ?? 'debit'
  // Where the money may go is decided before anything is asked of the bureau: no inquiry, soft or hard.
  const refusedField = purposeRefusal({ purpose: input.purpose, accountType }, DEFAULT_RULE_SET)
  if (refusedField) return fail('PURPOSE_REFUSED', { field: refusedField })
  const caller = await requireUser(ports, openid, { ...SOFT_DATA, legal: true })
  if (!caller.ok) return caller

  const consentDoc = await ports.store.get<CreditConsentDoc>(COLLECTIONS.creditConsents, input.consentId)
  const c = consentDoc?.data
  if (!consentDoc || !c || !consentUsable(c, { openid, product: input.product, purpose: input.purpose, now }))
    return fail('CONSENT_INVALID', { field: 'consentId' })

  const asked = await profileForInquiry(ports, caller.data, input.product, now)
  if (!asked.ok) return asked
  const { profile, subject } = asked.data
  const check = applicationCheck(
    profile,
    {
      product: input.product,
      amountFen: input.amountFen,
      purpose: input.purpose,
      accountType,
    },
    DEFAULT_RULE_SET,
    now,
  )
  if (check.decision.pendingSteps.length > 0)
    return fail('STEP_REQUIRED', { detail: check.decision.pendingSteps.join(',') })
  // The server prices the offer itself, at the rate the rules decided.
  const priced = priceOffer({
    product: input.product,
    amountFen: input.amountFen,
    term,
    mode: input.mode,
    dailyRatePpm: check.decision.dailyRatePpm,
    capPercent: ports.settings.aprCapPercent,
    disbursedAt: now,
  })
  if (!priced.ok) {
    const { code, message, ...extra } = priced.error
    return fail(code, {
      message,
      field: code === 'TERM_NOT_OFFERED' ? 'term' : 'amountFen',
      detail: extra.aprPercent !== undefined ? String(extra.aprPercent) : undefined,
    })
  }

  // Reserve the line before the loan exists: parallel applications can never together exceed it,
  // nor the lender's line ceiling.
  const lineLimit = clipToCeiling(check.decision.limitFen, ports.settings.lineCeilingFen).limitFen
  if (check.outcome !== 'refused') {
    const reserved = await changeUser<boolean>(ports.store, openid, now, (u) => {
      const used = u.lineUsage?.[input.product] ?? 0
      if (used + input.amountFen > lineLimit) return { stop: false }
      return { write: { ...u, lineUsage: { ...u.lineUsage, [input.product]: used + input.amountFen } }, result: true }
    })
    // Lost every compare-and-set retry to concurrent writes: a conflict, not "over the limit".
    if (!reserved.ok) return fail('CONFLICT')
    if (!reserved.result) return fail('AMOUNT_OVER_LIMIT', { field: 'amountFen', detail: String(lineLimit) })
  }

  // The consent is spent on this one inquiry (compare-and-set: a replayed consent loses).
  const spent = await ports.store.update<CreditConsentDoc>(
    COLLECTIONS.creditConsents,
    input.consentId,
    consentDoc.version,
    { ...c, usedBy: 'pending' },
  )
  if (!spent.ok) {
    if (check.outcome !== 'refused') await releaseLine(ports, openid, input.product, input.amountFen, now)
    return fail('CONSENT_INVALID', { field: 'consentId' })
  }
  await ports.bureau.hardInquiry(subject, { consentId: input.consentId, purpose: input.purpose }, now)

  const loanId = ports.ids.next('L')
  let loan = newLoan(loanId, priced.offer, check.ruleSetVersion, now)
  const effects: LoanEffect[] = [
    {
      type: 'RECEIPT',
      kind: 'apply',
      amountFen: loan.amountFen,
      breakdown: { principalFen: 0, interestFen: 0, feeFen: 0, overdueFen: 0 },
    },
  ]
  // Each step's audit entry records the state that step produced (applied, then approved, …).
  const audit: AuditStep[] = [{ action: 'apply', state: loan.state, amountFen: loan.amountFen }]
  const steps: LoanEvent[] =
    check.outcome === 'refused'
      ? [{ type: 'REFUSE', reasons: check.reasons.map((r) => r.code) }]
      : check.outcome === 'manual-review'
        ? [{ type: 'REVIEW' }]
        : check.faceRequiredBeforeDrawdown
          ? [{ type: 'APPROVE' }]
          : [{ type: 'APPROVE' }, { type: 'DISBURSE' }]
  for (const event of steps) {
    const t = transition(loan, event, now)
    if (!t.ok) throw new Error(`apply: ${t.code}`)
    loan = t.loan
    effects.push(...t.effects)
    audit.push(auditStep(event, t.loan, t.effects))
  }
  await ports.store.insert<LoanDoc>(COLLECTIONS.loans, loanId, {
    openid,
    loan,
    purpose: input.purpose,
    merchant: caller.data.user.entryMerchant,
    consentId: input.consentId,
    track: trackOf(loan),
  })
  await ports.store.update<CreditConsentDoc>(COLLECTIONS.creditConsents, input.consentId, spent.doc.version, {
    ...c,
    usedBy: loanId,
  })
  await runEffects(ports, openid, loan, 0, effects, now)
  await writeAudit(ports, openid, loan, 0, audit, now)
  return ok({
    outcome: check.outcome,
    loan: view(loan, now),
    reasons: check.reasons,
    faceRequiredBeforeDrawdown: check.faceRequiredBeforeDrawdown,
  })
}
