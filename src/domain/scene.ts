// The merchant mini-program code's `scene`: at most 32 visible characters carrying a merchant code only.

/** wxacode.getUnlimited allows at most 32 visible characters from this set (no `%`). */
export const SCENE_MAX_LENGTH = 32
const SCENE_CHARS = /^[0-9A-Za-z!#$&'()*+,/:;=?@\-._~]*$/
const MERCHANT_CODE = /^[0-9A-Za-z_-]{2,16}$/

export type SceneProblem = 'EMPTY' | 'TOO_LONG' | 'BAD_CHARS' | 'MALFORMED'

export type SceneParse = { ok: true; merchantCode: string } | { ok: false; problem: SceneProblem }

/**
 * What the page got (`options.scene` in WeChat, `?scene=` in H5) to the scene text.
 * WeChat hands it URL-encoded; a broken escape is not an error for the user, just no scene.
 */
export function readScene(raw: unknown): string | null {
  if (typeof raw !== 'string' || raw === '') return null
  try {
    return decodeURIComponent(raw)
  } catch {
    return raw
  }
}

export function isMerchantCode(code: string): boolean {
  return MERCHANT_CODE.test(code)
}

/** `m=<merchant code>`; other `key=value` pairs are reserved and ignored. */
export function encodeScene(scene: { merchantCode: string }): string {
  if (!isMerchantCode(scene.merchantCode)) throw new RangeError('merchant code must be 2–16 of [0-9A-Za-z_-]')
  return `m=${scene.merchantCode}`
}

export function parseScene(scene: string): SceneParse {
  if (scene.length === 0) return { ok: false, problem: 'EMPTY' }
  if (scene.length > SCENE_MAX_LENGTH) return { ok: false, problem: 'TOO_LONG' }
  if (!SCENE_CHARS.test(scene)) return { ok: false, problem: 'BAD_CHARS' }
  let merchantCode: string | null = null
  for (const pair of scene.split('&')) {
    const eq = pair.indexOf('=')
    if (eq <= 0) return { ok: false, problem: 'MALFORMED' }
    const key = pair.slice(0, eq)
    const value = pair.slice(eq + 1)
    if (key === 'm') {
      if (merchantCode !== null || !isMerchantCode(value)) return { ok: false, problem: 'MALFORMED' }
      merchantCode = value
    }
  }
  return merchantCode === null ? { ok: false, problem: 'MALFORMED' } : { ok: true, merchantCode }
}
