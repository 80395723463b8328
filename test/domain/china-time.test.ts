import { addChinaMonths, chinaDateString, fromChinaDateTime, toChinaDateTime } from '../../src/domain/china-time'

describe('China time helper', () => {
  it('16:00 UTC is midnight of the next day in China', () => {
    expect(chinaDateString(Date.UTC(2026, 10, 28, 15, 59, 59))).toBe('2026-11-28')
    expect(chinaDateString(Date.UTC(2026, 10, 28, 16, 0, 0))).toBe('2026-11-29')
  })
  it('round-trips wall-clock time', () => {
    const t = { year: 2024, month: 2, day: 29, hour: 9, minute: 30 }
    expect(toChinaDateTime(fromChinaDateTime(t))).toEqual(t)
  })
  it('adding months clamps to the month end (31 Aug + 6 months = 28 Feb)', () => {
    const aug31 = fromChinaDateTime({ year: 2026, month: 8, day: 31, hour: 12 })
    expect(toChinaDateTime(addChinaMonths(aug31, 6))).toMatchObject({ year: 2027, month: 2, day: 28, hour: 12 })
    expect(toChinaDateTime(addChinaMonths(aug31, -6))).toMatchObject({ year: 2026, month: 2, day: 28 })
  })
  it('keeps the milliseconds within the minute', () => {
    const t = fromChinaDateTime({ year: 2026, month: 1, day: 15, hour: 8 }) + 12_345
    expect(addChinaMonths(t, 1) - fromChinaDateTime({ year: 2026, month: 2, day: 15, hour: 8 })).toBe(12_345)
  })
})
