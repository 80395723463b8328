import fc from 'fast-check'
import { fromChinaDateTime } from '../../src/domain/china-time'
import { DEFAULT_CATALOG } from '../../src/domain/catalog'
import {
  BULLET_MAX_DAYS,
  DEFAULT_APR_CAP_PERCENT,
  HISTORIC_APR_CAP_PERCENT,
  offerGrid,
  priceOffer,
  type OfferRequest,
} from '../../src/domain/pricing'

const AT = fromChinaDateTime({ year: 2026, month: 11, day: 28, hour: 10 })
const base: OfferRequest = {
  product: 'we2000',
  amountFen: 100_000,
  term: { months: 3 },
  mode: 'equal-installment',
  disbursedAt: AT,
}
const code = (over: Partial<OfferRequest>) => {
  const r = priceOffer({ ...base, ...over })
  return r.ok ? 'OK' : r.error.code
}

describe('the regulatory ceiling on a bullet loan', () => {
  it('never more than one year, even where a lender’s catalog offers longer', () => {
    const longer = {
      ...DEFAULT_CATALOG,
      products: {
        ...DEFAULT_CATALOG.products,
        weilidai: {
          ...DEFAULT_CATALOG.products.weilidai,
          modes: {
            ...DEFAULT_CATALOG.products.weilidai.modes,
            flexible: { unit: 'days' as const, minDays: 1, maxDays: 730, previewDays: [30] },
          },
        },
      },
    }
    const at = (days: number) =>
      priceOffer({ product: 'weilidai', amountFen: 100_000, term: { days }, mode: 'flexible', disbursedAt: AT }, longer)
    expect(at(BULLET_MAX_DAYS).ok).toBe(true)
    const over = at(BULLET_MAX_DAYS + 1)
    expect(over).toMatchObject({ ok: false, error: { code: 'TERM_NOT_OFFERED' } })
    if (!over.ok) expect(over.error.message).toContain('不得超过一年')
  })
})

describe('bad input is a typed error, never NaN or a throw', () => {
  it.each([
    [{ product: 'jiebei' }, 'UNKNOWN_PRODUCT'],
    [{ product: '__proto__' }, 'UNKNOWN_PRODUCT'],
    [{ amountFen: 0 }, 'INVALID_AMOUNT'],
    [{ amountFen: -100 }, 'INVALID_AMOUNT'],
    [{ amountFen: 100.5 }, 'INVALID_AMOUNT'],
    [{ amountFen: Number.NaN }, 'INVALID_AMOUNT'],
    [{ amountFen: 9_999 }, 'AMOUNT_OUT_OF_RANGE'],
    [{ amountFen: 200_001 }, 'AMOUNT_OUT_OF_RANGE'],
    [{ mode: 'fee-installment' }, 'MODE_NOT_OFFERED'],
    [{ mode: 'toString' }, 'MODE_NOT_OFFERED'],
    [{ term: { months: 13 } }, 'TERM_NOT_OFFERED'],
    [{ term: { days: 30 } }, 'TERM_NOT_OFFERED'],
    [{ term: { months: 0 } }, 'TERM_NOT_OFFERED'],
    [{ dailyRatePpm: 499 }, 'RATE_OUT_OF_RANGE'],
    [{ dailyRatePpm: 500.5 }, 'RATE_OUT_OF_RANGE'],
    [{ capPercent: 0 }, 'INVALID_CAP'],
    [{ capPercent: Number.NaN }, 'INVALID_CAP'],
    [{ disbursedAt: Number.NaN }, 'INVALID_DATE'],
  ] as Array<[Partial<OfferRequest>, string]>)('%j → %s', (over, expected) => {
    expect(code(over)).toBe(expected)
  })

  it('a flexible term must be whole days within the catalog range', () => {
    const flex = { product: 'xiaoe', mode: 'flexible', amountFen: 100_000 }
    expect(code({ ...flex, term: { days: 0 } })).toBe('TERM_NOT_OFFERED')
    expect(code({ ...flex, term: { days: 366 } })).toBe('TERM_NOT_OFFERED')
    expect(code({ ...flex, term: { days: 1.5 } })).toBe('TERM_NOT_OFFERED')
    expect(code({ ...flex, term: { days: 365 } })).toBe('OK')
  })

  it('whatever arrives, the answer is an offer with finite figures or a typed error', () => {
    fc.assert(
      fc.property(
        fc.record({
          product: fc.oneof(fc.constantFrom('weilidai', 'we2000', 'xiaoe'), fc.string()),
          amountFen: fc.oneof(fc.integer(), fc.double()),
          term: fc.oneof(
            fc.record({ months: fc.oneof(fc.integer(), fc.double()) }),
            fc.record({ days: fc.oneof(fc.integer(), fc.double()) }),
          ),
          mode: fc.oneof(
            fc.constantFrom('flexible', 'equal-installment', 'equal-principal', 'fee-installment'),
            fc.string(),
          ),
          dailyRatePpm: fc.option(fc.oneof(fc.integer(), fc.double()), { nil: undefined }),
          capPercent: fc.option(fc.oneof(fc.integer(), fc.double()), { nil: undefined }),
          disbursedAt: fc.oneof(fc.constant(AT), fc.integer(), fc.double()),
        }),
        (req) => {
          const r = priceOffer(req as OfferRequest)
          if (r.ok) {
            expect(Number.isFinite(r.offer.aprPercent)).toBe(true)
            expect(Number.isSafeInteger(r.offer.totalRepayFen)).toBe(true)
          } else {
            expect(r.error.code).toMatch(/^[A-Z_]+$/)
            expect(r.error.message.length).toBeGreaterThan(0)
          }
        },
      ),
      { numRuns: 2000 },
    )
  })
})

