// 版本: drafts of the rule set and of the product catalog, their simulation on the stored profiles,
// and publishing with a second admin's approval. A draft is the whole document, shaped as the
// published one (numbers and switches tuned, names and kinds kept); its version is assigned here.
// Publishing moves new decisions to it; what was decided before keeps its version.
import { fail, ok, type ApiResult } from '../../../src/api'
import type { ConsoleInput, ProductDecisionSummary, Simulation, VersionView } from '../../../src/api/console'
import { PRODUCT_IDS, type Catalog, type ProductId } from '../../../src/domain/catalog'
import { chinaDateString } from '../../../src/domain/china-time'
import { clipToCeiling } from '../../../src/domain/line'
import { PPM, formatYuan } from '../../../src/domain/money'
import { BULLET_MAX_DAYS } from '../../../src/domain/pricing'
import { DIMENSIONS, type RuleSet } from '../../../src/domain/rule-set'
import { precheck } from '../../../src/domain/rules'
import type { Doc, Ports, Settings } from '../../ports'
import { COLLECTIONS } from '../../schema'
import {
  DEFAULTS,
  PUBLISHED,
  decisionSummary,
  publishedCatalog,
  publishedRules,
  seedVersions,
  type DecisionSummary,
  type ProfileDoc,
  type PublishedDoc,
  type VersionDoc,
} from '../published'
import type { OperatorCaller } from './operators'

const view = (d: Doc<VersionDoc>): VersionView => ({
  versionId: d.id,
  kind: d.data.kind,
  state: d.data.state,
  note: d.data.note,
  createdBy: d.data.createdBy,
  createdAt: d.data.createdAt,
  publishRequestedBy: d.data.publishRequestedBy,
  publishedBy: d.data.publishedBy,
  publishedAt: d.data.publishedAt,
  body: d.data.body as unknown as Record<string, unknown>,
})

export async function list(ports: Ports): Promise<ApiResult<VersionView[]>> {
  await seedVersions(ports)
  const docs = await ports.store.query<VersionDoc>(COLLECTIONS.versions, {
    index: 'byAt',
    eq: 1,
    order: 'desc',
    limit: 200,
  })
  // Newest first; at the same moment the compiled seeds last, and the rest by their number.
  const seeded = (d: Doc<VersionDoc>) => Number(d.data.createdBy === 'seed')
  return ok(
    docs
      .sort(
        (a, b) =>
          b.data.createdAt - a.data.createdAt ||
          seeded(a) - seeded(b) ||
          b.id.localeCompare(a.id, 'en', { numeric: true }),
      )
      .map(view),
  )
}

/**
 * Where `body` differs in shape from `like` — a key missing or added, a type changed, a number not
 * finite or negative, an array of another length, a name or kind (a string) changed — as a path;
 * null when only numbers and switches differ (what a draft may tune).
 */
export function shapeProblem(like: unknown, body: unknown, path = 'body', key = ''): string | null {
  if (typeof like === 'number') {
    if (typeof body !== 'number' || !Number.isFinite(body) || body < 0) return `${path}：须为非负数`
    // Whole numbers stay whole (fen, ppm, months, points); what the rules divide by stays above 0.
    if (Number.isInteger(like) && !Number.isSafeInteger(body)) return `${path}：须为整数（不超过 2^53）`
    if (DIVISORS.has(key) && body <= 0) return `${path}：须大于 0（规则以它为除数）`
    return null
  }
  if (typeof like === 'string') return body === like ? null : `${path}：名称和类型不能修改（应为 ${like}）`
  if (typeof like !== 'object' || like === null) return typeof body === typeof like ? null : `${path}：类型不对`
  if (typeof body !== 'object' || body === null || Array.isArray(like) !== Array.isArray(body))
    return `${path}：类型不对`
  if (Array.isArray(like)) {
    const b = body as unknown[]
    // A catalog's lists of amounts and terms may be longer or shorter; each item is shaped as before.
    if (LISTS.has(key)) {
      if (b.length < 1 || b.length > 24) return `${path}：应有 1–24 项`
      for (let i = 0; i < b.length; i++) {
        const p = shapeProblem(like[0], b[i], `${path}[${i}]`)
        if (p) return p
      }
      return null
    }
    if (b.length !== like.length) return `${path}：应有 ${like.length} 项`
    for (let i = 0; i < like.length; i++) {
      const p = shapeProblem(like[i], b[i], `${path}[${i}]`)
      if (p) return p
    }
    return null
  }
  const l = like as Record<string, unknown>
  const b = body as Record<string, unknown>
  for (const k of Object.keys(l)) {
    if (!(k in b)) return `${path}.${k}：缺少`
    const p = shapeProblem(l[k], b[k], `${path}.${k}`, k)
    if (p) return p
  }
  const extra = Object.keys(b).find((k) => !(k in l))
  return extra ? `${path}.${extra}：多余的字段` : null
}

