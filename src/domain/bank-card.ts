// Bank cards: the Luhn check, the issuing bank and card type from the BIN, and the masked form.
// The BIN table is sample data for the major banks; a lender replaces it with a licensed BIN
// service. Repayment needs a debit card in the borrower's own name.

export type CardType = 'debit' | 'credit'

export interface BinEntry {
  bank: string
  type: CardType
}

/** Six-digit BINs of the major Chinese banks' best-known debit and credit cards (sample data). */
export const BIN_TABLE: Record<string, BinEntry> = {
  '622202': { bank: '中国工商银行', type: 'debit' },
  '621226': { bank: '中国工商银行', type: 'debit' },
  '622208': { bank: '中国工商银行', type: 'debit' },
  '622230': { bank: '中国工商银行', type: 'credit' },
  '622848': { bank: '中国农业银行', type: 'debit' },
  '622845': { bank: '中国农业银行', type: 'debit' },
  '622836': { bank: '中国农业银行', type: 'credit' },
  '621661': { bank: '中国银行', type: 'debit' },
  '456351': { bank: '中国银行', type: 'debit' },
  '621700': { bank: '中国建设银行', type: 'debit' },
  '622700': { bank: '中国建设银行', type: 'debit' },
  '436742': { bank: '中国建设银行', type: 'debit' },
  '436728': { bank: '中国建设银行', type: 'credit' },
  '622588': { bank: '招商银行', type: 'debit' },
  '621483': { bank: '招商银行', type: 'debit' },
  '622575': { bank: '招商银行', type: 'credit' },
  '439225': { bank: '招商银行', type: 'credit' },
  '622260': { bank: '交通银行', type: 'debit' },
  '622262': { bank: '交通银行', type: 'debit' },
  '621799': { bank: '中国邮政储蓄银行', type: 'debit' },
  '622188': { bank: '中国邮政储蓄银行', type: 'debit' },
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

/** Spaces and dashes are dropped; 16–19 digits, Luhn, a known BIN, and a debit card. */
export function checkDebitCard(raw: string): CardCheck {
  const number = raw.replace(/[\s-]/g, '')
  if (!/^\d{16,19}$/.test(number)) return { ok: false, problem: 'FORMAT' }
  if (!luhnValid(number)) return { ok: false, problem: 'CHECKSUM' }
  const bin = BIN_TABLE[number.slice(0, 6)]
  if (!bin) return { ok: false, problem: 'UNKNOWN_BIN' }
  if (bin.type !== 'debit') return { ok: false, problem: 'NOT_DEBIT', bin }
  return { ok: true, number, bin, last4: number.slice(-4) }
}

/** The bank for the digits typed so far (for the form's live hint); null until six digits match. */
export function bankForPrefix(raw: string): BinEntry | null {
  return BIN_TABLE[raw.replace(/[\s-]/g, '').slice(0, 6)] ?? null
}
