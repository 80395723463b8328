import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import fc from 'fast-check'
import { BIN_BANKS, BIN_SOURCE } from '../../src/domain/bank-bins.data'
import {
  bankForPrefix,
  checkDebitCard,
  issuerCount,
  lookupBin,
  luhnCheckDigit,
  luhnValid,
} from '../../src/domain/bank-card'

/** A card of `length` digits starting with `bin`, with a valid check digit. */
const makeCard = (bin: string, length = 16, fill = '1234567890123456789') => {
  const body = (bin + fill).slice(0, length - 1)
  return body + luhnCheckDigit(body)
}

/** Every (BIN, card length, kind) the table holds. */
const ALL = BIN_BANKS.flatMap(([code, bank, cards]) =>
  cards.flatMap(([kind, length, prefixes]) => prefixes.split(' ').map((bin) => ({ code, bank, kind, length, bin }))),
)

describe('bank cards', () => {
  it('Luhn: the classic examples', () => {
    expect(luhnValid('79927398713')).toBe(true)
    expect(luhnValid('79927398710')).toBe(false)
    expect(luhnValid('12a4')).toBe(false)
  })

  it('every card built with its check digit passes; any single changed digit fails', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...ALL),
        fc.stringMatching(/^\d{19}$/),
        fc.nat(),
        fc.integer({ min: 1, max: 9 }),
        (entry, fill, at, delta) => {
          const card = makeCard(entry.bin, entry.length, fill)
          expect(luhnValid(card)).toBe(true)
          const i = at % card.length
          const changed = card.slice(0, i) + String((Number(card[i]) + delta) % 10) + card.slice(i + 1)
          expect(luhnValid(changed)).toBe(false)
        },
      ),
    )
  })

  it('a known debit card: bank, type and last four', () => {
    const card = makeCard('622588', 16)
    expect(checkDebitCard(card.replace(/(\d{4})/g, '$1 '))).toEqual({
      ok: true,
      number: card,
      bin: { bank: '招商银行', type: 'debit' },
      last4: card.slice(-4),
    })
  })

  it.each([
    ['123', 'FORMAT'],
    ['6225881234567891', 'CHECKSUM'],
    [makeCard('123456'), 'UNKNOWN_BIN'],
    [makeCard('622575'), 'NOT_DEBIT'],
    // ICBC's 622202 debit cards are 19 digits: a 16-digit number under it is no card the bank issues.
    [makeCard('622202', 16), 'UNKNOWN_BIN'],
  ])('%s → %s', (card, problem) => {
    expect(checkDebitCard(card)).toMatchObject({ ok: false, problem })
  })

  it('the major issuers’ debit cards, at their real lengths', () => {
    for (const [bin, length, bank] of [
      ['622202', 19, '中国工商银行'],
      ['622848', 19, '中国农业银行'],
      ['621661', 19, '中国银行'],
      ['621700', 19, '中国建设银行'],
      ['622260', 19, '中国交通银行'],
      ['622588', 16, '招商银行'],
      ['621799', 19, '中国邮政储蓄银行'],
    ] as const) {
      expect(checkDebitCard(makeCard(bin, length))).toMatchObject({ ok: true, bin: { bank, type: 'debit' } })
    }
  })

  it('every BIN in the table is found for its length and kind; a BIN the source lists under two issuers names both', () => {
    const kinds = { DC: 'debit', CC: 'credit', SCC: 'semi-credit', PC: 'prepaid' } as const
    for (const e of ALL) {
      const card = makeCard(e.bin, e.length)
      // A longer BIN that the card also starts with is more specific and wins.
      const longest = ALL.filter((x) => card.startsWith(x.bin) && x.length === e.length).sort(
        (a, b) => b.bin.length - a.bin.length,
      )[0]
      const found = lookupBin(card)
      expect(found).not.toBeNull()
      if (longest.bin !== e.bin) continue
      const issuers = [...new Set(ALL.filter((x) => x.bin === e.bin && x.length === e.length).map((x) => x.bank))]
      expect(found!.bank.split('或').sort()).toEqual(issuers.sort())
      expect(found!.type).toBe(kinds[ALL.find((x) => x.bin === e.bin && x.length === e.length)!.kind])
    }
    // SPDB and GDB both list 621351 (16 digits) in the source.
    expect(lookupBin(makeCard('621351', 16))!.bank).toMatch(/或/)
  })

  it('holds every major issuer’s debit and credit BINs, with card lengths, from a named source and date', () => {
    expect(issuerCount()).toBeGreaterThanOrEqual(100)
    expect(ALL.length).toBeGreaterThan(1500)
    for (const code of [
      'ICBC',
      'ABC',
      'BOC',
      'CCB',
      'COMM',
      'PSBC',
      'CMB',
      'CITIC',
      'CEB',
      'CMBC',
      'CIB',
      'SPDB',
      'GDB',
      'SPABANK',
      'HXBANK',
    ]) {
      const kinds = new Set(ALL.filter((e) => e.code === code).map((e) => e.kind))
      expect([code, kinds.has('DC'), kinds.has('CC')]).toEqual([code, true, true])
    }
    expect(new Set(ALL.map((e) => e.length))).toEqual(new Set([15, 16, 17, 18, 19, 20]))
    expect(BIN_SOURCE).toEqual({ package: 'bankcardinfo@2.0.6', licence: 'ISC', extracted: '2026-12-01' })
  })

  it('names the bank as the user types, from six digits, and the kind once the BIN tells it', () => {
    expect(bankForPrefix('6222 02')).toEqual({ bank: '中国工商银行', type: 'debit' })
    expect(bankForPrefix('62220')).toBeNull()
    expect(bankForPrefix('622575')).toEqual({ bank: '招商银行', type: 'credit' })
    expect(bankForPrefix('123456')).toBeNull()
  })
})

/**
 * Regression: the BIN table held 21 samples, so most real debit cards were refused. The table is
 * now data extracted from a maintained public source, pinned, and regenerable; the package itself
 * (which calls a web service for cards it does not know) is never loaded anywhere.
 */
describe('the BIN data and its source', () => {
  const ROOT = path.resolve(__dirname, '..', '..')

  it('is exactly what the generator makes from the pinned package', () => {
    expect(() =>
      execFileSync(process.execPath, ['--import', 'tsx', 'scripts/bank-bins.ts', '--check'], {
        cwd: ROOT,
        stdio: 'pipe',
      }),
    ).not.toThrow()
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
      devDependencies: Record<string, string>
    }
    expect(pkg.devDependencies.bankcardinfo).toBe('2.0.6')
  })

  it('no source file loads bankcardinfo (its fallback would send a borrower’s card number to a web service)', () => {
    const files = execFileSync('git', ['ls-files', 'src', 'server', 'cloudfunctions', 'scripts'], {
      cwd: ROOT,
      encoding: 'utf8',
    })
      .split('\n')
      .filter((f) => /\.(ts|tsx|js)$/.test(f))
    const loaders = files.filter((f) =>
      /(require\(|from |import\()\s*['"]bankcardinfo['"]/.test(fs.readFileSync(path.join(ROOT, f), 'utf8')),
    )
    expect(loaders).toEqual([])
  })
})
