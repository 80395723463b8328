// The product catalog as the server publishes it (credit.catalog): the app shows and previews with
// the version the server decided with — the pre-check's, a line's (its drawdowns are priced by the
// catalog it was opened under) — or, before any decision, the one published now. A version never
// changes, so each is asked for once; a failed ask is asked again.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react'
import type { ApiError, ApiResult } from '../api'
import type { Catalog, ProductId, ProductSpec } from '../domain/catalog'
import { call } from './cloud'

/** Each version fetched, by version; PUBLISHED: the one published when this session first asked. */
const byVersion = new Map<string, Catalog>()
const asking = new Map<string, Promise<ApiResult<Catalog>>>()
/** The key the published catalog is asked under (a version is never empty). */
export const PUBLISHED = ''

/** The catalog of `version` (PUBLISHED: the one published now), from the server once per app session. */
export function fetchCatalog(version: string): Promise<ApiResult<Catalog>> {
  const known = byVersion.get(version)
  if (known) return Promise.resolve({ ok: true, data: known })
  const pending = asking.get(version)
  if (pending) return pending
  const asked = call('credit', 'catalog', version === PUBLISHED ? {} : { version }).then((r) => {
    asking.delete(version)
    if (r.ok) {
      byVersion.set(r.data.version, r.data)
      byVersion.set(version, r.data)
    }
    return r
  })
  asking.set(version, asked)
  return asked
}

/** Forgets what was fetched (tests; a new app session starts empty). */
export function forgetCatalogs(): void {
  byVersion.clear()
  asking.clear()
}

export interface CatalogsState {
  /** Every version asked for, by version (PUBLISHED too), once all have arrived; null until then. */
  catalogs: Record<string, Catalog> | null
  error: ApiError | null
  reload: () => Promise<void>
}

/**
 * The catalogs of `versions` (null or undefined ones are skipped: not known yet). Arrived ones are
 * answered at once, on the first render, when this session has them already.
 */
export function useCatalogs(versions: ReadonlyArray<string | null | undefined>): CatalogsState {
  const wanted = useMemo(
    () => [...new Set(versions.filter((v): v is string => typeof v === 'string'))].sort(),
    // The versions' text is what matters, not the array's identity; JSON keeps a version not known
    // yet (null) apart from the published one (''), so the first answer after sign-in is asked for.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [JSON.stringify(versions)],
  )
  const fromCache = (): Record<string, Catalog> | null => {
    const out: Record<string, Catalog> = {}
    for (const v of wanted) {
      const c = byVersion.get(v)
      if (!c) return null
      out[v] = c
    }
    return out
  }
  const [state, setState] = useState<{ catalogs: Record<string, Catalog> | null; error: ApiError | null }>(() => ({
    catalogs: fromCache(),
    error: null,
  }))
  const alive = useRef(true)
  // The set asked for now: an answer for an earlier set (one that lands after the next was asked
  // for) is dropped, never put in its place.
  const latest = useRef(wanted)
  latest.current = wanted
  useEffect(
    () => () => {
      alive.current = false
    },
    [],
  )
  const load = useCallback(async () => {
    const results = await Promise.all(wanted.map((v) => fetchCatalog(v)))
    if (!alive.current || latest.current !== wanted) return
    const failed = results.find((r): r is Extract<ApiResult<Catalog>, { ok: false }> => !r.ok)
    if (failed) {
      setState({ catalogs: null, error: failed.error })
      return
    }
    const out: Record<string, Catalog> = {}
    wanted.forEach((v, i) => {
      const r = results[i]
      if (r.ok) out[v] = r.data
    })
    setState((s) => (s.catalogs && sameCatalogs(s.catalogs, out) ? s : { catalogs: out, error: null }))
  }, [wanted])
  useEffect(() => {
    void load()
  }, [load])
  const reload = useCallback(async () => {
    setState((s) => ({ ...s, error: null }))
    await load()
  }, [load])
  // Only the set asked for now: catalogs of an earlier set are not answered for a new one.
  const catalogs = state.catalogs && wanted.every((v) => v in state.catalogs!) ? state.catalogs : null
  return { catalogs, error: state.error, reload }
}

const sameCatalogs = (a: Record<string, Catalog>, b: Record<string, Catalog>) =>
  Object.keys(a).length === Object.keys(b).length && Object.keys(b).every((k) => a[k] === b[k])

/** One catalog: `version` as named (PUBLISHED: the one published now); null version: not known yet. */
export function useCatalog(version: string | null | undefined): {
  catalog: Catalog | null
  error: ApiError | null
  reload: () => Promise<void>
} {
  const s = useCatalogs([version])
  const catalog = s.catalogs && typeof version === 'string' ? (s.catalogs[version] ?? null) : null
  return { catalog, error: s.error, reload: s.reload }
}

/**
 * The product as the catalog of `version` states it (null until it has arrived, or when unknown),
 * and the error that kept it from arriving: its fees are never left out without saying so.
 */
export function useProductSpec(
  version: string | null | undefined,
  product: ProductId,
): { spec: ProductSpec | null; error: ApiError | null; reload: () => Promise<void> } {
  const c = useCatalog(version)
  return { spec: c.catalog?.products[product] ?? null, error: c.error, reload: c.reload }
}
