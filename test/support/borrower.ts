// Factory: a borrower taken through onboarding (agreements, real name, a bound debit card) who
// then borrows — the set-up many server tests share.
import { makeCard } from './cards'
import type { LineView, LoanView } from '../../src/api'
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

/** Opens the product's line (its consent, then the opening), unless it is open already: the line. */
export async function openLine(cloud: TestCloud, user = 'alice', product = 'we2000'): Promise<LineView> {
  const got = await cloud.call<LineView>('lines', 'get', { product }, { user })
  if (got.ok && (got.data.state === 'active' || got.data.state === 'frozen')) return got.data
  const c = await cloud.call<{ consentId: string }>('lines', 'consent', { product }, { user })
  if (!c.ok) throw new Error(c.error.code)
  const opened = await cloud.call<LineView>('lines', 'open', { product, consentId: c.data.consentId }, { user })
  if (!opened.ok) throw new Error(opened.error.code)
  return opened.data
}

/** A six-month ¥1,000 WE2000 loan (equal principal; shorter terms are over the 24% cap), drawn on the product's line (opened first when it is not). */
export async function borrow(cloud: TestCloud, user = 'alice', over: Record<string, unknown> = {}): Promise<LoanView> {
  const product = (over.product as string | undefined) ?? 'we2000'
  await openLine(cloud, user, product)
  const r = await cloud.call<{ loan: LoanView }>(
    'loans',
    'apply',
    {
      product: 'we2000',
      amountFen: 100_000,
      termMonths: 6,
      mode: 'equal-principal',
      purpose: 'consumption',
      ...over,
    },
    { user },
  )
  if (!r.ok) throw new Error(r.error.code)
  return r.data.loan
}
