// Resident ID numbers (GB 11643-1999): format, check digit, birth date, and the lending age band.
import { ageOn, isValidDate, toChinaDateTime, type ChinaDate } from './china-time'
import { LENDING_AGE } from './figures'
import type { RuleSet } from './rule-set'

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const
const CHECK_CHARS = '10X98765432'
/** First two digits: the province-level division codes in use (GB/T 2260), plus HK/MO/TW residence permits. */
const PROVINCES = new Set([
  11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52, 53, 54, 61, 62, 63,
  64, 65, 71, 81, 82, 83,
])

export type IdNumberProblem = 'FORMAT' | 'REGION' | 'BIRTH_DATE' | 'CHECK_DIGIT'
export type AgeProblem = 'UNDER_AGE' | 'OVER_AGE'

export type IdNumberCheck = { ok: true; idNumber: string; birth: ChinaDate } | { ok: false; problem: IdNumberProblem }

/** The check character for the first 17 digits. */
export function idCheckChar(first17: string): string {
  let sum = 0
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i]
  return CHECK_CHARS[sum % 11]
}

/** Trims, upper-cases a trailing x, and checks the number; `now` bounds the birth date. */
export function checkIdNumber(raw: string, now: number): IdNumberCheck {
  const idNumber = raw.trim().toUpperCase()
  if (!/^\d{17}[\dX]$/.test(idNumber)) return { ok: false, problem: 'FORMAT' }
  if (!PROVINCES.has(Number(idNumber.slice(0, 2)))) return { ok: false, problem: 'REGION' }
  const birth = {
    year: Number(idNumber.slice(6, 10)),
    month: Number(idNumber.slice(10, 12)),
    day: Number(idNumber.slice(12, 14)),
  }
  const today = toChinaDateTime(now)
  const notFuture =
    birth.year * 10000 + birth.month * 100 + birth.day <= today.year * 10000 + today.month * 100 + today.day
  if (birth.year < 1900 || !isValidDate(birth.year, birth.month, birth.day) || !notFuture) {
    return { ok: false, problem: 'BIRTH_DATE' }
  }
  if (idCheckChar(idNumber) !== idNumber[17]) return { ok: false, problem: 'CHECK_DIGIT' }
  return { ok: true, idNumber, birth }
}

/** The lending age band: the default rule set's (LENDING_AGE) unless a rule set's gates are passed. */
export function checkLendingAge(
  birth: ChinaDate,
  now: number,
  gates: Pick<RuleSet['gates'], 'minAge' | 'maxAge'> = { minAge: LENDING_AGE.min, maxAge: LENDING_AGE.max },
): AgeProblem | null {
  const age = ageOn(birth, now)
  if (age < gates.minAge) return 'UNDER_AGE'
  if (age > gates.maxAge) return 'OVER_AGE'
  return null
}
