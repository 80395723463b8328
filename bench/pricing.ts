// `npm run bench:pricing`: how fast offers are priced (a whole offer grid for one user), and our
// IRR against financial.irr (numpy-financial's port) on the same 100k cash-flow sets, same run.
import { irr as financialIrr } from 'financial'
import { fromChinaDateTime } from '../src/domain/china-time'
import { irr } from '../src/domain/irr'
import { offerGrid } from '../src/domain/pricing'

const AT = fromChinaDateTime({ year: 2026, month: 11, day: 28, hour: 10 })

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.floor(s.length / 2)]
}

/** Deterministic loan-shaped cash flows (mulberry32), so every run prices the same sets. */
function cashFlowSets(count: number, seed = 20261128): number[][] {
  let a = seed
  const rand = () => {
    a = (a + 0x6d2b79f5) | 0
    let t = Math.imul(a ^ (a >>> 15), 1 | a)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  const sets: number[][] = []
  for (let i = 0; i < count; i++) {
    const amount = 10_000 + Math.floor(rand() * 30_000_000)
    const n = 1 + Math.floor(rand() * 24)
    const monthly = 0.001 + rand() * 0.03
    const level = (amount * monthly) / (1 - (1 + monthly) ** -n)
    sets.push([-amount, ...Array.from({ length: n }, () => Math.round(level * (0.9 + rand() * 0.2)))])
  }
  return sets
}

export function benchPricing(): string[] {
  const out: string[] = []
  // Offer grid: every product × amount step × mode × term for one user.
  for (let i = 0; i < 50; i++) offerGrid({}, { disbursedAt: AT })
  const gridTimes: number[] = []
  let offers = 0
  for (let i = 0; i < 300; i++) {
    const t0 = performance.now()
    const g = offerGrid({}, { disbursedAt: AT })
    gridTimes.push(performance.now() - t0)
    offers = g.offers.length + g.refused.length
  }
  const gridMedian = median(gridTimes)
  out.push(
    `offer grid (one user, all products): ${offers} offers, median ${gridMedian.toFixed(3)} ms, p90 ${[...gridTimes].sort((a, b) => a - b)[Math.floor(gridTimes.length * 0.9)].toFixed(3)} ms`,
  )
  out.push(`offers priced per second: ${Math.round((offers / gridMedian) * 1000).toLocaleString('en')}`)

  // IRR: ours against financial.irr on the same sets. financial gets a tolerance tight enough
  // to agree to 1e-9 (its default 1e-6 would not), and the same starting guess range.
  const sets = cashFlowSets(100_000)
  const ours = new Float64Array(sets.length)
  const theirs = new Float64Array(sets.length)
  // Warm both up on the first sets before timing.
  for (let i = 0; i < 2000; i++) {
    irr(sets[i])
    financialIrr(sets[i], 0.01, 1e-12, 200)
  }
  let t0 = performance.now()
  for (let i = 0; i < sets.length; i++) ours[i] = irr(sets[i])
  const oursMs = performance.now() - t0
  t0 = performance.now()
  for (let i = 0; i < sets.length; i++) theirs[i] = financialIrr(sets[i], 0.01, 1e-12, 200)
  const theirsMs = performance.now() - t0
  let maxDiff = 0
  let failed = 0
  for (let i = 0; i < sets.length; i++) {
    if (!Number.isFinite(theirs[i]) || !Number.isFinite(ours[i])) failed++
    else maxDiff = Math.max(maxDiff, Math.abs(ours[i] - theirs[i]))
  }
  out.push(
    `IRR on ${sets.length.toLocaleString('en')} cash-flow sets: ours ${oursMs.toFixed(1)} ms, financial.irr ${theirsMs.toFixed(1)} ms → ours ${(theirsMs / oursMs).toFixed(1)}× faster`,
  )
  out.push(`IRR largest difference: ${maxDiff.toExponential(2)} (sets where either gave no answer: ${failed})`)
  return out
}

if (process.argv[1] && /pricing\.ts$/.test(process.argv[1])) {
  console.log(`pricing benchmark — node ${process.version}, ${new Date().toISOString()}`)
  for (const line of benchPricing()) console.log(line)
}
