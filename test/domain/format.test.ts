// What the borrower reads: money, rates, dates and countdowns, formatted the same everywhere.
import { fromChinaDateTime } from '../../src/domain/china-time'
import {
  apr,
  bytesText,
  civilDate,
  countdown,
  dailyRate,
  dateOf,
  dateTime,
  percent,
  termText,
  versionText,
  yuan,
  yuanShort,
} from '../../src/ui/format'
import { amountProblemText, overCapText } from '../../src/ui/product-text'

describe('money', () => {
  it.each([
    [0, '¥0.00'],
    [1, '¥0.01'],
    [100_000, '¥1,000.00'],
    [123_456_789, '¥1,234,567.89'],
    [-5_050, '-¥50.50'],
    [99_999, '¥999.99'],
    [-123_456, '-¥1,234.56'],
    [100_000_000, '¥1,000,000.00'],
    [30_000_000, '¥300,000.00'],
  ])('%i fen → %s', (fen, text) => expect(yuan(fen)).toBe(text))

  it('short form drops .00 but never drops fen', () => {
    expect(yuanShort(200_000)).toBe('¥2,000')
    expect(yuanShort(200_050)).toBe('¥2,000.50')
  })

  it('formats any safe integer of fen exactly (no float rounding)', () => {
    expect(yuan(Number.MAX_SAFE_INTEGER)).toBe('¥90,071,992,547,409.91')
  })
})

describe('rates', () => {
  it('daily rates keep every digit the contract states', () => {
    expect(dailyRate(0.05)).toBe('0.05%')
    expect(dailyRate(0.098)).toBe('0.098%')
    expect(dailyRate(0.0205)).toBe('0.0205%')
  })
  it('annualized rates always show two decimals', () => {
    expect(apr(18.25)).toBe('18.25%')
    expect(apr(24.3)).toBe('24.30%')
    expect(apr(7.3)).toBe('7.30%')
    expect(apr(35.999)).toBe('36.00%')
  })
  it('percent trims trailing zeros only', () => {
    expect(percent(1.5)).toBe('1.5%')
    expect(percent(36)).toBe('36%')
    expect(percent(0.1 + 0.2)).toBe('0.3%')
  })
})

describe('dates and times (China time, whatever the device zone)', () => {
  it('civil dates', () => expect(civilDate('2026-12-28')).toBe('2026年12月28日'))
  it('the China date of an instant: 16:30 UTC is already the next day in China', () =>
    expect(dateOf(Date.UTC(2027, 4, 27, 16, 30))).toBe('2027年5月28日'))
  it('versions show without their kind', () => expect(versionText('rules/2026-11-28.1')).toBe('2026-11-28.1'))
  it('instants show in UTC+8: 23:30 UTC is the next day in China', () => {
    expect(dateTime(Date.UTC(2026, 10, 28, 23, 30))).toBe('2026-11-29 07:30')
    expect(dateTime(fromChinaDateTime({ year: 2026, month: 11, day: 28, hour: 10 }))).toBe('2026-11-28 10:00')
  })
  it('countdowns: hours, minutes, seconds; never negative', () => {
    expect(countdown(24 * 3600_000)).toBe('24:00:00')
    expect(countdown(24 * 3600_000 - 1)).toBe('23:59:59')
    expect(countdown(999)).toBe('00:00:00')
    expect(countdown(-5)).toBe('00:00:00')
  })
  it('terms', () => {
    expect(termText({ termMonths: 3 })).toBe('3期')
    expect(termText({ days: 30 })).toBe('30天')
  })
})

describe('sizes and offer texts', () => {
  it('bytes, with kilobytes from 1 KB on', () => {
    expect([bytesText(0), bytesText(1023), bytesText(1024), bytesText(2560)]).toEqual([
      '0 字节',
      '1023 字节',
      '1024 字节（约 1.0 KB）',
      '2560 字节（约 2.5 KB）',
    ])
  })

  it('an over-cap offer says its APR, the cap and the terms that are within it', () => {
    const error = { aprPercent: 26.8, capPercent: 24 }
    expect(overCapText(error, [{ months: 6 }, { months: 12 }])).toBe(
      '该方案年化利率（IRR）为 26.80%，超过 24% 的上限，不予提供。同样金额和还款方式下，可选期限：6期、12期；也可调整金额或还款方式。',
    )
    expect(overCapText(error, [])).toMatch(/请调整期限、金额或还款方式。$/)
  })

  it('an amount that is not one, or outside the limit', () => {
    expect(amountProblemText('invalid', 50_000, 200_000)).toBe('请输入借款金额（元），最多两位小数。')
    expect(amountProblemText('range', 50_000, 200_000)).toBe(
      `借款金额须在 ${yuanShort(50_000)} – ${yuanShort(200_000)} 之间（你的额度为 ${yuanShort(200_000)}）。`,
    )
  })
})
