// Factories: an applied or a disbursed loan from a real priced offer.
import { fromChinaDateTime } from '../../src/domain/china-time'
import { newLoan, transition, type Loan } from '../../src/domain/loan'
import { HISTORIC_APR_CAP_PERCENT, priceOffer, type OfferRequest } from '../../src/domain/pricing'

export const DISBURSED_AT = fromChinaDateTime({ year: 2026, month: 11, day: 28, hour: 10 })

/**
 * The loan state machine does not care about the cap, so these loans are priced under the 36%
 * setting: the catalog's short WE2000 terms (over the 24% default) stay usable as fixtures.
 */
export function makeAppliedLoan(req: Partial<Omit<OfferRequest, 'disbursedAt'>> = {}, id = 'L1'): Loan {
  const r = priceOffer({
    capPercent: HISTORIC_APR_CAP_PERCENT,
    product: 'we2000',
    amountFen: 200_000,
    term: { months: 3 },
    mode: 'equal-installment',
    ...req,
    disbursedAt: DISBURSED_AT,
  })
  if (!r.ok) throw new Error(r.error.code)
  return newLoan(id, r.offer, 'rules/test', DISBURSED_AT)
}

/** An applied loan, approved and paid out at DISBURSED_AT (the payout asked for and confirmed). */
export function makeDisbursedLoan(req: Partial<Omit<OfferRequest, 'disbursedAt'>> = {}): Loan {
  let loan = makeAppliedLoan(req)
  for (const event of [
    { type: 'APPROVE' },
    { type: 'DISBURSE' },
    { type: 'PAYOUT_CONFIRMED', at: DISBURSED_AT },
  ] as const) {
    const t = transition(loan, event, DISBURSED_AT)
    if (!t.ok) throw new Error(t.code)
    loan = t.loan
  }
  return loan
}