/** The fields the rules engine divides by (a factor's full and zeroAt, the insurance bonus's per). */
const DIVISORS = new Set(['full', 'zeroAt', 'perFen'])
/** The catalog's lists whose length a draft may change: the amount steps and the terms offered. */
const LISTS = new Set(['amountStepsFen', 'months', 'previewDays'])

const ascending = (xs: number[]) => xs.every((x, i) => i === 0 || x > xs[i - 1])

/**
 * What a catalog draft states that no product can lend by: ranges upside down, amounts outside the
 * limit, terms out of order, a bullet loan over a year (Interim Measures, 2020), fees of a whole
 * principal, penalty interest above 1.5 times the contract rate (the PBOC's 30–50% surcharge), or
 * an overdue charge whose yearly rate is above the APR cap.
 */
export function catalogProblem(
  catalog: Catalog,
  { aprCapPercent: capPercent, lineCeilingFen }: Pick<Settings, 'aprCapPercent' | 'lineCeilingFen'>,
): string | null {
  const capPpmYear = Math.round(capPercent * 10_000)
  for (const id of PRODUCT_IDS) {
    const p = catalog.products[id]
    const at = `body.products.${id}`
    if (p.limitFen.min < 1 || p.limitFen.min > p.limitFen.max) return `${at}.limitFen：最低额度须大于 0、不高于最高额度`
    // A line is clipped to the ceiling: one whose smallest loan is above it could never be drawn.
    if (p.limitFen.min > lineCeilingFen)
      return `${at}.limitFen.min：最低额度高于单户授信上限 ${formatYuan(lineCeilingFen)} 元，开通的额度将无法借款`
    if (!ascending(p.amountStepsFen)) return `${at}.amountStepsFen：须从小到大、不重复`
    if (p.amountStepsFen.some((a) => a < p.limitFen.min || a > p.limitFen.max))
      return `${at}.amountStepsFen：每一档都须在额度范围内`
    if (p.dailyRatePpm.min < 1 || p.dailyRatePpm.min > p.dailyRatePpm.max)
      return `${at}.dailyRatePpm：最低日利率须大于 0、不高于最高日利率`
    // Offers above the cap are never made; a product whose lowest rate is above it could lend nothing.
    if (p.dailyRatePpm.min * 365 > capPpmYear)
      return `${at}.dailyRatePpm.min：最低日利率按年计超过年化利率上限 ${capPercent}%，这个产品将无法放款`
    for (const [mode, terms] of Object.entries(p.modes)) {
      if (!terms) continue
      if (terms.unit === 'months') {
        if (!ascending(terms.months) || terms.months[0] < 1 || terms.months.some((m) => m > 60))
          return `${at}.modes.${mode}.months：须为 1–60 的期数，从小到大、不重复`
        continue
      }
      if (terms.minDays < 1 || terms.minDays > terms.maxDays)
        return `${at}.modes.${mode}：最短天数须至少 1 天、不长于最长天数`
      if (terms.maxDays > BULLET_MAX_DAYS)
        return `${at}.modes.${mode}.maxDays：随借随还的期限不得超过一年（${BULLET_MAX_DAYS} 天）`
      if (!ascending(terms.previewDays) || terms.previewDays.some((d) => d < terms.minDays || d > terms.maxDays))
        return `${at}.modes.${mode}.previewDays：须在期限范围内，从小到大、不重复`
    }
    for (const fee of ['drawdownFeePpm', 'monthlyFeePpm'] as const)
      if ((p[fee] ?? 0) >= PPM) return `${at}.${fee}：费率须低于 100%`
    const o = p.overdue
    if (o.on === 'principal' && (o.contractRateMultiplierPermille < 1000 || o.contractRateMultiplierPermille > 1500))
      return `${at}.overdue.contractRateMultiplierPermille：罚息为合同利率的 1–1.5 倍（1000–1500‰）`
    if (o.on === 'amount' && o.dailyPpm * 365 > capPpmYear)
      return `${at}.overdue.dailyPpm：按年计超过年化利率上限 ${capPercent}%`
  }
  return null
}

