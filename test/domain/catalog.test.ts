/** The catalog's helpers that both the product list and the offer builder use. */
import { DEFAULT_CATALOG, isProductId, nearestMonths } from '../../src/domain/catalog'
import { endedAfterPayout, isClosed } from '../../src/domain/loan'

describe('the nearest term a mode offers', () => {
  it.each([
    [[5, 10, 20], 6, 5],
    [[5, 10, 20], 8, 10],
    [[3, 6, 12], 9, 6],
    [[12, 6, 3], 9, 6],
    [[1, 2, 3, 6, 12], 12, 12],
    [[3, 6, 12], 100, 12],
  ])('of %j, nearest %i is %i (a tie goes to the shorter, whatever the order)', (months, target, expected) => {
    expect(nearestMonths(months, target)).toBe(expected)
  })

  it('every month count the default catalog offers is its own nearest', () => {
    for (const spec of Object.values(DEFAULT_CATALOG.products))
      for (const terms of Object.values(spec.modes))
        if (terms?.unit === 'months') for (const m of terms.months) expect(nearestMonths(terms.months, m)).toBe(m)
  })
})

describe('one product-id guard and one closed predicate', () => {
  it('product ids are the catalog’s', () => {
    expect(Object.keys(DEFAULT_CATALOG.products).every(isProductId)).toBe(true)
    expect([isProductId('weilidai2'), isProductId(undefined), isProductId('__proto__')]).toEqual([false, false, false])
  })

  it('a refused loan is closed but never paid out; cancelled and settled ended after the payout', () => {
    expect(['cancelled', 'settled', 'refused'].map(isClosed)).toEqual([true, true, true])
    expect(['cancelled', 'settled', 'refused'].map(endedAfterPayout)).toEqual([true, true, false])
    expect(['applied', 'review', 'approved', 'disbursed', 'repaying', 'overdue'].some(isClosed)).toBe(false)
  })
})