describe('the APR cap', () => {
  it('an offer over the cap is refused with its figure, not changed', () => {
    const r = priceOffer({
      product: 'xiaoe',
      amountFen: 1_000_000,
      term: { months: 12 },
      mode: 'fee-installment',
      disbursedAt: AT,
    })
    expect(r).toEqual({
      ok: false,
      error: { code: 'APR_OVER_CAP', message: expect.stringContaining('31.72%'), aprPercent: 31.72, capPercent: 24 },
    })
  })

  it('the default cap is 24% of the all-in cost; the article’s dearer prices are refused with their APR, 36% is a setting', () => {
    expect(DEFAULT_APR_CAP_PERCENT).toBe(24)
    const strict = offerGrid({}, { disbursedAt: AT })
    expect(strict.capPercent).toBe(24)
    expect(strict.offers.every((o) => o.aprPercent <= 24)).toBe(true)
    expect(strict.refused.every((r) => r.error.code === 'APR_OVER_CAP' && (r.error.aprPercent ?? 0) > 24)).toBe(true)
    // WE2000's 1% withdrawal fee over 1–3 months, and every 小鹅花钱 fee installment (1.5% a month).
    const refused = (product: string, mode: string) =>
      strict.refused
        .filter((r) => r.product === product && r.mode === mode)
        .map((r) => ('months' in r.term ? r.term.months : r.term.days))
    expect([...new Set(refused('we2000', 'equal-installment'))]).toEqual([1, 2, 3])
    expect([...new Set(refused('xiaoe', 'fee-installment'))]).toEqual([3, 6, 12])
    expect(strict.refused.filter((r) => r.product === 'weilidai')).toEqual([])
    const wide = offerGrid({}, { disbursedAt: AT, capPercent: HISTORIC_APR_CAP_PERCENT })
    expect(wide.refused).toEqual([])
  })
})

describe('the offer grid for one user', () => {
  it('covers every product × amount step within the limit × mode × term, at the user rate', () => {
    const grid = offerGrid(
      { products: { weilidai: { limitFen: 5_000_000, dailyRatePpm: 200 }, we2000: { limitFen: 50_000 } } },
      { disbursedAt: AT },
    )
    const wld = grid.offers.filter((o) => o.product === 'weilidai')
    // ¥500, 1,000, 2,000, 5,000, 10,000, 20,000, 50,000 × (3 + 3 monthly + 1 flexible preview)
    expect(wld).toHaveLength(7 * 7)
    expect(wld.every((o) => o.amountFen <= 5_000_000 && (o.mode === 'flexible' ? o.dailyRatePpm === 200 : true))).toBe(
      true,
    )
    expect(grid.offers.filter((o) => o.product === 'we2000').map((o) => o.amountFen)).not.toContain(100_000)
    expect(grid.catalogVersion).toMatch(/^demo-catalog\//)
  })
})

/**
 * Regression (review): the cap was compared with the APR rounded to 0.01%, so an offer whose true
 * APR was 24.004% passed a 24% cap. The exact rate decides; the figure shown stays rounded.
 */
describe('the cap against the exact APR', () => {
  it('a daily-interest APR exactly at the cap is offered; a hair over is not', () => {
    const flex = (capPercent: number) =>
      priceOffer({
        product: 'weilidai',
        amountFen: 100_000,
        term: { days: 30 },
        mode: 'flexible',
        dailyRatePpm: 500,
        capPercent,
        disbursedAt: AT,
      })
    expect(flex(18.25)).toMatchObject({ ok: true, offer: { aprPercent: 18.25 } })
    expect(flex(18.24)).toMatchObject({ ok: false, error: { code: 'APR_OVER_CAP', aprPercent: 18.25 } })
  })

  it('an IRR that rounds down to the cap is still over it, and is shown rounded up so it reads as over', () => {
    // The first WE2000 six-month offer whose exact APR sits a little above a figure of two decimals.
    const candidates = Array.from({ length: 200 }, (_, i) => 100_000 + i * 500)
      .map((amountFen) => {
        const r = priceOffer({
          product: 'we2000',
          amountFen,
          term: { months: 6 },
          mode: 'equal-installment',
          capPercent: 36,
          disbursedAt: AT,
        })
        if (!r.ok) throw new Error(r.error.code)
        return { amountFen, exact: r.offer.periodicRate * 12 * 100, shown: r.offer.aprPercent }
      })
      .filter((c) => c.exact > c.shown)
    expect(candidates.length).toBeGreaterThan(0)
    const { amountFen, exact, shown } = candidates[0]
    const at = (capPercent: number) =>
      priceOffer({
        product: 'we2000',
        amountFen,
        term: { months: 6 },
        mode: 'equal-installment',
        capPercent,
        disbursedAt: AT,
      })
    // A cap equal to the rounded figure: the exact rate is over it, so the offer is refused…
    const refused = at(shown)
    expect(refused).toMatchObject({ ok: false, error: { code: 'APR_OVER_CAP', capPercent: shown } })
    // …and the APR it reports is above the cap (rounded up), never "21.74% is over 21.74%".
    if (!refused.ok) expect(refused.error.aprPercent!).toBe(Math.round(shown * 100 + 1) / 100)
    expect(at(Math.ceil(exact * 100) / 100).ok).toBe(true)
  })
})
