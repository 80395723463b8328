// Internal rate of return of equally spaced cash flows, and the annualized rate (APR) from it.
// Rates are estimates, not money: floats are right here; amounts stay in fen elsewhere.
import { PPM, type Ppm } from './money'

/**
 * The periodic rate r at which Σ flows[k] / (1 + r)^k = 0 (flows[0] at time 0).
 * Newton's method on the NPV polynomial in v = 1 / (1 + r), evaluated with Horner's rule (one
 * pass gives the value and the derivative, no pow calls); bisection if Newton strays.
 * NaN when the flows do not change sign.
 */
export function irr(flows: readonly number[]): number {
  let positive = 0
  let negative = 0
  for (const f of flows) {
    if (f > 0) positive += f
    else if (f < 0) negative -= f
  }
  if (positive === 0 || negative === 0) return Number.NaN
  const n = flows.length
  // A level-payment loan's rate is near 2 × (total / principal − 1) / (periods + 1).
  let r = Math.max(-0.9, (2 * (positive / negative - 1)) / n)
  if (flows[0] > 0) r = Math.max(-0.9, (2 * (negative / positive - 1)) / n)
  for (let i = 0; i < 60; i++) {
    const v = 1 / (1 + r)
    let npv = 0
    let dv = 0
    for (let k = n - 1; k >= 0; k--) {
      dv = dv * v + npv
      npv = npv * v + flows[k]
    }
    const slope = -dv * v * v
    if (!Number.isFinite(slope) || slope === 0) break
    const step = npv / slope
    r -= step
    if (!(r > -1) || !Number.isFinite(r)) break
    if (Math.abs(step) <= 1e-15 * Math.max(1, Math.abs(r))) return r
  }
  return bisect(flows)
}

function npvAt(flows: readonly number[], r: number): number {
  const v = 1 / (1 + r)
  let npv = 0
  for (let k = flows.length - 1; k >= 0; k--) npv = npv * v + flows[k]
  return npv
}

function bisect(flows: readonly number[]): number {
  let lo = -0.999999
  let hi = 10
  let flo = npvAt(flows, lo)
  if (Math.sign(flo) === Math.sign(npvAt(flows, hi))) return Number.NaN
  for (let i = 0; i < 200; i++) {
    const mid = (lo + hi) / 2
    const fm = npvAt(flows, mid)
    if (fm === 0 || hi - lo < 1e-16) return mid
    if (Math.sign(fm) === Math.sign(flo)) {
      lo = mid
      flo = fm
    } else hi = mid
  }
  return (lo + hi) / 2
}

/** Net present value at a periodic rate (flows[0] at time 0). */
export function npv(flows: readonly number[], rate: number): number {
  return npvAt(flows, rate)
}

/** A rate per year in percent, rounded half-up to 2 decimals (for display and the cap). */
export function toPercent2(ratePerYear: number): number {
  return Math.round(ratePerYear * 10_000 + 1e-9) / 100
}

/** A daily rate's simple annualized figure (daily × 365), in percent to two places: beside every daily rate. */
export function nominalAprPercent(dailyRatePpm: Ppm): number {
  return toPercent2((dailyRatePpm * 365) / PPM)
}
