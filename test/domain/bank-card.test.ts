import fc from 'fast-check'
import { BIN_TABLE, bankForPrefix, checkDebitCard, luhnCheckDigit, luhnValid } from '../../src/domain/bank-card'

const makeCard = (bin: string, body = '1234567890', extra = '') => {
  const s = bin + body + extra
  return s + luhnCheckDigit(s)
}

describe('bank cards', () => {
  it('Luhn: the classic examples', () => {
    expect(luhnValid('79927398713')).toBe(true)
    expect(luhnValid('79927398710')).toBe(false)
    expect(luhnValid('12a4')).toBe(false)
  })

  it('every card built with its check digit passes; any single changed digit fails', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...Object.keys(BIN_TABLE)),
        fc.stringMatching(/^\d{10,12}$/),
        fc.nat(),
        fc.integer({ min: 1, max: 9 }),
        (bin, body, at, delta) => {
          const card = makeCard(bin, body)
          expect(luhnValid(card)).toBe(true)
          const i = at % card.length
          const changed = card.slice(0, i) + String((Number(card[i]) + delta) % 10) + card.slice(i + 1)
          expect(luhnValid(changed)).toBe(false)
        },
      ),
    )
  })

  it('a known debit card: bank, type and last four', () => {
    const card = makeCard('622588')
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
    [makeCard('999999'), 'UNKNOWN_BIN'],
    [makeCard('622575'), 'NOT_DEBIT'],
  ])('%s → %s', (card, problem) => {
    expect(checkDebitCard(card)).toMatchObject({ ok: false, problem })
  })

  it('names the bank as the user types', () => {
    expect(bankForPrefix('6222 02')).toEqual({ bank: '中国工商银行', type: 'debit' })
    expect(bankForPrefix('62220')).toBeNull()
  })
})
