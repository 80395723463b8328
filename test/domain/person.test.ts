import fc from 'fast-check'
import { isLegalName, maskIdNumber, maskMobile, maskName, normalizeMobile } from '../../src/domain/person'

describe('masked personal data', () => {
  it('shows only the first and last characters of an ID number', () => {
    expect(maskIdNumber('11010519491231002X')).toBe('1****************X')
  })
  it('shows only the last character of a name', () => {
    expect(maskName('张三')).toBe('*三')
    expect(maskName('欧阳娜娜')).toBe('***娜')
  })
  it('hides the middle four digits of a mobile number', () => {
    expect(maskMobile('13812345678')).toBe('138****5678')
  })
  it('a masked ID never contains more than two of its digits', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\d{17}[\dX]$/), (id) => {
        expect(maskIdNumber(id).replace(/\*/g, '')).toHaveLength(2)
      }),
    )
  })
})

describe('names and mobile numbers', () => {
  it.each(['张三', '欧阳娜娜', '买买提·艾力'])('accepts %s', (n) => expect(isLegalName(n)).toBe(true))
  it.each(['张', 'Zhang San', '张3', '·张三', '张'.repeat(21)])('rejects %s', (n) => expect(isLegalName(n)).toBe(false))
  it('normalizes +86, spaces and dashes', () => {
    expect(normalizeMobile('+86 138-1234-5678')).toBe('13812345678')
    expect(normalizeMobile('8613812345678')).toBe('13812345678')
    expect(normalizeMobile('12812345678')).toBeNull()
    expect(normalizeMobile('1381234567')).toBeNull()
  })
})
