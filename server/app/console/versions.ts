// 版本: the rule set's drafts, their simulation on the stored profiles, and publishing with a second
// admin's approval. A draft is the whole rule set, shaped as the published one; its version is
// assigned here. Publishing moves new decisions to it; what was decided before keeps its version.
import { fail, ok, type ApiResult } from '../../../src/api'
import type { ConsoleInput, ProductDecisionSummary, Simulation, VersionView } from '../../../src/api/console'
import { PRODUCT_IDS, type ProductId } from '../../../src/domain/catalog'
import { chinaDateString } from '../../../src/domain/china-time'
import { DEFAULT_RULE_SET, DIMENSIONS, type RuleSet } from '../../../src/domain/rule-set'
import { precheck } from '../../../src/domain/rules'
import type { Doc, Ports } from '../../ports'
import { COLLECTIONS } from '../../schema'
import {
  PUBLISHED_RULES,
  decisionSummary,
  publishedRules,
  seedRuleVersions,
  type DecisionSummary,
  type ProfileDoc,
  type PublishedDoc,
  type VersionDoc,
} from '../rule-versions'
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
  await seedRuleVersions(ports)
  const docs = await ports.store.query<VersionDoc>(COLLECTIONS.versions, {
    index: 'byAt',
    eq: 1,
    order: 'desc',
    limit: 200,
  })
  // Newest first; versions made at the same moment by their number.
  return ok(
    docs
      .sort((a, b) => b.data.createdAt - a.data.createdAt || b.id.localeCompare(a.id, 'en', { numeric: true }))
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
    if (Number.isInteger(like) && !Number.isInteger(body)) return `${path}：须为整数`
    if (DIVISORS.has(key) && body <= 0) return `${path}：须大于 0（规则以它为除数）`
    return null
  }
  if (typeof like === 'string') return body === like ? null : `${path}：名称和类型不能修改（应为 ${like}）`
  if (typeof like !== 'object' || like === null) return typeof body === typeof like ? null : `${path}：类型不对`
  if (typeof body !== 'object' || body === null || Array.isArray(like) !== Array.isArray(body))
    return `${path}：类型不对`
  if (Array.isArray(like)) {
    const b = body as unknown[]
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

/**
 * The draft decided on up to 200 stored profiles: a limit or a rate that is not a whole
 * non-negative number, or a score that is not finite, is a draft the engine cannot run on.
 */
async function decidesSanely(ports: Ports, rules: RuleSet, now: number): Promise<string | null> {
  const sample = await ports.store.query<ProfileDoc>(COLLECTIONS.decisionProfiles, {
    index: 'byAt',
    eq: 1,
    order: 'desc',
    limit: 200,
  })
  for (const p of sample) {
    let evaluation: ReturnType<typeof precheck>
    try {
      evaluation = precheck(p.data.profile, rules, now)
    } catch (error) {
      return `规则在已存画像上运行出错：${error instanceof Error ? error.message : String(error)}`
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

export async function draft(
  ports: Ports,
  caller: OperatorCaller,
  input: ConsoleInput<'versions.draft'>,
): Promise<ApiResult<VersionView>> {
  await seedRuleVersions(ports)
  const current = await publishedRules(ports)
  const body = { ...(input.body as Record<string, unknown>), version: current.version }
  const problem = shapeProblem(current, body)
  if (problem)
    return fail('INVALID_INPUT', { field: 'body', message: `规则草稿的结构与已发布的规则不一致：${problem}` })
  const rules = body as unknown as RuleSet
  const weights = DIMENSIONS.reduce((s, d) => s + rules.weights[d], 0)
  if (weights !== 100)
    return fail('INVALID_INPUT', {
      field: 'body.weights',
      message: `四个维度的权重之和须为 100（现在是 ${weights}）。`,
    })
  const now = ports.clock.now()
  const insane = await decidesSanely(ports, rules, now)
  if (insane) return fail('INVALID_INPUT', { field: 'body', message: `这份规则草稿不能用于决定：${insane}。` })
  const day = chinaDateString(now)
  const existing = await ports.store.query<VersionDoc>(COLLECTIONS.versions, { index: 'byAt', eq: 1, limit: 1000 })
  for (let n = existing.filter((v) => v.id.startsWith(`rules/${day}.`)).length + 1; n < 1000; n++) {
    const version = `rules/${day}.${n}`
    const doc: VersionDoc = {
      kind: 'rules',
      version,
      body: { ...rules, version },
      state: 'draft',
      note: input.note ?? '',
      createdBy: caller.username,
      createdAt: now,
      publishRequestedBy: null,
      publishedBy: null,
      publishedAt: null,
      all: 1,
    }
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

/** Runs the draft and the published rule set on the stored profiles (newest first) and counts what would change. */
export async function simulate(
  ports: Ports,
  _caller: OperatorCaller,
  input: ConsoleInput<'versions.simulate'>,
): Promise<ApiResult<Simulation>> {
  const started = performance.now()
  const doc = await ports.store.get<VersionDoc>(COLLECTIONS.versions, input.versionId)
  if (!doc) return fail('NOT_FOUND', { field: 'versionId' })
  const current = await publishedRules(ports)
  const draftRules = doc.data.body
  const want = input.sample ?? 100_000
  const now = ports.clock.now()
  const byProduct = Object.fromEntries(
    PRODUCT_IDS.map((p) => [
      p,
      { changed: 0, nowEligible: 0, nowRefused: 0, limitUp: 0, limitDown: 0, rateChanged: 0 },
    ]),
  ) as Simulation['byProduct']
  const examples: Simulation['examples'] = []
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
      // What the published version decided on it is kept with it; decided again only under another version.
      const before =
        p.data.decided?.version === current.version
          ? p.data.decided.products
          : precheck(p.data.profile, current, now).products.map(decisionSummary)
      const after = precheck(p.data.profile, draftRules, now).products
      for (const a of after) {
        const b = before.find((x) => x.product === a.product)!
        const n = decisionSummary(a)
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
    against: current.version,
    profiles,
    byProduct,
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
    const pointer = await tx.get<PublishedDoc>(COLLECTIONS.meta, PUBLISHED_RULES)
    const previous = pointer?.data.versionId
    if (previous && previous !== v.id) {
      const old = await tx.get<VersionDoc>(COLLECTIONS.versions, previous)
      if (old) await tx.update(COLLECTIONS.versions, old.id, old.version, { ...old.data, state: 'superseded' })
    } else if (!previous) {
      // The compiled default was in force: it is superseded too.
      const seeded = await tx.get<VersionDoc>(COLLECTIONS.versions, DEFAULT_RULE_SET.version)
      if (seeded && seeded.id !== v.id)
        await tx.update(COLLECTIONS.versions, seeded.id, seeded.version, { ...seeded.data, state: 'superseded' })
    }
    const next: PublishedDoc = { versionId: v.id, at: now }
    if (pointer) await tx.update(COLLECTIONS.meta, PUBLISHED_RULES, pointer.version, next)
    else await tx.insert(COLLECTIONS.meta, PUBLISHED_RULES, next)
    const published = { ...v.data, state: 'published' as const, publishedBy: caller.username, publishedAt: now }
    await tx.update(COLLECTIONS.versions, v.id, v.version, published)
    return published
  })
  if (!done) return fail('CASE_CLOSED', { message: '该版本已经发布过。' })
  const after = await ports.store.get<VersionDoc>(COLLECTIONS.versions, doc.id)
  return ok(view(after ?? { ...doc, data: done }))
}
