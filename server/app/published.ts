// The rule set and the product catalog as published data: versions in the Store, the compiled
// defaults the first ones. New decisions (the pre-check, a line's opening, a drawdown's post-loan
// check) read the published rule set and price with the published catalog; every decision records
// the versions it used, and nothing decided before changes — a line lends on the catalog it was
// opened under (its contract's fees), a loan keeps its own fee terms. The profiles decisions were
// made on are kept (the latest per person, under a keyed hash), so a draft can be simulated on them
// before it is published.
import type { ProductDecisionSummary, VersionView } from '../../src/api/console'
import { DEFAULT_CATALOG, type Catalog, type ProductId } from '../../src/domain/catalog'
import type { CreditProfile } from '../../src/domain/credit-profile'
import type { Evaluation, ProductDecision } from '../../src/domain/rules'
import { DEFAULT_RULE_SET, type RuleSet } from '../../src/domain/rule-set'
import type { Ports } from '../ports'
import { COLLECTIONS } from '../schema'

export const VERSION_KINDS = ['rules', 'catalog'] as const
export type VersionKind = (typeof VERSION_KINDS)[number]
export interface Bodies {
  rules: RuleSet
  catalog: Catalog
}

/**
 * A version as stored: the console's view of it (state, note, who and when; the first admin's
 * publish is `publishRequestedBy`, a second admin confirms it — four eyes), with its typed body.
 */
export interface VersionDoc<K extends VersionKind = VersionKind> extends Omit<
  VersionView,
  'versionId' | 'kind' | 'body'
> {
  kind: K
  version: string
  body: Bodies[K]
  /** Always 1: the versions list by time. */
  all: 1
}

/** What is published now (one document per kind): the version new decisions use. */
export interface PublishedDoc {
  versionId: string
  at: number
}

/** The compiled defaults: each kind's first published version. */
export const DEFAULTS: { [K in VersionKind]: Bodies[K] } = { rules: DEFAULT_RULE_SET, catalog: DEFAULT_CATALOG }
export const PUBLISHED: Record<VersionKind, string> = { rules: 'published:rules', catalog: 'published:catalog' }
export const versionDocId = (version: string) => version

/** Published bodies never change: kept by id once read, per Store (another Store may name another body alike). */
const kept = new WeakMap<object, Map<string, RuleSet | Catalog>>()
const keptFor = (store: object) => {
  let m = kept.get(store)
  if (!m) kept.set(store, (m = new Map()))
  return m
}

/** A version that is or was published (never a draft: no decision reads one), or null. */
async function bodyOf<K extends VersionKind>(
  ports: Pick<Ports, 'store'>,
  kind: K,
  id: string,
): Promise<Bodies[K] | null> {
  const bodies = keptFor(ports.store)
  // Keyed by kind too: a rule set's id asked for as a catalog is not one.
  const key = `${kind}:${id}`
  const known = bodies.get(key)
  if (known) return known as Bodies[K]
  const doc = await ports.store.get<VersionDoc<K>>(COLLECTIONS.versions, id)
  // The stored body first: what was seeded under a compiled version is what was decided by, even if
  // the compiled default was later edited; the compiled one answers only before it is stored.
  const body = doc
    ? doc.data.kind === kind && (doc.data.state === 'published' || doc.data.state === 'superseded')
      ? doc.data.body
      : null
    : id === DEFAULTS[kind].version
      ? DEFAULTS[kind]
      : null
  if (body) bodies.set(key, body)
  return body
}

async function published<K extends VersionKind>(ports: Pick<Ports, 'store'>, kind: K): Promise<Bodies[K]> {
  const pointer = await ports.store.get<PublishedDoc>(COLLECTIONS.meta, PUBLISHED[kind])
  if (!pointer) return DEFAULTS[kind]
  return (await bodyOf(ports, kind, pointer.data.versionId)) ?? DEFAULTS[kind]
}

/** The rule set new decisions use: the published version, or the compiled default before any is published. */
export const publishedRules = (ports: Pick<Ports, 'store'>): Promise<RuleSet> => published(ports, 'rules')

/** The catalog new lines open under and pre-checks price with: the published version, or the compiled default. */
export const publishedCatalog = (ports: Pick<Ports, 'store'>): Promise<Catalog> => published(ports, 'catalog')

/** A catalog version that is or was published, as the borrower's app reads it (credit.catalog); null for any other. */
export const catalogVersion = (ports: Pick<Ports, 'store'>, version: string): Promise<Catalog | null> =>
  bodyOf(ports, 'catalog', version)

/**
 * The catalog a line was opened under: its drawdowns are priced by it, as its contract states.
 * A version no line could have been opened under (never published) is a fault, not a default.
 */
export async function catalogAt(ports: Pick<Ports, 'store'>, version: string): Promise<Catalog> {
  const catalog = await bodyOf(ports, 'catalog', version)
  if (!catalog) throw new Error(`catalog version ${version} is not in the versions collection`)
  return catalog
}

/** The compiled defaults as the first published versions (once; later starts find them). */
export async function seedVersions(ports: Pick<Ports, 'store' | 'clock'>): Promise<void> {
  const now = ports.clock.now()
  for (const kind of VERSION_KINDS) {
    const body = DEFAULTS[kind]
    await ports.store.insert<VersionDoc>(COLLECTIONS.versions, versionDocId(body.version), {
      kind,
      version: body.version,
      body,
      state: 'published',
      note: kind === 'rules' ? '编译内置的默认规则（首个发布版本）' : '编译内置的默认产品目录（首个发布版本）',
      createdBy: 'seed',
      createdAt: now,
      publishRequestedBy: null,
      publishedBy: 'seed',
      publishedAt: now,
      all: 1,
    })
  }
}

export interface ProfileDoc {
  all: 1
  /** Its own id again: the key simulations page by. */
  key: string
  at: number
  profile: CreditProfile
  /**
   * What the rules decided on it, under which rule set and catalog (before catalogs were published
   * data: the compiled one): a simulation against those versions reads it instead of deciding again.
   */
  decided?: { version: string; catalog?: string; products: DecisionSummary[] }
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
    decided: {
      version: evaluation.ruleSetVersion,
      catalog: evaluation.catalogVersion,
      products: evaluation.products.map(decisionSummary),
    },
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
