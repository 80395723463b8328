import fc from 'fast-check'
import { checkIdNumber, checkLendingAge, idCheckChar } from '../../src/domain/id-card'
import { fromChinaDateTime } from '../../src/domain/china-time'
import { NOW, makeIdNumber } from '../support/factories'

const digits = (n: number) =>
  fc.array(fc.integer({ min: 0, max: 9 }), { minLength: n, maxLength: n }).map((d) => d.join(''))
const birthDate = fc
  .date({ min: new Date('1930-01-01T00:00:00Z'), max: new Date('2008-12-31T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10).replace(/-/g, ''))

describe('resident ID numbers (GB 11643)', () => {
  it('accepts a known-good number and normalizes a lower-case x', () => {
    expect(checkIdNumber('11010519491231002X', NOW)).toMatchObject({ ok: true, idNumber: '11010519491231002X' })
    expect(checkIdNumber(' 11010519491231002x ', NOW)).toMatchObject({ ok: true, idNumber: '11010519491231002X' })
  })

  it('accepts every number built with the right check character', () => {
    fc.assert(
      fc.property(birthDate, digits(3), (birth, seq) => {
        expect(checkIdNumber(makeIdNumber({ birth, seq }), NOW).ok).toBe(true)
      }),
    )
  })

  it('rejects every single-character change of the check character', () => {
    fc.assert(
      fc.property(birthDate, digits(3), fc.constantFrom(...'0123456789X'), (birth, seq, c) => {
        const id = makeIdNumber({ birth, seq })
        fc.pre(c !== id[17])
        expect(checkIdNumber(id.slice(0, 17) + c, NOW)).toEqual({ ok: false, problem: 'CHECK_DIGIT' })
      }),
    )
  })

  it('catches any one changed digit in the sequence part (the weights make every single-digit error visible)', () => {
    fc.assert(
      fc.property(digits(3), fc.integer({ min: 14, max: 16 }), fc.integer({ min: 1, max: 9 }), (seq, pos, delta) => {
        const id = makeIdNumber({ seq })
        const changed = id.slice(0, pos) + String((Number(id[pos]) + delta) % 10) + id.slice(pos + 1)
        expect(checkIdNumber(changed, NOW).ok).toBe(false)
      }),
    )
  })

  it('never throws, whatever the input', () => {
    fc.assert(fc.property(fc.string(), (s) => void checkIdNumber(s, NOW)))
    fc.assert(fc.property(fc.stringMatching(/^\d{17}[\dXx]$/), (s) => void checkIdNumber(s, NOW)))
  })

  it.each([
    ['too short', '11010519900307451', 'FORMAT'],
    ['letters', '1101051990030745AB', 'FORMAT'],
    ['unknown province', '991010199003074514', 'REGION'],
    ['30 February', `110101199002304510`, 'BIRTH_DATE'],
    ['born tomorrow', `110101${'20261129'}4510`, 'BIRTH_DATE'],
    ['born before 1900', `110101${'18991231'}4510`, 'BIRTH_DATE'],
  ])('names the problem: %s', (_label, id, problem) => {
    expect(checkIdNumber(id, NOW)).toEqual({ ok: false, problem })
  })

  it('check character table matches the standard weights', () => {
    expect(idCheckChar('11010519491231002')).toBe('X')
    expect(idCheckChar('44052418800101001')).toBe('4')
  })
})

describe('lending age 18–60, on the China calendar', () => {
  const at = (iso: string) =>
    fromChinaDateTime({ year: +iso.slice(0, 4), month: +iso.slice(5, 7), day: +iso.slice(8, 10) })
  it('opens on the 18th birthday, not the day before', () => {
    const birth = { year: 2008, month: 11, day: 28 }
    expect(checkLendingAge(birth, at('2026-11-27'))).toBe('UNDER_AGE')
    expect(checkLendingAge(birth, at('2026-11-28'))).toBeNull()
  })
  it('closes on the 61st birthday', () => {
    const birth = { year: 1965, month: 11, day: 28 }
    expect(checkLendingAge(birth, at('2026-11-27'))).toBeNull()
    expect(checkLendingAge(birth, at('2026-11-28'))).toBe('OVER_AGE')
  })
  it('uses the date in China: 23:30 UTC is already the next day there', () => {
    const birth = { year: 2008, month: 11, day: 29 }
    expect(checkLendingAge(birth, Date.UTC(2026, 10, 28, 15, 59))).toBe('UNDER_AGE')
    expect(checkLendingAge(birth, Date.UTC(2026, 10, 28, 16, 0))).toBeNull()
  })
  it('a leap-day birthday turns 18 on 1 March in a common year', () => {
    const birth = { year: 2008, month: 2, day: 29 }
    expect(checkLendingAge(birth, at('2026-02-28'))).toBe('UNDER_AGE')
    expect(checkLendingAge(birth, at('2026-03-01'))).toBeNull()
  })
  it('a lender’s own age band (the rule set’s gates) is the one applied', () => {
    const birth = { year: 2006, month: 11, day: 28 }
    expect(checkLendingAge(birth, at('2026-11-28'))).toBeNull()
    expect(checkLendingAge(birth, at('2026-11-28'), { minAge: 21, maxAge: 55 })).toBe('UNDER_AGE')
    expect(checkLendingAge({ year: 1970, month: 11, day: 28 }, at('2026-11-28'), { minAge: 21, maxAge: 55 })).toBe(
      'OVER_AGE',
    )
  })
})
