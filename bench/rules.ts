// `npm run bench:rules`: our rules engine against json-rules-engine (the library a team would
// otherwise pick) on the same 100k generated profiles, in one run: evaluations per second for
// each, the ratio, and how many decisions differ (must be 0).
//
// The same rule set is encoded for json-rules-engine: every gate is one of its rules, with the
// thresholds read from DEFAULT_RULE_SET, firing an event that carries the reason code.
// json-rules-engine has no arithmetic, so the weighted composite score, the 6-month inquiry count
// and the debt ratio reach it as facts computed by the same scoring function.
import { Engine } from 'json-rules-engine'
import { DEFAULT_CATALOG, type ProductId } from '../src/domain/catalog'
import { DAY_MS, fromChinaDateTime } from '../src/domain/china-time'
import type { CreditProfile } from '../src/domain/credit-profile'
import { evaluate, scoreProfile } from '../src/domain/rules'
import { DEFAULT_RULE_SET, type RuleSet } from '../src/domain/rule-set'

const NOW = fromChinaDateTime({ year: 2026, month: 11, day: 28, hour: 10 })
const PRODUCTS = Object.keys(DEFAULT_CATALOG.products) as ProductId[]

/** A decision in a form both engines can produce: per product, eligibility, reasons, notices, steps. */
type Decision = Record<ProductId, { eligible: boolean; reasons: string[]; notices: string[]; pending: string[] }>

