/**
 * Worked examples, every line written out. The expected figures were computed independently
 * with exact fractions (Python's fractions.Fraction), not by this code.
 */
import { fromChinaDateTime } from '../../src/domain/china-time'
import type { RepaymentMode } from '../../src/domain/catalog'
import { HISTORIC_APR_CAP_PERCENT, priceOffer, type OfferRequest } from '../../src/domain/pricing'
import type { Term } from '../../src/domain/schedule'

const AT = fromChinaDateTime({ year: 2026, month: 11, day: 28, hour: 10 })
/** Priced under the 36% setting: some of these examples are over the 24% default (test/domain/pricing-errors.test.ts). */
const price = (req: Omit<OfferRequest, 'disbursedAt'>, at = AT) => {
  const r = priceOffer({ capPercent: HISTORIC_APR_CAP_PERCENT, ...req, disbursedAt: at })
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`)
  return r.offer
}
const lines = (o: ReturnType<typeof price>) =>
  o.schedule.map((l) => [l.principalFen, l.interestFen, l.feeFen, l.totalFen])

describe('微粒贷', () => {
  const weilidai = (amountFen: number, term: Term, mode: RepaymentMode, dailyRatePpm: number) =>
    price({ product: 'weilidai', amountFen, term, mode, dailyRatePpm })

  it('等额本息 ¥10,000 × 5 months at 0.05%/day: level payment 2,092.17, last line absorbs rounding', () => {
    const o = weilidai(1_000_000, { months: 5 }, 'equal-installment', 500)
    expect(lines(o)).toEqual([
      [194009, 15208, 0, 209217],
      [196959, 12258, 0, 209217],
      [199955, 9262, 0, 209217],
      [202996, 6221, 0, 209217],
      [206081, 3134, 0, 209215],
    ])
    expect(o.schedule.map((l) => l.dueDate)).toEqual([
      '2026-12-28',
      '2027-01-28',
      '2027-02-28',
      '2027-03-28',
      '2027-04-28',
    ])
    expect([o.totalInterestFen, o.totalFeesFen, o.totalRepayFen]).toEqual([46083, 0, 1_046_083])
    expect(o.aprPercent).toBe(18.25)
    expect(o.aprMethod).toBe('irr')
  })

  it('等额本金 ¥10,000 × 5 months at 0.05%/day', () => {
    const o = weilidai(1_000_000, { months: 5 }, 'equal-principal', 500)
    expect(lines(o)).toEqual([
      [200000, 15208, 0, 215208],
      [200000, 12167, 0, 212167],
      [200000, 9125, 0, 209125],
      [200000, 6083, 0, 206083],
      [200000, 3042, 0, 203042],
    ])
    expect(o.aprPercent).toBe(18.25)
  })

  it('等额本息 ¥3,333.33 × 20 months at 七星 0.02%/day: odd amount, principal still sums exactly', () => {
    const o = weilidai(333_333, { months: 20 }, 'equal-installment', 200)
    expect(o.schedule.map((l) => l.principalFen)).toEqual([
      15724, 15820, 15916, 16013, 16110, 16208, 16307, 16406, 16506, 16606, 16707, 16809, 16911, 17014, 17118, 17222,
      17327, 17432, 17538, 17639,
    ])
    expect(o.schedule.map((l) => l.interestFen)).toEqual([
      2028, 1932, 1836, 1739, 1642, 1544, 1445, 1346, 1246, 1146, 1045, 943, 841, 738, 634, 530, 425, 320, 214, 107,
    ])
    expect(o.schedule.slice(0, 19).every((l) => l.totalFen === 17752)).toBe(true)
    expect(o.schedule[19].totalFen).toBe(17746)
    expect(o.aprPercent).toBe(7.3)
  })

  it('随借随还 ¥10,000 for 30 days at 0.035%/day: interest 105.00; APR = 0.035 × 365 = 12.775 → 12.78', () => {
    const o = weilidai(1_000_000, { days: 30 }, 'flexible', 350)
    expect(lines(o)).toEqual([[1_000_000, 10500, 0, 1_010_500]])
    expect(o.schedule[0].dueDate).toBe('2026-12-28')
    expect(o.aprPercent).toBe(12.78)
    expect(o.aprMethod).toBe('nominal')
  })

  it('defaults to the lowest daily rate in the catalog range (0.02%)', () => {
    expect(
      price({ product: 'weilidai', amountFen: 1_000_000, term: { days: 30 }, mode: 'flexible' }).dailyRatePercent,
    ).toBe(0.02)
  })
})

describe('WE2000', () => {
  it('等额本息 ¥2,000 × 3 months: the 1% withdrawal fee (20.00) rides on the first repayment; APR counts it', () => {
    const o = price({ product: 'we2000', amountFen: 200_000, term: { months: 3 }, mode: 'equal-installment' })
    expect(lines(o)).toEqual([
      [65663, 3042, 2000, 70705],
      [66662, 2043, 0, 68705],
      [67675, 1029, 0, 68704],
    ])
    expect([o.totalInterestFen, o.totalFeesFen, o.totalRepayFen]).toEqual([6114, 2000, 208_114])
    expect(o.aprPercent).toBe(24.3)
  })

  it('等额本金 ¥1,500 × 2 months', () => {
    const o = price({ product: 'we2000', amountFen: 150_000, term: { months: 2 }, mode: 'equal-principal' })
    expect(lines(o)).toEqual([
      [75000, 2281, 1500, 78781],
      [75000, 1141, 0, 76141],
    ])
    expect(o.aprPercent).toBe(26.31)
  })
})

describe('小鹅花钱', () => {
  it('分期 ¥10,000 × 6: 1,666.66 a month (the remainder fen on the last), fee 150.00 a month on the original principal', () => {
    const o = price({ product: 'xiaoe', amountFen: 1_000_000, term: { months: 6 }, mode: 'fee-installment' })
    expect(lines(o)).toEqual([
      [166666, 0, 15000, 181666],
      [166666, 0, 15000, 181666],
      [166666, 0, 15000, 181666],
      [166666, 0, 15000, 181666],
      [166666, 0, 15000, 181666],
      [166670, 0, 15000, 181670],
    ])
    expect(o.totalFeesFen).toBe(90000)
    expect(o.dailyRatePercent).toBe(0)
    expect(o.monthlyFeePercent).toBe(1.5)
    expect(o.aprPercent).toBe(30.23)
  })

  it('随借随还 ¥5,000 for 15 days at 0.098%/day: interest 73.50, APR 35.77 — just under the 36% cap', () => {
    const o = price({ product: 'xiaoe', amountFen: 500_000, term: { days: 15 }, mode: 'flexible', dailyRatePpm: 980 })
    expect(lines(o)).toEqual([[500_000, 7350, 0, 507_350]])
    expect(o.aprPercent).toBe(35.77)
  })
})

describe('due dates', () => {
  it('fall on the disbursement day of month, clamped to the month end (31 Jan → 28 Feb → 31 Mar → 30 Apr)', () => {
    const at = fromChinaDateTime({ year: 2027, month: 1, day: 31, hour: 23, minute: 30 })
    const o = price({ product: 'weilidai', amountFen: 1_000_000, term: { months: 5 }, mode: 'equal-principal' }, at)
    expect(o.schedule.map((l) => l.dueDate)).toEqual([
      '2027-02-28',
      '2027-03-31',
      '2027-04-30',
      '2027-05-31',
      '2027-06-30',
    ])
  })
  it('in a leap year, 31 Jan is followed by 29 Feb', () => {
    const at = fromChinaDateTime({ year: 2028, month: 1, day: 31, hour: 9 })
    const o = price({ product: 'xiaoe', amountFen: 300_000, term: { months: 3 }, mode: 'fee-installment' }, at)
    expect(o.schedule.map((l) => l.dueDate)).toEqual(['2028-02-29', '2028-03-31', '2028-04-30'])
  })
  it('are China dates: 23:30 in Beijing on the 28th is still the 28th', () => {
    const at = fromChinaDateTime({ year: 2026, month: 11, day: 28, hour: 23, minute: 30 })
    const o = price({ product: 'we2000', amountFen: 100_000, term: { months: 1 }, mode: 'equal-principal' }, at)
    expect(o.schedule[0].dueDate).toBe('2026-12-28')
  })
})
