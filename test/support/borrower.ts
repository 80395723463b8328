// Factory: a borrower taken through onboarding (agreements, real name, a bound debit card) who
// then borrows — the set-up many server tests share.
import { makeCard } from './cards'
import type { LoanView } from '../../src/api'
import type { TestCloud } from './cloud'
import { ALL_AGREEMENTS } from './cloud'
import { makeApplicant } from './factories'

export const CARD_NUMBER = makeCard('622588', '123456789')

export async function onboardBorrower(cloud: TestCloud, user = 'alice', applicant = makeApplicant()) {
  await cloud.call('onboarding', 'acceptAgreements', { accepted: ALL_AGREEMENTS }, { user })
  await cloud.call('onboarding', 'verifyIdentity', applicant, { user })
  const bound = await cloud.call(
    'onboarding',
    'bindCard',
    { cardNumber: CARD_NUMBER, mobile: applicant.mobile, name: applicant.name, idNumber: applicant.idNumber },
    { user },
  )
  if (!bound.ok) throw new Error(bound.error.code)
  return applicant
}

/** A six-month ¥1,000 WE2000 loan (equal principal; shorter terms are over the 24% cap), applied for with its own consent. */
export async function borrow(cloud: TestCloud, user = 'alice', over: Record<string, unknown> = {}): Promise<LoanView> {
  const c = await cloud.call<{ consentId: string }>(
    'loans',
    'consent',
    { product: over.product ?? 'we2000', purpose: 'consumption' },
    { user },
  )
  if (!c.ok) throw new Error(c.error.code)
  const r = await cloud.call<{ loan: LoanView }>(
    'loans',
    'apply',
    {
      product: 'we2000',
      amountFen: 100_000,
      termMonths: 6,
      mode: 'equal-principal',
      purpose: 'consumption',
      consentId: c.data.consentId,
      ...over,
    },
    { user },
  )
  if (!r.ok) throw new Error(r.error.code)
  return r.data.loan
}