function rng(seed: number) {
  let a = seed
  return () => {
    a = (a + 0x6d2b79f5) | 0
    let t = Math.imul(a ^ (a >>> 15), 1 | a)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

export function generateProfiles(count: number, seed = 20261128): CreditProfile[] {
  const r = rng(seed)
  const int = (max: number) => Math.floor(r() * (max + 1))
  const pick = <T>(xs: readonly T[]) => xs[int(xs.length - 1)]
  return Array.from({ length: count }, () => ({
    identity: { verified: r() < 0.95, age: 16 + int(50) },
    card: pick(['none', 'verified', 'verified', 'failed'] as const),
    payScore: pick(['MEETS_THRESHOLD', 'MEETS_THRESHOLD', 'BELOW_THRESHOLD', 'NOT_AUTHORIZED', 'UNCONFIRMED'] as const),
    face: pick(['none', 'passed', 'passed', 'failed'] as const),
    invited: r() < 0.4,
    bureau: {
      hardInquiryTimes: Array.from({ length: int(8) }, () => NOW - int(300) * DAY_MS),
      overdueCount24m: int(4),
      maxOverdueDays: int(120),
      creditHistoryMonths: int(120),
      debtFen: int(60_000) * 1000,
      annualIncomeFen: int(40_000) * 1000,
      fullRepaymentMonths: int(24),
    },
    activity: {
      accountAgeMonths: int(150),
      redPacketsPerMonth: int(20),
      miniProgramDaysPerMonth: int(30),
      charityMonths: int(40),
    },
    consumption: {
      paymentsPerMonth: int(120),
      medicalPaymentsPerMonth: int(5),
      educationPaymentsPerMonth: int(5),
      offlineSharePercent: int(100),
      merchantCategories: int(20),
    },
    assets: {
      wealthBalanceFen: int(200_000) * 100,
      holdingMonths: int(36),
      insurancePremiumFen: int(50_000) * 100,
      walletFundEarningsFen: int(20_000) * 100,
      housingFundMonths: int(60),
    },
    device: { newDevice: r() < 0.1, distantLocation: r() < 0.05 },
  }))
}

function ours(p: CreditProfile): Decision {
  const e = evaluate(p, DEFAULT_RULE_SET, NOW)
  return Object.fromEntries(
    e.products.map((d) => [
      d.product,
      {
        eligible: d.eligible,
        reasons: d.reasons.map((x) => x.code),
        notices: d.notices.map((x) => x.code),
        pending: d.pendingSteps,
      },
    ]),
  ) as Decision
}

/** The same gates as json-rules-engine rules. */
export function buildEngine(rules: RuleSet): Engine {
  const engine = new Engine([], { allowUndefinedFacts: false })
  const g = rules.gates
  let priority = 100
  const add = (product: ProductId, kind: 'reason' | 'notice' | 'pending', code: string, conditions: object) =>
    engine.addRule({
      conditions: conditions as never,
      event: { type: kind, params: { product, code } },
      priority: priority--,
    })
  for (const product of PRODUCTS) {
    const pr = rules.products[product]
    add(product, 'reason', 'IDENTITY_NOT_VERIFIED', {
      all: [{ fact: 'profile', path: '$.identity.verified', operator: 'equal', value: false }],
    })
    add(product, 'reason', 'AGE_OUT_OF_RANGE', {
      any: [
        { fact: 'profile', path: '$.identity.age', operator: 'lessThan', value: g.minAge },
        { fact: 'profile', path: '$.identity.age', operator: 'greaterThan', value: g.maxAge },
      ],
    })
    add(product, 'pending', 'bindCard', {
      all: [{ fact: 'profile', path: '$.card', operator: 'equal', value: 'none' }],
    })
    add(product, 'reason', 'IDENTITY_CARD_FAILED', {
      all: [{ fact: 'profile', path: '$.card', operator: 'equal', value: 'failed' }],
    })
    if (pr.needsInvitation)
      add(product, 'reason', 'NOT_INVITED', {
        all: [{ fact: 'profile', path: '$.invited', operator: 'equal', value: false }],
      })
    if (pr.needsPayScore) {
      add(product, 'reason', 'PAY_SCORE_NOT_AUTHORIZED', {
        all: [{ fact: 'profile', path: '$.payScore', operator: 'equal', value: 'NOT_AUTHORIZED' }],
      })
      add(product, 'reason', 'PAY_SCORE_UNCONFIRMED', {
        all: [{ fact: 'profile', path: '$.payScore', operator: 'equal', value: 'UNCONFIRMED' }],
      })
      add(product, 'reason', 'SCORE_BELOW_THRESHOLD', {
        all: [{ fact: 'profile', path: '$.payScore', operator: 'equal', value: 'BELOW_THRESHOLD' }],
      })
    }
    if (pr.needsFace) {
      add(product, 'pending', 'face', { all: [{ fact: 'profile', path: '$.face', operator: 'equal', value: 'none' }] })
      add(product, 'reason', 'IDENTITY_FACE_FAILED', {
        all: [{ fact: 'profile', path: '$.face', operator: 'equal', value: 'failed' }],
      })
    }
    add(product, 'reason', 'TOO_MANY_HARD_INQUIRIES', {
      all: [{ fact: 'hardInquiries', operator: 'greaterThan', value: g.maxHardInquiries }],
    })
    add(product, 'reason', 'LOW_ACTIVITY', {
      all: [
        { fact: 'profile', path: '$.consumption.paymentsPerMonth', operator: 'lessThan', value: g.minPaymentsPerMonth },
      ],
    })
    add(product, 'reason', 'CREDIT_SCORE_LOW', { all: [{ fact: 'score', operator: 'lessThan', value: pr.minScore }] })
    add(product, 'notice', 'DEBT_RATIO_HIGH', {
      all: [{ fact: 'debtToIncomePermille', operator: 'greaterThan', value: g.maxDebtToIncomePermille }],
    })
  }
  return engine
}

async function theirs(engine: Engine, p: CreditProfile): Promise<Decision> {
  const s = scoreProfile(p, DEFAULT_RULE_SET, NOW)
  const { events } = await engine.run({
    profile: p,
    score: s.score,
    hardInquiries: s.derived.hardInquiries,
    debtToIncomePermille: Number.isFinite(s.derived.debtToIncomePermille)
      ? s.derived.debtToIncomePermille
      : Number.MAX_VALUE,
  })
  const out = Object.fromEntries(
    PRODUCTS.map((id) => [
      id,
      { eligible: true, reasons: [] as string[], notices: [] as string[], pending: [] as string[] },
    ]),
  ) as Decision
  for (const ev of events) {
    const { product, code } = ev.params as { product: ProductId; code: string }
    const d = out[product]
    if (ev.type === 'reason') d.reasons.push(code)
    else if (ev.type === 'notice') d.notices.push(code)
    else d.pending.push(code)
  }
  for (const d of Object.values(out)) d.eligible = d.reasons.length === 0
  return out
}

export async function benchRules(count = 100_000): Promise<string[]> {
  const profiles = generateProfiles(count)
  const engine = buildEngine(DEFAULT_RULE_SET)
  for (let i = 0; i < 1000; i++) ours(profiles[i])
  for (let i = 0; i < 200; i++) await theirs(engine, profiles[i])

  const mine: Decision[] = new Array(count)
  let t0 = performance.now()
  for (let i = 0; i < count; i++) mine[i] = ours(profiles[i])
  const oursMs = performance.now() - t0

  const other: Decision[] = new Array(count)
  t0 = performance.now()
  for (let i = 0; i < count; i++) other[i] = await theirs(engine, profiles[i])
  const theirsMs = performance.now() - t0

  const norm = (d: Decision) =>
    JSON.stringify(
      PRODUCTS.map((p) => [
        p,
        d[p].eligible,
        [...d[p].reasons].sort(),
        [...d[p].notices].sort(),
        [...d[p].pending].sort(),
      ]),
    )
  let differing = 0
  let eligibleSomewhere = 0
  for (let i = 0; i < count; i++) {
    if (norm(mine[i]) !== norm(other[i])) differing++
    if (PRODUCTS.some((p) => mine[i][p].eligible)) eligibleSomewhere++
  }
  const perSec = (ms: number) => Math.round((count / ms) * 1000).toLocaleString('en')
  return [
    `profiles: ${count.toLocaleString('en')} generated (seeded), ${eligibleSomewhere.toLocaleString('en')} eligible for at least one product`,
    `ours: ${oursMs.toFixed(0)} ms, ${perSec(oursMs)} evaluations/s (3 products each, with scores, limits, rates and tips)`,
    `json-rules-engine ${require('json-rules-engine/package.json').version}: ${theirsMs.toFixed(0)} ms, ${perSec(theirsMs)} evaluations/s (gates only; scores supplied as facts)`,
    `ratio: ours ${(theirsMs / oursMs).toFixed(1)}× faster`,
    `differing decisions: ${differing}`,
  ]
}

if (process.argv[1] && /rules\.ts$/.test(process.argv[1])) {
  console.log(`rules benchmark — node ${process.version}, ${new Date().toISOString()}`)
  benchRules().then((lines) => lines.forEach((l) => console.log(l)))
}
