// The entry page's state: which merchant sent the user (if any), where they are in opening, and
// for each product whether it can be opened — from the server's pre-check once the user is
// verified, otherwise from the published catalog alone.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react'
import Taro, { useDidShow, useRouter } from '@tarojs/taro'
import type { ApiError, LineView, MerchantView, OnboardingStatus, PrecheckResult } from '../api'
import { PRODUCT_IDS, type Catalog, type ProductId } from '../domain/catalog'
import { ppmToPercent } from '../domain/money'
import { DEFAULT_APR_CAP_PERCENT, offerGrid } from '../domain/pricing'
import { readScene } from '../domain/scene'
import { pageUrl, resumePage } from '../routes'
import { PUBLISHED, useCatalog } from '../services/catalog'
import { call } from '../services/cloud'
import { platform } from '../services/platform'
import { LINE_CEILING_FEN } from '../domain/figures'
import { PENDING_STEP_NAMES } from '../ui/product-text'
import { isStanding } from '../domain/line'

export interface ProductGlance {
  product: ProductId
  name: string
  invitationOnly: boolean
  limitFen: { min: number; max: number }
  /** The catalog's range goes above the line ceiling: shown up to the ceiling, which is said. */
  limitClipped: boolean
  dailyRatePercent: { min: number; max: number }
  /** The APRs of the offers under the cap (an offer over it is not offered); null when none is under it. */
  aprPercent: { min: number; max: number } | null
  /** Some of the catalog's offers are over the cap and not offered. */
  clipped: boolean
  /** null until the user is verified and pre-checked. */
  verdict: { open: boolean; pending: string[]; firstReason: string | null; limitFen: number } | null
}

type AprRange = { min: number; max: number; clipped: boolean }

/** The annualized rates the catalog's offers have under the cap, cheapest to dearest rate. */
function catalogAprRanges(catalog: Catalog, now: number, capPercent: number): Record<ProductId, AprRange> {
  const ranges = {} as Record<ProductId, AprRange>
  const range = (id: ProductId) => (ranges[id] ??= { min: Infinity, max: -Infinity, clipped: false })
  for (const rate of ['min', 'max'] as const) {
    const products = Object.fromEntries(
      PRODUCT_IDS.map((id) => [id, { dailyRatePpm: catalog.products[id].dailyRatePpm[rate] }]),
    )
    const grid = offerGrid({ products }, { disbursedAt: now, capPercent }, catalog)
    for (const offer of grid.offers) {
      const r = range(offer.product)
      r.min = Math.min(r.min, offer.aprPercent)
      r.max = Math.max(r.max, offer.aprPercent)
    }
    for (const refused of grid.refused) range(refused.product).clipped = true
  }
  return ranges
}

/** Each product at a glance, by `catalog` (the one the pre-check decided with, or the published one). */
export function glance(catalog: Catalog, evaluation: PrecheckResult | null, now: number): ProductGlance[] {
  const capPercent = evaluation?.capPercent ?? DEFAULT_APR_CAP_PERCENT
  const aprs = catalogAprRanges(catalog, now, capPercent)
  return PRODUCT_IDS.map((id) => {
    const spec = catalog.products[id]
    const d = evaluation?.products.find((p) => p.product === id)
    const ceiling = evaluation?.lineCeilingFen ?? LINE_CEILING_FEN
    return {
      product: id,
      name: spec.name,
      invitationOnly: spec.opens === 'invitation',
      limitFen: { min: spec.limitFen.min, max: Math.min(spec.limitFen.max, ceiling) },
      limitClipped: spec.limitFen.max > ceiling,
      dailyRatePercent: { min: ppmToPercent(spec.dailyRatePpm.min), max: ppmToPercent(spec.dailyRatePpm.max) },
      aprPercent: aprs[id] && aprs[id].min <= aprs[id].max ? { min: aprs[id].min, max: aprs[id].max } : null,
      clipped: aprs[id]?.clipped ?? false,
      verdict: d
        ? {
            open: d.eligible,
            pending: d.pendingSteps.map((s) => PENDING_STEP_NAMES[s]),
            firstReason: d.reasons[0]?.title ?? null,
            limitFen: d.limitFen,
          }
        : null,
    }
  })
}

/** The lines home shows: open (active, frozen) or in review. */

export function useEntry(signedIn: boolean) {
  const router = useRouter()
  const [merchant, setMerchant] = useState<MerchantView | null>(null)
  const [status, setStatus] = useState<OnboardingStatus | null>(null)
  const [evaluation, setEvaluation] = useState<PrecheckResult | null>(null)
  const [lines, setLines] = useState<LineView[]>([])
  const [starting, setStarting] = useState(false)
  const [error, setError] = useState<ApiError | null>(null)
  const scene = readScene(platform.entryScene(router.params)) ?? ''

  useEffect(() => {
    if (!signedIn || scene === '') return
    let alive = true
    // A merchant code that cannot be resolved changes nothing for the user: the flow is the same.
    void call('merchants', 'resolve', { scene: scene.slice(0, 256) }).then((r) => {
      if (alive && r.ok) setMerchant(r.data.merchant)
    })
    return () => {
      alive = false
    }
  }, [signedIn, scene])

  // Mounting and the first show both ask for a refresh: one request serves both.
  const refreshing = useRef(false)
  const refresh = useCallback(async () => {
    if (refreshing.current) return
    refreshing.current = true
    const [s, l] = await Promise.all([call('onboarding', 'status', {}), call('lines', 'list', {})])
    // The lines opened (or in review): each with what can be borrowed now. A failed read leaves the
    // last one shown; the products page has the whole picture.
    if (l.ok) setLines(l.data.filter((line) => isStanding(line.state)))
    if (s.ok) {
      setStatus(s.data)
      // The pre-check needs the real-name check and the financial-data consent; before that the
      // catalog alone answers.
      if (s.data.next === 'precheck' && s.data.agreements.financialDataConsent) {
        const e = await call('credit', 'precheck', {})
        if (e.ok) setEvaluation(e.data)
      }
    }
    refreshing.current = false
  }, [])

  useEffect(() => {
    if (signedIn) void refresh()
  }, [signedIn, refresh])
  useDidShow(() => {
    if (signedIn) void refresh()
  })

  const start = useCallback(async () => {
    setStarting(true)
    setError(null)
    const result = await call('onboarding', 'status', {})
    setStarting(false)
    if (!result.ok) return setError(result.error)
    await Taro.navigateTo({ url: pageUrl(resumePage(result.data)) })
  }, [])

  // Priced at the server's time once it is known (the ranges hardly move with the date, but the
  // device clock is not the one the server prices with).
  const at = evaluation?.serverTime ?? status?.serverTime ?? null
  // The catalog the pre-check decided with; before one, the published catalog.
  const catalog = useCatalog(signedIn ? (evaluation?.catalogVersion ?? PUBLISHED) : null)
  const shown = catalog.catalog
  const products = useMemo(() => (shown ? glance(shown, evaluation, at ?? Date.now()) : null), [shown, evaluation, at])
  const stage: 'new' | 'onboarding' | 'ready' =
    status === null || status.next === 'agreements' ? 'new' : resumePage(status) === 'products' ? 'ready' : 'onboarding'

  const capPercent = evaluation?.capPercent ?? DEFAULT_APR_CAP_PERCENT
  return {
    merchant,
    start,
    starting,
    error,
    /** null until the catalog has arrived (catalogError: it could not be read). */
    products,
    catalogError: catalog.error,
    reloadCatalog: catalog.reload,
    stage,
    capPercent,
    lines,
  }
}
