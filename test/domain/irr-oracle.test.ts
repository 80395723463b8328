/**
 * An independent oracle: the `financial` package (a port of numpy-financial) checks our IRR
 * and level payment on generated cases, to 1e-9.
 */
import fc from 'fast-check'
import { irr as financialIrr, pmt as financialPmt } from 'financial'
import { irr } from '../../src/domain/irr'
import { levelPaymentFen } from '../../src/domain/schedule'

/** Loan-shaped cash flows: an amount out, then 1–36 positive payments. */
const loanFlows = fc
  .record({
    amount: fc.integer({ min: 10_000, max: 30_000_000 }),
    n: fc.integer({ min: 1, max: 36 }),
    monthly: fc.double({ min: 0.0005, max: 0.05, noNaN: true }),
    jitter: fc.array(fc.double({ min: -0.2, max: 0.2, noNaN: true }), { minLength: 36, maxLength: 36 }),
  })
  .map(({ amount, n, monthly, jitter }) => {
    const level = (amount * monthly) / (1 - (1 + monthly) ** -n)
    return [-amount, ...Array.from({ length: n }, (_, k) => Math.round(level * (1 + jitter[k])))]
  })
  .filter((flows) => flows.slice(1).reduce((s, x) => s + x, 0) > -flows[0])

describe('IRR against financial.irr', () => {
  it('agrees to 1e-9 on 600 generated loans', () => {
    fc.assert(
      fc.property(loanFlows, (flows) => {
        const theirs = financialIrr(flows, 0.01, 1e-13, 1000)
        expect(Number.isFinite(theirs)).toBe(true)
        expect(Math.abs(irr(flows) - theirs)).toBeLessThan(1e-9)
      }),
      { numRuns: 600 },
    )
  })

  it('is NaN when the flows never change sign, as numpy-financial is', () => {
    expect(irr([100, 200])).toBeNaN()
    expect(irr([-100, -5])).toBeNaN()
    expect(irr([0, 0])).toBeNaN()
  })
})

describe('level payment against financial.pmt', () => {
  /**
   * Regression (test, not code): ¥300,000 at 0.0247%/day for one month is exactly 30,225,387.5
   * fen, which rounds half-up to …388; financial.pmt's float gives …387.4999999963. The bound
   * allowed half a fen + 1e-9 and failed on that float error; it now allows the float's own error.
   */
  it('the exact half-fen case rounds up, and the float oracle is within its own error', () => {
    expect(levelPaymentFen(30_000_000, 247, 1)).toBe(30_225_388)
    expect(
      Math.abs(levelPaymentFen(30_000_000, 247, 1) - -financialPmt((247 * 365) / 12e6, 1, 30_000_000)),
    ).toBeLessThan(0.5 + 1e-6)
  })

  it('matches pmt (rounded half-up to the fen) on 600 generated loans', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 10_000, max: 30_000_000 }),
        fc.integer({ min: 100, max: 1000 }),
        fc.integer({ min: 1, max: 36 }),
        (amount, ppm, n) => {
          const rate = (ppm * 365) / 12e6
          const theirs = -financialPmt(rate, n, amount)
          // Exact value vs a float: equal after rounding unless the float sits within 1e-6 of a half fen.
          const nearHalf = Math.abs((theirs % 1) - 0.5) < 1e-6
          if (!nearHalf) expect(levelPaymentFen(amount, ppm, n)).toBe(Math.round(theirs))
          // The oracle is a float: at 3×10⁷ fen its error is ~10⁻⁸, so allow that beyond half a fen.
          expect(Math.abs(levelPaymentFen(amount, ppm, n) - theirs)).toBeLessThanOrEqual(0.5 + 1e-6)
        },
      ),
      { numRuns: 600 },
    )
  })
})
