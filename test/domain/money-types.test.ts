/**
 * Type-level tests (checked by `tsc` in npm test; the runtime assertions only keep jest honest):
 * an amount in fen and a rate in ppm are both numbers, yet one does not pass for the other.
 */
import { formatYuan, ppmToPercent, type Fen, type Ppm } from '../../src/domain/money'
import { priceOffer } from '../../src/domain/pricing'

const amount: Fen = 100_000
const rate: Ppm = 500

describe('Fen and Ppm do not mix', () => {
  it('each is accepted where it belongs', () => {
    expect(formatYuan(amount)).toBe('1000.00')
    expect(ppmToPercent(rate)).toBe(0.05)
  })

  it('a rate where an amount is asked for, or an amount where a rate is, does not compile', () => {
    // @ts-expect-error a rate is not an amount
    const asAmount: Fen = rate
    // @ts-expect-error an amount is not a rate
    const asRate: Ppm = amount
    // @ts-expect-error formatYuan takes fen
    formatYuan(rate)
    // @ts-expect-error ppmToPercent takes ppm
    ppmToPercent(amount)
    priceOffer({
      product: 'we2000',
      // @ts-expect-error the amount is in fen, not a rate
      amountFen: rate,
      term: { months: 6 },
      mode: 'equal-installment',
      disbursedAt: 0,
    })
    expect([asAmount, asRate]).toEqual([500, 100_000])
  })
})
