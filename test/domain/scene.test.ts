import fc from 'fast-check'
import { SCENE_MAX_LENGTH, encodeScene, parseScene, readScene } from '../../src/domain/scene'

const merchantCode = fc.stringMatching(/^[0-9A-Za-z_-]{2,16}$/)
const SCENE_ALPHABET = /^[0-9A-Za-z!#$&'()*+,/:;=?@\-._~]*$/

describe('merchant scene codec', () => {
  it('round-trips every merchant code, through the URL encoding WeChat applies', () => {
    fc.assert(
      fc.property(merchantCode, (code) => {
        const scene = encodeScene({ merchantCode: code })
        expect(parseScene(scene)).toEqual({ ok: true, merchantCode: code })
        expect(parseScene(readScene(encodeURIComponent(scene))!)).toEqual({ ok: true, merchantCode: code })
      }),
    )
  })

  it('every encoded scene fits wxacode.getUnlimited: ≤ 32 visible characters from its alphabet', () => {
    fc.assert(
      fc.property(merchantCode, (code) => {
        const scene = encodeScene({ merchantCode: code })
        expect(scene.length).toBeLessThanOrEqual(SCENE_MAX_LENGTH)
        expect(scene).toMatch(SCENE_ALPHABET)
      }),
    )
  })

  it('parse and read never throw, whatever arrives', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        const read = readScene(s)
        if (read !== null) parseScene(read)
      }),
    )
    fc.assert(fc.property(fc.anything(), (x) => void readScene(x)))
  })

  it('accepts only what it could have produced, plus reserved key=value pairs', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        const r = parseScene(s)
        if (r.ok) {
          expect(s.length).toBeLessThanOrEqual(SCENE_MAX_LENGTH)
          expect(s.split('&')).toContain(`m=${r.merchantCode}`)
        }
      }),
    )
    expect(parseScene('m=cafe01&c=spring')).toEqual({ ok: true, merchantCode: 'cafe01' })
  })

  it.each([
    ['', 'EMPTY'],
    ['m=' + 'a'.repeat(31), 'TOO_LONG'],
    ['m=café', 'BAD_CHARS'],
    ['m=cafe%01', 'BAD_CHARS'],
    ['cafe01', 'MALFORMED'],
    ['m=a', 'MALFORMED'],
    ['m=cafe01&m=mart02', 'MALFORMED'],
    ['amount=100', 'MALFORMED'],
  ])('rejects %j as %s', (scene, problem) => {
    expect(parseScene(scene)).toEqual({ ok: false, problem })
  })

  it('a broken URL escape is not an error: the raw text goes on to be rejected or ignored', () => {
    expect(readScene('m%3Dcafe01')).toBe('m=cafe01')
    expect(readScene('%E0%A4%A')).toBe('%E0%A4%A')
    expect(readScene(undefined)).toBeNull()
    expect(() => encodeScene({ merchantCode: 'x' })).toThrow(RangeError)
  })
})
