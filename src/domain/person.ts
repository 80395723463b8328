// Names, mobile numbers and the masked forms we show instead of raw personal data.

import { MOBILE_DIGITS, NAME_LENGTH } from './figures'

const MOBILE = new RegExp(`^1[3-9]\\d{${MOBILE_DIGITS - 2}}$`)

/** Chinese legal names: 2–20 Han characters, optionally with the middle dot of transliterated names. */
const LEGAL_NAME = /^[\u3400-\u9fff\uf900-\ufaff]+(?:[·•][\u3400-\u9fff\uf900-\ufaff]+)*$/

export function normalizeName(raw: string): string {
  return raw.trim().replace(/\s+/g, '')
}

export function isLegalName(name: string): boolean {
  const chars = Array.from(name)
  return chars.length >= NAME_LENGTH.min && chars.length <= NAME_LENGTH.max && LEGAL_NAME.test(name)
}

/** Mainland mobile numbers: 11 digits starting 13–19. A +86 / 86 prefix and spaces are accepted. */
export function normalizeMobile(raw: string): string | null {
  const digits = raw.replace(/[\s-]/g, '').replace(/^(\+?86)(?=1\d{10}$)/, '')
  return MOBILE.test(digits) ? digits : null
}

/** 张三 → *三, 欧阳娜娜 → ***娜: only the last character stays visible. */
export function maskName(name: string): string {
  const chars = Array.from(name)
  return '*'.repeat(Math.max(chars.length - 1, 1)) + (chars.length > 1 ? chars[chars.length - 1] : '')
}

/** 110101199003074514 → 1****************4 */
export function maskIdNumber(id: string): string {
  return id.length < 2 ? '*' : id[0] + '*'.repeat(id.length - 2) + id[id.length - 1]
}

/** 13812345678 → 138****5678 */
export function maskMobile(mobile: string): string {
  return mobile.slice(0, 3) + '****' + mobile.slice(7)
}
