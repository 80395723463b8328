// The one place that turns UTC epoch ms into China calendar time (UTC+8, no DST) and back.
export const MINUTE_MS = 60_000
export const HOUR_MS = 60 * MINUTE_MS
export const DAY_MS = 24 * HOUR_MS
const CHINA_OFFSET_MS = 8 * HOUR_MS

export interface ChinaDate {
  year: number
  /** 1–12 */
  month: number
  /** 1–31 */
  day: number
}

export interface ChinaDateTime extends ChinaDate {
  hour: number
  minute: number
}

/** Calendar fields of the instant `ms` as seen on a clock in China. */
export function toChinaDateTime(ms: number): ChinaDateTime {
  const d = new Date(ms + CHINA_OFFSET_MS)
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
  }
}

/** The UTC instant at which the given China wall-clock time occurs. */
export function fromChinaDateTime(t: ChinaDate & Partial<Pick<ChinaDateTime, 'hour' | 'minute'>>): number {
  return Date.UTC(t.year, t.month - 1, t.day, t.hour ?? 0, t.minute ?? 0) - CHINA_OFFSET_MS
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate()
}

export function isValidDate(year: number, month: number, day: number): boolean {
  return (
    Number.isInteger(year) &&
    Number.isInteger(month) &&
    Number.isInteger(day) &&
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= daysInMonth(year, month)
  )
}

/** Same China wall-clock time `months` calendar months later; the day clamps to the month's end. */
export function addChinaMonths(ms: number, months: number): number {
  const t = toChinaDateTime(ms)
  const zeroBased = t.month - 1 + months
  const year = t.year + Math.floor(zeroBased / 12)
  const month = (((zeroBased % 12) + 12) % 12) + 1
  const day = Math.min(t.day, daysInMonth(year, month))
  const msIntoMinute = (ms + CHINA_OFFSET_MS) % MINUTE_MS
  return fromChinaDateTime({ year, month, day, hour: t.hour, minute: t.minute }) + msIntoMinute
}

/** 'YYYY-MM-DD' of the instant in China. */
export function chinaDateString(ms: number): string {
  const t = toChinaDateTime(ms)
  return `${t.year}-${pad2(t.month)}-${pad2(t.day)}`
}

/** Whole years between a birth date and the China calendar date at `now`. */
export function ageOn(birth: ChinaDate, now: number): number {
  const today = toChinaDateTime(now)
  let age = today.year - birth.year
  if (today.month < birth.month || (today.month === birth.month && today.day < birth.day)) age -= 1
  return age
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n)
}
