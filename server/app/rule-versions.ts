// The rule set as published data: versions in the Store, the compiled default the first one. New
// decisions (the pre-check, a line's opening, a drawdown's post-loan check) read the published
// version; every decision records the version it used, and nothing decided before changes. The
// profiles decisions were made on are kept (the latest per person, under a keyed hash), so a draft
// can be simulated on them before it is published.
import type { ProductDecisionSummary } from '../../src/api/console'
import type { ProductId } from '../../src/domain/catalog'
import type { CreditProfile } from '../../src/domain/credit-profile'
import type { Evaluation, ProductDecision } from '../../src/domain/rules'
import { DEFAULT_RULE_SET, type RuleSet } from '../../src/domain/rule-set'
import type { Ports } from '../ports'
import { COLLECTIONS } from '../schema'

export interface VersionDoc {
  kind: 'rules'
  version: string
  body: RuleSet
  state: 'draft' | 'pending' | 'published' | 'superseded'
  note: string
  createdBy: string
  createdAt: number
  /** The first admin's publish: a second admin confirms it (four eyes). */
  publishRequestedBy: string | null
  publishedBy: string | null
  publishedAt: number | null
  /** Always 1: the versions list by time. */
  all: 1
}

/** What is published now (one document): the version new decisions use. */
export interface PublishedDoc {
  versionId: string
  at: number
}

export const PUBLISHED_RULES = 'published:rules'
export const versionDocId = (version: string) => version

/** Published bodies never change: kept by id once read. */
const bodies = new Map<string, RuleSet>()

/** The rule set new decisions use: the published version, or the compiled default before any is published. */
export async function publishedRules(ports: Pick<Ports, 'store'>): Promise<RuleSet> {
  const pointer = await ports.store.get<PublishedDoc>(COLLECTIONS.meta, PUBLISHED_RULES)
  if (!pointer) return DEFAULT_RULE_SET
  const id = pointer.data.versionId
  const known = bodies.get(id)
  if (known) return known
  const doc = await ports.store.get<VersionDoc>(COLLECTIONS.versions, id)
  if (!doc) return DEFAULT_RULE_SET
  bodies.set(id, doc.data.body)
  return doc.data.body
}

/** The compiled default as the first published version (once; later starts find it). */
export async function seedRuleVersions(ports: Pick<Ports, 'store' | 'clock'>): Promise<void> {
  const now = ports.clock.now()
  await ports.store.insert<VersionDoc>(COLLECTIONS.versions, versionDocId(DEFAULT_RULE_SET.version), {
    kind: 'rules',
    version: DEFAULT_RULE_SET.version,
    body: DEFAULT_RULE_SET,
    state: 'published',
    note: '编译内置的默认规则（首个发布版本）',
    createdBy: 'seed',
    createdAt: now,
    publishRequestedBy: null,
    publishedBy: 'seed',
    publishedAt: now,
    all: 1,
  })
}

export interface ProfileDoc {
  all: 1
  /** Its own id again: the key simulations page by. */
  key: string
  at: number
  profile: CreditProfile
  /** What the rules decided on it, under which version: a simulation against that version reads it instead of deciding again. */
  decided?: { version: string; products: DecisionSummary[] }
}

/** A product's decision as a simulation compares it (the contract's summary, with its product). */
export type DecisionSummary = ProductDecisionSummary & { product: ProductId }

/** A product decision as a simulation compares it: refused is refused, whatever limit the rules computed. */
export const decisionSummary = (
  d: Pick<ProductDecision, 'product' | 'eligible' | 'limitFen' | 'dailyRatePpm'>,
): DecisionSummary => ({
  product: d.product,
  eligible: d.eligible,
  limitFen: d.eligible ? d.limitFen : 0,
  dailyRatePpm: d.eligible ? d.dailyRatePpm : 0,
})

/** The profile a decision was made on: the latest per person, kept for simulating rule drafts. */
export async function keepProfile(
  ports: Ports,
  openid: string,
  profile: CreditProfile,
  evaluation: Evaluation,
): Promise<void> {
  const id = ports.secrets.keyedHash('decision-profile', openid)
  const data: ProfileDoc = {
    all: 1,
    key: id,
    at: ports.clock.now(),
    profile,
    decided: { version: evaluation.ruleSetVersion, products: evaluation.products.map(decisionSummary) },
  }
  for (let i = 0; i < 3; i++) {
    const doc = await ports.store.get<ProfileDoc>(COLLECTIONS.decisionProfiles, id)
    const done = doc
      ? await ports.store.update(COLLECTIONS.decisionProfiles, id, doc.version, data)
      : await ports.store.insert(COLLECTIONS.decisionProfiles, id, data)
    if (done.ok) return
  }
}

export const profileDocId = (ports: Pick<Ports, 'secrets'>, openid: string) =>
  ports.secrets.keyedHash('decision-profile', openid)
