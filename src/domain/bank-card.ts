// Bank cards: the Luhn check, the issuing bank, card kind and length from the BIN, and the masked
// form. The BIN table is versioned data (bank-bins.data.ts, with its source and date); a card whose
// BIN it does not hold is refused with a clear message rather than guessed at. Repayment needs a
// debit card in the borrower's own name.
import { BIN_BANKS } from './bank-bins.data'
import { CARD_DIGITS } from './figures'

/** Debit (储蓄卡), credit (信用卡), semi-credit (准贷记卡) or prepaid (预付费卡): only debit repays. */
export type CardType = 'debit' | 'credit' | 'semi-credit' | 'prepaid'

/** One row of the data: issuer code, issuer name, then [kind, card length, space-separated BINs]. */
export type BinBankRow = readonly [
  code: string,
  name: string,
  cards: ReadonlyArray<readonly [kind: 'DC' | 'CC' | 'SCC' | 'PC', length: number, prefixes: string]>,
]

export interface BinEntry {
  bank: string
  type: CardType
}

interface BinRecord extends BinEntry {
  bankCode: string
  length: number
}

const KINDS: Record<BinBankRow[2][number][0], CardType> = {
  DC: 'debit',
  CC: 'credit',
  SCC: 'semi-credit',
  PC: 'prepaid',
}

let index: Map<string, BinRecord[]> | null = null
let longest = 0
/** Every BIN to its records, built on first use (the table is about 30 KB of text). */
function binIndex(): Map<string, BinRecord[]> {
  if (index) return index
  index = new Map()
  for (const [bankCode, bank, cards] of BIN_BANKS) {
    for (const [kind, length, prefixes] of cards) {
      for (const bin of prefixes.split(' ')) {
        const list = index.get(bin) ?? []
        const same = list.find((r) => r.length === length)
        // The source lists a few BINs (of the same length) under two issuers: both are named, not one guessed.
        if (same && same.bankCode !== bankCode && !same.bank.split('或').includes(bank))
          same.bank = `${same.bank}或${bank}`
        else if (!same) list.push({ bank, bankCode, type: KINDS[kind], length })
        index.set(bin, list)
        longest = Math.max(longest, bin.length)
      }
    }
  }
  return index
}

/** The issuer and kind of a whole card number: its longest BIN whose card length is this number's. */
export function lookupBin(number: string): BinEntry | null {
  const bins = binIndex()
  for (let n = Math.min(longest, number.length - 1); n >= 3; n--) {
    const hit = bins.get(number.slice(0, n))?.find((r) => r.length === number.length)
    if (hit) return { bank: hit.bank, type: hit.type }
  }
  return null
}

/** How many issuers the table names (for the bank-card page). */
export function issuerCount(): number {
  return new Set(BIN_BANKS.map(([code]) => code)).size
}

export function luhnValid(digits: string): boolean {
  if (!/^\d+$/.test(digits)) return false
  let sum = 0
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i])
    if (i % 2 === 1) {
      d *= 2
      if (d > 9) d -= 9
    }
    sum += d
  }
  return sum % 10 === 0
}

/** The check digit that makes `body` + digit pass Luhn. */
export function luhnCheckDigit(body: string): string {
  for (let d = 0; d <= 9; d++) if (luhnValid(body + d)) return String(d)
  throw new RangeError('body must be digits')
}

export type CardProblem = 'FORMAT' | 'CHECKSUM' | 'UNKNOWN_BIN' | 'NOT_DEBIT'

export type CardCheck =
  { ok: true; number: string; bin: BinEntry; last4: string } | { ok: false; problem: CardProblem; bin?: BinEntry }

const CARD_NUMBER = new RegExp(`^\\d{${CARD_DIGITS.min},${CARD_DIGITS.max}}$`)

/** Spaces and dashes are dropped; 15–20 digits, Luhn, a BIN the table knows for this length, and a debit card. */
export function checkDebitCard(raw: string): CardCheck {
  const number = raw.replace(/[\s-]/g, '')
  if (!CARD_NUMBER.test(number)) return { ok: false, problem: 'FORMAT' }
  if (!luhnValid(number)) return { ok: false, problem: 'CHECKSUM' }
  const bin = lookupBin(number)
  if (!bin) return { ok: false, problem: 'UNKNOWN_BIN' }
  if (bin.type !== 'debit') return { ok: false, problem: 'NOT_DEBIT', bin }
  return { ok: true, number, bin, last4: number.slice(-4) }
}

/**
 * The bank for the digits typed so far (the form's live hint): from six digits on, the longest BIN
 * they start with, among cards at least as long as what is typed. `type` is null while the BIN
 * alone cannot tell (an issuer with debit and credit cards under it at different lengths).
 */
export function bankForPrefix(raw: string): { bank: string; type: CardType | null } | null {
  const digits = raw.replace(/[\s-]/g, '')
  if (!/^\d{6,}$/.test(digits)) return null
  const bins = binIndex()
  for (let n = Math.min(longest, digits.length); n >= 3; n--) {
    const hits = bins.get(digits.slice(0, n))?.filter((r) => r.length >= digits.length)
    if (hits && hits.length > 0) {
      const types = new Set(hits.map((h) => h.type))
      return { bank: hits[0].bank, type: types.size === 1 ? hits[0].type : null }
    }
  }
  return null
}
