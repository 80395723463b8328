import fc from 'fast-check'
import { DEFAULT_CATALOG, type ProductId, type RepaymentMode } from '../../src/domain/catalog'
import { fromChinaDateTime } from '../../src/domain/china-time'
import { npv } from '../../src/domain/irr'
import { mulDivHalfUp } from '../../src/domain/money'
import { priceOffer, type Offer } from '../../src/domain/pricing'
import type { Term } from '../../src/domain/schedule'

const AT = fromChinaDateTime({ year: 2026, month: 11, day: 28, hour: 10 })

/** Any offer the default catalog allows, with a rate inside the product's range. */
const offerArb = fc
  .constantFrom(...(Object.keys(DEFAULT_CATALOG.products) as ProductId[]))
  .chain((product) => {
    const spec = DEFAULT_CATALOG.products[product]
    const modes = Object.keys(spec.modes) as RepaymentMode[]
    return fc.record({
      product: fc.constant(product),
      amountFen: fc.integer({ min: spec.limitFen.min, max: spec.limitFen.max }),
      rate: fc.integer({ min: spec.dailyRatePpm.min, max: spec.dailyRatePpm.max }),
      modeTerm: fc.constantFrom(...modes).chain((mode): fc.Arbitrary<{ mode: RepaymentMode; term: Term }> => {
        const t = spec.modes[mode]!
        return t.unit === 'months'
          ? fc.constantFrom(...t.months).map((months) => ({ mode, term: { months } }))
          : fc.integer({ min: t.minDays, max: t.maxDays }).map((days) => ({ mode, term: { days } }))
      }),
      at: fc.integer({ min: AT, max: AT + 3 * 365 * 86_400_000 }),
    })
  })
  .map(({ product, amountFen, rate, modeTerm, at }) => {
    const r = priceOffer({ product, amountFen, dailyRatePpm: rate, capPercent: 100, disbursedAt: at, ...modeTerm })
    if (!r.ok) throw new Error(`${r.error.code} ${r.error.message}`)
    return r.offer
  })

const flows = (o: Offer) => [-o.amountFen, ...o.schedule.map((l) => l.totalFen)]

describe('pricing invariants', () => {
  it('principal lines sum exactly to the amount; every line is a non-negative integer', () => {
    fc.assert(
      fc.property(offerArb, (o) => {
        expect(o.schedule.reduce((s, l) => s + l.principalFen, 0)).toBe(o.amountFen)
        for (const l of o.schedule) {
          for (const v of [l.principalFen, l.interestFen, l.feeFen, l.totalFen]) {
            expect(Number.isSafeInteger(v) && v >= 0).toBe(true)
          }
          expect(l.totalFen).toBe(l.principalFen + l.interestFen + l.feeFen)
        }
        expect(o.totalRepayFen).toBe(o.schedule.reduce((s, l) => s + l.totalFen, 0))
      }),
      { numRuns: 300 },
    )
  })

  it('the NPV of the real cash flows at the rate behind the APR is within 1 fen of zero', () => {
    fc.assert(
      fc.property(offerArb, (o) => {
        expect(Math.abs(npv(flows(o), o.periodicRate))).toBeLessThan(1)
      }),
      { numRuns: 300 },
    )
  })

  it('a fee-free flexible loan shows exactly daily × 365', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 200, max: 500 }),
        fc.integer({ min: 1, max: 365 }),
        fc.integer({ min: 50_000, max: 30_000_000 }),
        (ppm, days, amountFen) => {
          const r = priceOffer({
            product: 'weilidai',
            amountFen,
            term: { days },
            mode: 'flexible',
            dailyRatePpm: ppm,
            disbursedAt: AT,
          })
          expect(r.ok && r.offer.aprPercent).toBe(mulDivHalfUp([ppm, 365], 100) / 100)
          expect(r.ok && r.offer.aprMethod).toBe('nominal')
        },
      ),
    )
  })

  it('the APR rises with the daily rate', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 500, max: 979 }),
        fc.constantFrom(1, 3, 6, 12),
        fc.integer({ min: 50_000, max: 5_000_000 }),
        (ppm, days, amountFen) => {
          const at = (rate: number) =>
            priceOffer({
              product: 'xiaoe',
              amountFen,
              term: { days: days * 30 },
              mode: 'flexible',
              dailyRatePpm: rate,
              capPercent: 100,
              disbursedAt: AT,
            })
          const lo = at(ppm)
          const hi = at(ppm + 1)
          expect(lo.ok && hi.ok && hi.offer.periodicRate > lo.offer.periodicRate).toBe(true)
        },
      ),
    )
    fc.assert(
      fc.property(
        fc.integer({ min: 200, max: 499 }),
        fc.constantFrom(5, 10, 20),
        fc.constantFrom('equal-installment', 'equal-principal'),
        (ppm, months, mode) => {
          const at = (rate: number) =>
            priceOffer({
              product: 'weilidai',
              amountFen: 10_000_000,
              term: { months },
              mode,
              dailyRatePpm: rate,
              disbursedAt: AT,
            })
          const lo = at(ppm)
          const hi = at(ppm + 1)
          expect(lo.ok && hi.ok && hi.offer.periodicRate > lo.offer.periodicRate).toBe(true)
        },
      ),
    )
  })

  it('the APR rises with fees: WE2000 with its 1% fee is dearer than the same loan without it', () => {
    const noFee = {
      ...DEFAULT_CATALOG,
      products: { ...DEFAULT_CATALOG.products, we2000: { ...DEFAULT_CATALOG.products.we2000, drawdownFeePpm: 0 } },
    }
    fc.assert(
      fc.property(fc.integer({ min: 10_000, max: 200_000 }), fc.integer({ min: 1, max: 12 }), (amountFen, months) => {
        const req = {
          product: 'we2000',
          amountFen,
          term: { months },
          mode: 'equal-installment',
          capPercent: 100,
          disbursedAt: AT,
        }
        const withFee = priceOffer(req)
        const without = priceOffer(req, noFee)
        expect(withFee.ok && without.ok && withFee.offer.periodicRate > without.offer.periodicRate).toBe(true)
        expect(withFee.ok && without.ok && withFee.offer.aprPercent).toBeGreaterThanOrEqual(
          without.ok ? without.offer.aprPercent : Infinity,
        )
      }),
    )
  })

  it('mulDivHalfUp is exact for any size (checked against BigInt)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 40_000_000 }), { minLength: 1, maxLength: 4 }),
        fc.integer({ min: 1, max: 2_000_000_000 }),
        (factors, den) => {
          const num = factors.reduce((p, f) => p * BigInt(f), BigInt(1))
          const expected = Number((BigInt(2) * num + BigInt(den)) / (BigInt(2) * BigInt(den)))
          expect(mulDivHalfUp(factors, den)).toBe(expected)
        },
      ),
    )
  })
})
