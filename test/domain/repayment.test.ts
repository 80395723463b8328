import { DEFAULT_CATALOG } from '../../src/domain/catalog'
import { DAY_MS, HOUR_MS, fromChinaDateTime } from '../../src/domain/china-time'
import { HISTORIC_APR_CAP_PERCENT, priceOffer, type Offer, type OfferRequest } from '../../src/domain/pricing'
import { chinaDaysBetween, overdueCharge, quoteEarlyRepayment } from '../../src/domain/repayment'

const AT = fromChinaDateTime({ year: 2026, month: 11, day: 28, hour: 10 })
const offer = (req: Omit<OfferRequest, 'disbursedAt'>): Offer & { disbursedAt: number } => {
  // Under the 36% setting: the quotes do not depend on the cap, and some fixtures are over 24%.
  const r = priceOffer({ capPercent: HISTORIC_APR_CAP_PERCENT, ...req, disbursedAt: AT })
  if (!r.ok) throw new Error(r.error.code)
  return { ...r.offer, disbursedAt: AT }
}

describe('China calendar days', () => {
  it('count dates in China, not 24-hour spans', () => {
    expect(chinaDaysBetween(AT, AT + 13 * HOUR_MS)).toBe(0)
    expect(chinaDaysBetween(AT, AT + 14 * HOUR_MS)).toBe(1)
    expect(chinaDaysBetween(AT, AT + 10 * DAY_MS)).toBe(10)
  })
})

describe('early repayment: no penalty', () => {
  /** ¥10,000 随借随还 on 微粒贷 at 0.035% a day. */
  const flexible10k = () =>
    offer({ product: 'weilidai', amountFen: 1_000_000, term: { days: 30 }, mode: 'flexible', dailyRatePpm: 350 })

  it('随借随还: interest to the day — ¥10,000 at 0.035% repaid after 10 days costs 35.00', () => {
    const o = flexible10k()
    expect(quoteEarlyRepayment(o, 0, AT + 10 * DAY_MS)).toEqual({
      ok: true,
      quote: { principalFen: 1_000_000, interestFen: 3500, feeFen: 0, totalFen: 1_003_500, days: 10 },
    })
  })

  it('随借随还 repaid the same day: no interest', () => {
    const o = flexible10k()
    expect(quoteEarlyRepayment(o, 0, AT + HOUR_MS)).toMatchObject({
      ok: true,
      quote: { interestFen: 0, totalFen: 1_000_000 },
    })
  })

  it('等额本息 after 2 installments: outstanding principal + interest for the days since the last due date', () => {
    const o = offer({
      product: 'weilidai',
      amountFen: 1_000_000,
      term: { months: 5 },
      mode: 'equal-installment',
      dailyRatePpm: 500,
    })
    const at = o.schedule[1].dueAt + 15 * DAY_MS
    // Outstanding 1,000,000 − 194,009 − 196,959 = 609,032 fen; × 0.05% × 15 days = 4,567.74 → 4,568.
    expect(quoteEarlyRepayment(o, 2, at)).toEqual({
      ok: true,
      quote: { principalFen: 609_032, interestFen: 4568, feeFen: 0, totalFen: 613_600, days: 15 },
    })
  })

  it('WE2000 before the first repayment: the 1% withdrawal fee billed at drawdown is still due', () => {
    const o = offer({ product: 'we2000', amountFen: 200_000, term: { months: 3 }, mode: 'equal-installment' })
    expect(quoteEarlyRepayment(o, 0, AT + 5 * DAY_MS)).toEqual({
      ok: true,
      quote: { principalFen: 200_000, interestFen: 500, feeFen: 2000, totalFen: 202_500, days: 5 },
    })
  })

  it('小鹅花钱 分期: outstanding principal + this month’s fee pro rata by day', () => {
    const o = offer({ product: 'xiaoe', amountFen: 300_000, term: { months: 3 }, mode: 'fee-installment' })
    // 28 Nov → 28 Dec is 30 days; 10 days in: 4,500 × 10 / 30 = 1,500 fen.
    expect(quoteEarlyRepayment(o, 0, AT + 10 * DAY_MS)).toEqual({
      ok: true,
      quote: { principalFen: 300_000, interestFen: 0, feeFen: 1500, totalFen: 301_500, days: 10 },
    })
  })

  it('on or after a due date, that installment is due, not early', () => {
    const o = offer({ product: 'weilidai', amountFen: 1_000_000, term: { months: 5 }, mode: 'equal-principal' })
    expect(quoteEarlyRepayment(o, 0, o.schedule[0].dueAt)).toMatchObject({ ok: false, code: 'INSTALLMENT_DUE' })
    expect(quoteEarlyRepayment(o, 0, AT - 1)).toMatchObject({ ok: false, code: 'BEFORE_DISBURSEMENT' })
    expect(quoteEarlyRepayment(o, 5, AT)).toMatchObject({ ok: false, code: 'INVALID_INPUT' })
  })
})

describe('overdue charges (docs/product-rules.md §1)', () => {
  const { weilidai, we2000, xiaoe } = DEFAULT_CATALOG.products
  it('微粒贷: overdue principal × contract rate × 1.5 × days — ¥1,000 at 0.035% for 10 days is 5.25', () => {
    expect(
      overdueCharge(weilidai.overdue, {
        overduePrincipalFen: 100_000,
        overdueAmountFen: 103_000,
        contractDailyRatePpm: 350,
        days: 10,
      }),
    ).toBe(525)
  })
  it('WE2000: an extra 0.05% a day on the whole overdue amount — ¥706.05 for 7 days is 2.47', () => {
    expect(
      overdueCharge(we2000.overdue, {
        overduePrincipalFen: 65_663,
        overdueAmountFen: 70_605,
        contractDailyRatePpm: 500,
        days: 7,
      }),
    ).toBe(247)
  })
  it('小鹅花钱: overdue amount × 0.05% × days — ¥1,816.66 for 30 days is 27.25', () => {
    expect(
      overdueCharge(xiaoe.overdue, {
        overduePrincipalFen: 166_666,
        overdueAmountFen: 181_666,
        contractDailyRatePpm: 0,
        days: 30,
      }),
    ).toBe(2725)
  })
  it('no days late, no charge; large amounts stay exact', () => {
    expect(
      overdueCharge(weilidai.overdue, {
        overduePrincipalFen: 30_000_000,
        overdueAmountFen: 0,
        contractDailyRatePpm: 500,
        days: 0,
      }),
    ).toBe(0)
    // 300,000.00 × 0.05% × 1.5 × 365 = 82,125.00
    expect(
      overdueCharge(weilidai.overdue, {
        overduePrincipalFen: 30_000_000,
        overdueAmountFen: 0,
        contractDailyRatePpm: 500,
        days: 365,
      }),
    ).toBe(8_212_500)
  })
})
