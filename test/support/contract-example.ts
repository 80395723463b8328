// The worked example the contract tests pin and the PDF benchmark renders: a 微粒贷 loan of
// ¥20,000 over 20 months, 等额本息, at 0.03% a day, priced as the server prices it.
import { priceOffer, type Offer } from '../../src/domain/pricing'

export function twentyMonthOffer(disbursedAt: number): Offer {
  const r = priceOffer({
    product: 'weilidai',
    amountFen: 2_000_000,
    term: { months: 20 },
    mode: 'equal-installment',
    dailyRatePpm: 300,
    capPercent: 24,
    disbursedAt,
  })
  if (!r.ok) throw new Error(r.error.code)
  return r.offer
}