/**
 * The draft decided on up to 200 stored profiles: a limit or a rate that is not a whole
 * non-negative number, or a score that is not finite, is a draft the engine cannot run on.
 */
async function decidesSanely(ports: Ports, rules: RuleSet, catalog: Catalog, now: number): Promise<string | null> {
  const sample = await ports.store.query<ProfileDoc>(COLLECTIONS.decisionProfiles, {
    index: 'byAt',
    eq: 1,
    order: 'desc',
    limit: 200,
  })
  for (const p of sample) {
    let evaluation: ReturnType<typeof precheck>
    try {
      evaluation = precheck(p.data.profile, rules, now, catalog)
    } catch (error) {
      return `在已存画像上运行出错：${error instanceof Error ? error.message : String(error)}`
    }
    for (const d of evaluation.products) {
      if (!Number.isFinite(d.score)) return `${d.product} 的综合分不是有限数`
      if (d.eligible && !(Number.isSafeInteger(d.limitFen) && d.limitFen >= 0))
        return `${d.product} 的额度不是非负整数（分）`
      if (d.eligible && !(Number.isSafeInteger(d.dailyRatePpm) && d.dailyRatePpm >= 0))
        return `${d.product} 的日利率不是非负整数（ppm）`
    }
  }
  return null
}

const KIND_NAMES = { rules: '规则', catalog: '产品目录' } as const

/** What the draft's body says that its kind cannot decide or lend by, as a message a person can act on. */
function bodyProblem(
  ports: Ports,
  kind: 'rules' | 'catalog',
  body: RuleSet | Catalog,
): { field: string; message: string } | null {
  if (kind === 'rules') {
    const rules = body as RuleSet
    const weights = DIMENSIONS.reduce((s, d) => s + rules.weights[d], 0)
    return weights === 100
      ? null
      : { field: 'body.weights', message: `四个维度的权重之和须为 100（现在是 ${weights}）。` }
  }
  const problem = catalogProblem(body as Catalog, ports.settings)
  return problem ? { field: 'body', message: `产品目录草稿不能用于放款：${problem}。` } : null
}

export async function draft(
  ports: Ports,
  caller: OperatorCaller,
  input: ConsoleInput<'versions.draft'>,
): Promise<ApiResult<VersionView>> {
  await seedVersions(ports)
  const kind = input.kind
  const [rules, catalog] = await Promise.all([publishedRules(ports), publishedCatalog(ports)])
  const current = kind === 'rules' ? rules : catalog
  const body = { ...(input.body as Record<string, unknown>), version: current.version }
  const shape = shapeProblem(current, body)
  if (shape)
    return fail('INVALID_INPUT', {
      field: 'body',
      message: `${KIND_NAMES[kind]}草稿的结构与已发布的${KIND_NAMES[kind]}不一致：${shape}`,
    })
  const typed = body as unknown as RuleSet | Catalog
  const problem = bodyProblem(ports, kind, typed)
  if (problem) return fail('INVALID_INPUT', problem)
  const now = ports.clock.now()
  const insane =
    kind === 'rules'
      ? await decidesSanely(ports, typed as RuleSet, catalog, now)
      : await decidesSanely(ports, rules, typed as Catalog, now)
  if (insane)
    return fail('INVALID_INPUT', { field: 'body', message: `这份${KIND_NAMES[kind]}草稿不能用于决定：${insane}。` })
  const day = chinaDateString(now)
  const existing = await ports.store.query<VersionDoc>(COLLECTIONS.versions, { index: 'byAt', eq: 1, limit: 1000 })
  for (let n = existing.filter((v) => v.id.startsWith(`${kind}/${day}.`)).length + 1; n < 1000; n++) {
    const version = `${kind}/${day}.${n}`
    const doc: VersionDoc = {
      kind,
      version,
      body: { ...typed, version } as RuleSet | Catalog,
      state: 'draft',
      note: input.note ?? '',
      createdBy: caller.username,
      createdAt: now,
      publishRequestedBy: null,
      publishedBy: null,
      publishedAt: null,
      all: 1,
    } as VersionDoc
    const made = await ports.store.insert<VersionDoc>(COLLECTIONS.versions, version, doc)
    if (made.ok) return ok(view(made.doc))
  }
  return fail('CONFLICT')
}

