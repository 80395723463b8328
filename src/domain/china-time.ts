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
  const local = ms + CHINA_OFFSET_MS
  const days = Math.floor(local / DAY_MS)
  const msOfDay = local - days * DAY_MS
  const { year, month, day } = civilFromDays(days)
  return { year, month, day, hour: Math.floor(msOfDay / HOUR_MS), minute: Math.floor((msOfDay % HOUR_MS) / MINUTE_MS) }
}

/** The UTC instant at which the given China wall-clock time occurs. */
export function fromChinaDateTime(t: ChinaDate & Partial<Pick<ChinaDateTime, 'hour' | 'minute'>>): number {
  return (
    daysFromCivil(t.year, t.month, t.day) * DAY_MS +
    (t.hour ?? 0) * HOUR_MS +
    (t.minute ?? 0) * MINUTE_MS -
    CHINA_OFFSET_MS
  )
}

// Proleptic Gregorian calendar in integer arithmetic (H. Hinnant's days_from_civil /
// civil_from_days): no Date objects on the pricing hot path.
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year
  const era = Math.floor(y / 400)
  const yoe = y - era * 400
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy
  return era * 146097 + doe - 719468
}

function civilFromDays(days: number): ChinaDate {
  const z = days + 719468
  const era = Math.floor(z / 146097)
  const doe = z - era * 146097
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365)
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100))
  const mp = Math.floor((5 * doy + 2) / 153)
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1
  const month = mp < 10 ? mp + 3 : mp - 9
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day }
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0
}

export function daysInMonth(year: number, month: number): number {
  return month === 2 && isLeapYear(year) ? 29 : MONTH_DAYS[month - 1]
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
  const msIntoMinute = (((ms + CHINA_OFFSET_MS) % MINUTE_MS) + MINUTE_MS) % MINUTE_MS
  return fromChinaDateTime({ year, month, day, hour: t.hour, minute: t.minute }) + msIntoMinute
}

/** 'YYYY-MM-DD' of the instant in China. */
/** The China day `date` (YYYY-MM-DD) as [from, to) epoch ms, or null if it is not a calendar day. */
export function chinaDay(date: string): { from: number; to: number } | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date)
  if (!m) return null
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])]
  if (!isValidDate(year, month, day)) return null
  const from = fromChinaDateTime({ year, month, day })
  return { from, to: from + DAY_MS }
}

export function chinaDateString(ms: number): string {
  return formatChinaDate(toChinaDateTime(ms))
}

export function formatChinaDate(t: ChinaDate): string {
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
