// Factory: bank-card numbers as issuers make them — the BIN, the card length the BIN table gives
// for it (CMB's 622588 debit cards are 16 digits, ICBC's 622202 are 19), and a valid check digit.
import { BIN_BANKS } from '../../src/domain/bank-bins.data'
import { luhnCheckDigit } from '../../src/domain/bank-card'

/** The card length the table lists for `bin`. */
export function cardLength(bin: string): number {
  for (const [, , cards] of BIN_BANKS)
    for (const [, length, prefixes] of cards) if (prefixes.split(' ').includes(bin)) return length
  throw new Error(`no BIN ${bin} in the table`)
}

/** A valid card under `bin`: `fill` varies the digits between the BIN and the check digit (distinct cards). */
export function makeCard(bin = '622588', fill = '', length?: number): string {
  const n = length ?? (/^1234/.test(bin) ? 16 : cardLength(bin))
  const body = (bin + fill + '0'.repeat(n)).slice(0, n - 1)
  return body + luhnCheckDigit(body)
}