const shown = (d: DecisionSummary): ProductDecisionSummary => ({
  eligible: d.eligible,
  limitFen: d.limitFen,
  dailyRatePpm: d.dailyRatePpm,
})

/** Where `after` states another value than `before` (the version's name aside), by path; a catalog's lists whole. */
export function fieldChanges(
  before: unknown,
  after: unknown,
  path = '',
  out: Simulation['fields'] = [],
): Simulation['fields'] {
  const leaf = (x: unknown) => typeof x !== 'object' || x === null || Array.isArray(x)
  if (leaf(before) || leaf(after)) {
    if (JSON.stringify(before) !== JSON.stringify(after)) out.push({ path, before, after })
    return out
  }
  const b = before as Record<string, unknown>
  const a = after as Record<string, unknown>
  for (const k of [...new Set([...Object.keys(b), ...Object.keys(a)])]) {
    if (path === '' && k === 'version') continue
    fieldChanges(b[k], a[k], path ? `${path}.${k}` : k, out)
  }
  return out
}

/**
 * Runs the published rule set and catalog on the stored profiles, and again with the draft in place
 * of its kind's published version, and counts what would change (a catalog moves limits and rates
 * within its ranges; the rules move everything).
 */
export async function simulate(
  ports: Ports,
  _caller: OperatorCaller,
  input: ConsoleInput<'versions.simulate'>,
): Promise<ApiResult<Simulation>> {
  const started = performance.now()
  const doc = await ports.store.get<VersionDoc>(COLLECTIONS.versions, input.versionId)
  if (!doc) return fail('NOT_FOUND', { field: 'versionId' })
  const [rules, catalog] = await Promise.all([publishedRules(ports), publishedCatalog(ports)])
  const isRules = doc.data.kind === 'rules'
  const draftRules = isRules ? (doc.data.body as RuleSet) : rules
  const draftCatalog = isRules ? catalog : (doc.data.body as Catalog)
  const want = input.sample ?? 100_000
  const now = ports.clock.now()
  const byProduct = Object.fromEntries(
    PRODUCT_IDS.map((p) => [
      p,
      { changed: 0, nowEligible: 0, nowRefused: 0, limitUp: 0, limitDown: 0, rateChanged: 0 },
    ]),
  ) as Simulation['byProduct']
  const examples: Simulation['examples'] = []
  const ceiling = ports.settings.lineCeilingFen
  const atCeiling = (d: DecisionSummary): DecisionSummary =>
    d.eligible ? { ...d, limitFen: clipToCeiling(d.limitFen, ceiling).limitFen } : d
  let profiles = 0
  // Page by the profiles' own keys (keyed hashes: unique, and in no order that favours anyone), so
  // none is read twice or skipped, however many were kept at the same moment; `sample` takes the first.
  let key = ''
  while (profiles < want) {
    // From the last key read (itself again, skipped): one more than is still wanted.
    const limit = Math.min(1000, want - profiles + 1)
    const page = await ports.store.query<ProfileDoc>(COLLECTIONS.decisionProfiles, {
      index: 'byKey',
      eq: 1,
      gte: key,
      limit,
    })
    const fresh = key === '' ? page : page.filter((d) => d.data.key !== key)
    if (fresh.length === 0) break
    for (const p of fresh) {
      if (profiles >= want) break
      profiles++
      // What the published versions decided on it is kept with it; decided again only under others.
      const kept = p.data.decided
      const before =
        kept && kept.version === rules.version && (kept.catalog ?? DEFAULTS.catalog.version) === catalog.version
          ? kept.products
          : precheck(p.data.profile, rules, now, catalog).products.map(decisionSummary)
      const after = precheck(p.data.profile, draftRules, now, draftCatalog).products
      for (const a of after) {
        // Limits as a line would open: at most the lender's ceiling (a rise above it changes nothing).
        const b = atCeiling(before.find((x) => x.product === a.product)!)
        const n = atCeiling(decisionSummary(a))
        const s = byProduct[a.product as ProductId]
        if (b.eligible === n.eligible && b.limitFen === n.limitFen && b.dailyRatePpm === n.dailyRatePpm) continue
        s.changed++
        if (!b.eligible && n.eligible) s.nowEligible++
        if (b.eligible && !n.eligible) s.nowRefused++
        if (b.eligible && n.eligible && n.limitFen > b.limitFen) s.limitUp++
        if (b.eligible && n.eligible && n.limitFen < b.limitFen) s.limitDown++
        if (b.eligible && n.eligible && n.dailyRatePpm !== b.dailyRatePpm) s.rateChanged++
        if (examples.length < 10)
          examples.push({
            profile: p.id.slice(0, 8),
            product: a.product as ProductId,
            before: shown(b),
            after: shown(n),
          })
      }
    }
    if (page.length < limit) break
    key = page[page.length - 1].data.key
  }
  return ok({
    versionId: doc.id,
    against: isRules ? rules.version : catalog.version,
    profiles,
    byProduct,
    fields: fieldChanges(isRules ? rules : catalog, doc.data.body),
    examples,
    tookMs: Math.round(performance.now() - started),
  })
}

