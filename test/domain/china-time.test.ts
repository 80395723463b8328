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

describe('the integer calendar agrees with Date', () => {
  it('for any instant from 1900 to 2200', () => {
    const fc = require('fast-check') as typeof import('fast-check')
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(1900, 0, 1), max: Date.UTC(2200, 0, 1) }), (ms) => {
        const d = new Date(ms + 8 * 3_600_000)
        expect(toChinaDateTime(ms)).toEqual({
          year: d.getUTCFullYear(),
          month: d.getUTCMonth() + 1,
          day: d.getUTCDate(),
          hour: d.getUTCHours(),
          minute: d.getUTCMinutes(),
        })
        const t = toChinaDateTime(ms)
        expect(fromChinaDateTime(t)).toBe(ms - ((((ms + 8 * 3_600_000) % 60_000) + 60_000) % 60_000))
      }),
      { numRuns: 5000 },
    )
  })
})
