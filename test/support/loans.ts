// Factory: a disbursed loan from a real priced offer.
import { fromChinaDateTime } from '../../src/domain/china-time'
import { newLoan, transition, type Loan } from '../../src/domain/loan'
import { priceOffer, type OfferRequest } from '../../src/domain/pricing'

export const DISBURSED_AT = fromChinaDateTime({ year: 2026, month: 11, day: 28, hour: 10 })

export function makeDisbursedLoan(req: Partial<Omit<OfferRequest, 'disbursedAt'>> = {}): Loan {
  const r = priceOffer({
    product: 'we2000',
    amountFen: 200_000,
    term: { months: 3 },
    mode: 'equal-installment',
    ...req,
    disbursedAt: DISBURSED_AT,
  })
  if (!r.ok) throw new Error(r.error.code)
  let loan = newLoan('L1', r.offer, 'rules/test', DISBURSED_AT)
  for (const type of ['APPROVE', 'DISBURSE'] as const) {
    const t = transition(loan, { type }, DISBURSED_AT)
    if (!t.ok) throw new Error(t.code)
    loan = t.loan
  }
  return loan
}