/** An admin asks to publish; a second admin confirms it, and new decisions use it from then on. */
export async function publish(
  ports: Ports,
  caller: OperatorCaller,
  input: ConsoleInput<'versions.publish'>,
): Promise<ApiResult<VersionView>> {
  const doc = await ports.store.get<VersionDoc>(COLLECTIONS.versions, input.versionId)
  if (!doc) return fail('NOT_FOUND', { field: 'versionId' })
  if (doc.data.state === 'published' || doc.data.state === 'superseded')
    return fail('CASE_CLOSED', { message: '该版本已经发布过。' })
  // Checked again against today's settings: a draft made under a higher APR cap is not published under a lower one.
  const problem = bodyProblem(ports, doc.data.kind, doc.data.body)
  if (problem) return fail('INVALID_INPUT', problem)
  if (doc.data.state === 'draft') {
    const asked = await ports.store.update<VersionDoc>(COLLECTIONS.versions, doc.id, doc.version, {
      ...doc.data,
      state: 'pending',
      publishRequestedBy: caller.username,
    })
    return asked.ok ? ok(view(asked.doc)) : fail('CONFLICT')
  }
  if (doc.data.publishRequestedBy === caller.username)
    return fail('FOUR_EYES_REQUIRED', { message: '发布须由另一位管理员批准（四眼原则）。' })
  const now = ports.clock.now()
  const done = await ports.store.transact(async (tx) => {
    const v = await tx.get<VersionDoc>(COLLECTIONS.versions, doc.id)
    if (!v || v.data.state !== 'pending') return null
    const pointerId = PUBLISHED[v.data.kind]
    const pointer = await tx.get<PublishedDoc>(COLLECTIONS.meta, pointerId)
    const previous = pointer?.data.versionId
    if (previous && previous !== v.id) {
      const old = await tx.get<VersionDoc>(COLLECTIONS.versions, previous)
      if (old) await tx.update(COLLECTIONS.versions, old.id, old.version, { ...old.data, state: 'superseded' })
    } else if (!previous) {
      // The compiled default was in force: it is superseded too.
      const seeded = await tx.get<VersionDoc>(COLLECTIONS.versions, DEFAULTS[v.data.kind].version)
      if (seeded && seeded.id !== v.id)
        await tx.update(COLLECTIONS.versions, seeded.id, seeded.version, { ...seeded.data, state: 'superseded' })
    }
    const next: PublishedDoc = { versionId: v.id, at: now }
    if (pointer) await tx.update(COLLECTIONS.meta, pointerId, pointer.version, next)
    else await tx.insert(COLLECTIONS.meta, pointerId, next)
    const published = { ...v.data, state: 'published' as const, publishedBy: caller.username, publishedAt: now }
    await tx.update(COLLECTIONS.versions, v.id, v.version, published)
    return published
  })
  if (!done) return fail('CASE_CLOSED', { message: '该版本已经发布过。' })
  const after = await ports.store.get<VersionDoc>(COLLECTIONS.versions, doc.id)
  return ok(view(after ?? { ...doc, data: done }))
}
