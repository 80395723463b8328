// Money is integer fen; rates are integers in millionths. Every division rounds once, half-up,
// to the fen — never a binary float in money arithmetic.

declare const unit: unique symbol

/**
 * An amount in fen (1/100 CNY): a safe integer. Fen and Ppm are "flavoured" numbers (dinero.js
 * brands its units the same way): a literal or a sum is accepted as either, but a value typed as
 * one unit does not pass where the other is asked for — test/domain/money-types.test.ts.
 */
export type Fen = number & { readonly [unit]?: 'fen' }

/** A rate in millionths (ppm): 0.05% = 0.0005 = 500 ppm; 1.5% = 15,000 ppm. */
export type Ppm = number & { readonly [unit]?: 'ppm' }

export const PPM = 1_000_000

export function isFen(x: unknown): x is Fen {
  return typeof x === 'number' && Number.isSafeInteger(x)
}

/**
 * round-half-up(product of `factors` / `den`) for non-negative integers, exactly: the plain
 * number path while the product is a safe integer, BigInt beyond it.
 */
export function mulDivHalfUp(factors: readonly number[], den: number): number {
  let product = 1
  for (const f of factors) product *= f
  if (Number.isSafeInteger(product) && Number.isSafeInteger(2 * product + den)) {
    return Math.floor((2 * product + den) / (2 * den))
  }
  let big = BigInt(1)
  for (const f of factors) big *= BigInt(f)
  const d = BigInt(den)
  return Number((BigInt(2) * big + d) / (BigInt(2) * d))
}

/** '1234.5' or '1234.50' CNY → 123450 fen; null for anything that is not a non-negative amount in whole fen. */
export function parseYuan(text: string): Fen | null {
  const m = /^(\d{1,12})(?:\.(\d{1,2}))?$/.exec(text.trim())
  if (!m) return null
  return Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'))
}

/** 123450 → '1234.50' */
export function formatYuan(fen: Fen): string {
  const sign = fen < 0 ? '-' : ''
  const abs = Math.abs(fen)
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`
}

/** 123450 → '¥1,234.50': grouped thousands, two decimals, the sign first. What people read. */
export function formatYuanGrouped(fen: Fen): string {
  const abs = Math.abs(fen)
  let whole = String(Math.floor(abs / 100))
  // Thousands from the right, without a regular expression (contracts print dozens per page).
  for (let i = whole.length - 3; i > 0; i -= 3) whole = `${whole.slice(0, i)},${whole.slice(i)}`
  const cents = abs % 100
  return `${fen < 0 ? '-' : ''}¥${whole}.${cents < 10 ? '0' : ''}${cents}`
}

/** '0.05' (percent) → 500 ppm; null unless it is a non-negative percent with at most 4 decimals. */
export function parsePercentToPpm(text: string): Ppm | null {
  const m = /^(\d{1,3})(?:\.(\d{1,4}))?$/.exec(text.trim())
  if (!m) return null
  return Number(m[1]) * 10_000 + Number((m[2] ?? '').padEnd(4, '0'))
}

/** 500 ppm → 0.05 (percent), via decimal text so no binary-float residue shows. */
export function ppmToPercent(ppm: Ppm): number {
  const whole = Math.floor(ppm / 10_000)
  const frac = String(ppm % 10_000)
    .padStart(4, '0')
    .replace(/0+$/, '')
  return Number(frac ? `${whole}.${frac}` : `${whole}`)
}
