// The offer builder for one product: a drawdown against its open line — amount (within what the
// line has available), term, repayment mode and purpose — and a live preview priced on the device
// by the same priceOffer the server runs, with the catalog the line was opened under, at the line's
// rate and under the server's APR cap. State is the four choices only; everything else is derived
// (and memoized), so a tap is one state update and the schedule never sits in state.
import { useCallback, useEffect, useMemo, useState } from 'react'
import type { ApiError, LineView, PrecheckResult, Purpose } from '../api'
import { fixedByAgreements } from '../api/errors'
import { isProductId, nearestMonths, type ModeTerms, type ProductSpec, type RepaymentMode } from '../domain/catalog'
import { formatYuan, parseYuan } from '../domain/money'
import { DEFAULT_APR_CAP_PERCENT, priceOffer, termAllowed, type PricingResult } from '../domain/pricing'
import { reason, type Reason } from '../domain/reasons'
import { type ProductDecision } from '../domain/rules'
import { DEFAULT_RULE_SET } from '../domain/rule-set'
import type { Term } from '../domain/schedule'
import { useCatalog } from '../services/catalog'
import { go } from '../services/nav'
import { useCloudQuery } from './use-cloud'
import { lineRatePpm, useLine } from './use-line'
import { verdictOf, type Verdict } from './use-products'

export type { Purpose }

/** −/+ move the amount by this much (¥100), to the next whole step. */
export const AMOUNT_STEP_FEN = 10_000
/** The default amount before the user picks one (within the limit). */
const DEFAULT_AMOUNT_FEN = 100_000
/**
 * The term the builder opens with (or the nearest the mode offers): six months, because the
 * shorter terms of a fee-bearing product are the likeliest to be over the APR cap.
 */
const DEFAULT_MONTHS = 6
/** Day terms offered for 随借随还, within the catalog's day range. */
const DAY_CHOICES = [7, 14, 30, 60, 90, 180, 365]

export interface Draft {
  /** The amount as typed, in yuan; null until the user sets one (the default follows the limit). */
  amountText: string | null
  mode: RepaymentMode
  term: Term
  purpose: Purpose
}

/** '1000' for 100000 fen, '1000.5' for 100050: what the amount field shows. */
export function fenToInput(fen: number): string {
  return formatYuan(fen)
    .replace(/\.00$/, '')
    .replace(/(\.\d)0$/, '$1')
}

export const termKey = (t: Term) => ('months' in t ? `m${t.months}` : `d${t.days}`)

export function termChoices(terms: ModeTerms): Term[] {
  if (terms.unit === 'months') return terms.months.map((months) => ({ months }))
  const days = new Set([...DAY_CHOICES, ...terms.previewDays].filter((d) => d >= terms.minDays && d <= terms.maxDays))
  return [...days].sort((a, b) => a - b).map((d) => ({ days: d }))
}

/** The term to keep when the mode changes: the same if the new mode offers it, else the nearest. */
export function termFor(terms: ModeTerms, current: Term): Term {
  if (termAllowed(terms, current)) return current
  if (terms.unit === 'days') return { days: terms.previewDays[0] ?? terms.minDays }
  const want = 'months' in current ? current.months : DEFAULT_MONTHS
  return { months: nearestMonths(terms.months, want) }
}

function initialDraft(spec: ProductSpec | null): Draft {
  const entries = spec ? (Object.entries(spec.modes) as Array<[RepaymentMode, ModeTerms]>) : []
  const [mode, terms] = entries[0] ?? ['flexible', { unit: 'days', minDays: 30, maxDays: 30, previewDays: [30] }]
  return { amountText: null, mode, term: termFor(terms, { months: DEFAULT_MONTHS }), purpose: 'consumption' }
}

const clamp = (x: number, lo: number, hi: number) => Math.max(lo, Math.min(hi, x))

export function useOfferBuilder(productParam: string | undefined) {
  const product = isProductId(productParam) ? productParam : null
  // The pre-check (soft data, no hard inquiry) gives the cap and, for a product not yet opened,
  // why it cannot be; the line gives the rate and what can be borrowed now. The whole
  // server-priced grid is not needed to preview one offer.
  const precheck = useCloudQuery('credit', 'precheck', {}, product !== null)
  const lineQuery = useLine(product)
  // The line lends by the catalog it was opened under; a product not opened, by the pre-check's.
  const catalogVersion = lineQuery.known
    ? (lineQuery.line?.catalogVersion ?? precheck.data?.catalogVersion ?? null)
    : null
  const catalogQuery = useCatalog(catalogVersion)
  const catalog = catalogQuery.catalog
  const spec = product && catalog ? (catalog.products[product] ?? null) : null
  const [draft, setDraft] = useState<Draft>(() => initialDraft(spec))
  // The catalog arrives after the first render: the choices start from what it offers.
  useEffect(() => {
    if (spec && !spec.modes[draft.mode]) setDraft((d) => ({ ...initialDraft(spec), amountText: d.amountText }))
  }, [spec, draft.mode])

  const decision: ProductDecision | null = precheck.data?.products.find((p) => p.product === product) ?? null
  const capPercent = precheck.data?.capPercent ?? DEFAULT_APR_CAP_PERCENT
  // Priced at the server's time, as the confirm page and the application will be.
  const disbursedAt = precheck.data?.serverTime ?? null
  const line: LineView | null = lineQuery.line
  const drawable = line?.state === 'active'

  // The amount range: the catalog minimum up to what the line has available (never above the
  // catalog maximum).
  const minFen = spec?.limitFen.min ?? 0
  const maxFen = spec && line && drawable ? Math.min(line.availableFen, spec.limitFen.max) : minFen
  const defaultFen = clamp(DEFAULT_AMOUNT_FEN, minFen, maxFen)
  const amountText = draft.amountText ?? fenToInput(defaultFen)
  const amountFen = parseYuan(amountText)
  const amountProblem: 'invalid' | 'range' | null =
    amountFen === null ? 'invalid' : amountFen < minFen || amountFen > maxFen ? 'range' : null

  // The line's rate: what the server prices a drawdown on it with.
  const rate = line && drawable ? (lineRatePpm(line) ?? undefined) : undefined
  const preview: PricingResult | null = useMemo(() => {
    if (!catalog || !spec || rate === undefined || disbursedAt === null || amountFen === null || amountProblem !== null)
      return null
    return priceOffer(
      { product: spec.id, amountFen, term: draft.term, mode: draft.mode, dailyRatePpm: rate, capPercent, disbursedAt },
      catalog,
    )
  }, [catalog, spec, amountFen, amountProblem, draft.term, draft.mode, rate, capPercent, disbursedAt])

  // Over the cap: the terms of the same mode that stay under it, for the same amount.
  const withinCap: Term[] = useMemo(() => {
    if (!preview || preview.ok || preview.error.code !== 'APR_OVER_CAP') return []
    const terms = spec?.modes[draft.mode]
    if (!catalog || !spec || !terms || amountFen === null || disbursedAt === null) return []
    return termChoices(terms).filter(
      (term) =>
        priceOffer(
          { product: spec.id, amountFen, term, mode: draft.mode, dailyRatePpm: rate, capPercent, disbursedAt },
          catalog,
        ).ok,
    )
  }, [catalog, spec, amountFen, preview, draft.mode, rate, capPercent, disbursedAt])

  const modes = useMemo(() => (spec ? (Object.keys(spec.modes) as RepaymentMode[]) : []), [spec])
  const terms = useMemo(() => {
    const t = spec?.modes[draft.mode]
    return t ? termChoices(t) : []
  }, [spec, draft.mode])
  const amountPresets = useMemo(
    () => (spec ? spec.amountStepsFen.filter((f) => f >= minFen && f <= maxFen) : []),
    [spec, minFen, maxFen],
  )

  const setAmountText = useCallback((text: string) => setDraft((d) => ({ ...d, amountText: text })), [])
  const pickAmount = useCallback((fen: number) => setDraft((d) => ({ ...d, amountText: fenToInput(fen) })), [])
  const stepAmount = useCallback(
    (dir: 1 | -1) =>
      setDraft((d) => {
        const current = parseYuan(d.amountText ?? fenToInput(defaultFen)) ?? minFen
        const stepped =
          dir > 0
            ? (Math.floor(current / AMOUNT_STEP_FEN) + 1) * AMOUNT_STEP_FEN
            : (Math.ceil(current / AMOUNT_STEP_FEN) - 1) * AMOUNT_STEP_FEN
        return { ...d, amountText: fenToInput(clamp(stepped, minFen, maxFen)) }
      }),
    [defaultFen, minFen, maxFen],
  )
  const pickMode = useCallback(
    (mode: RepaymentMode) =>
      setDraft((d) => {
        const t = spec?.modes[mode]
        return t ? { ...d, mode, term: termFor(t, d.term) } : d
      }),
    [spec],
  )
  const pickTerm = useCallback((term: Term) => setDraft((d) => ({ ...d, term })), [])
  const pickPurpose = useCallback((purpose: Purpose) => setDraft((d) => ({ ...d, purpose })), [])

  const purposeRefused: Reason | null = DEFAULT_RULE_SET.risk.refusedPurposes.includes(draft.purpose)
    ? reason('PURPOSE_REFUSED')
    : null
  const verdict: Verdict | null = decision ? verdictOf(decision) : null
  const pending = decision?.pendingSteps ?? []
  const canContinue = drawable && pending.length === 0 && preview?.ok === true && purposeRefused === null

  const next = useCallback(() => {
    if (!canContinue || !product || amountFen === null) return
    const t = draft.term
    void go('confirm', {
      product,
      amountFen,
      ...('months' in t ? { termMonths: t.months } : { termDays: t.days }),
      mode: draft.mode,
      purpose: draft.purpose,
    })
  }, [canContinue, product, amountFen, draft])

  const reloadPrecheck = precheck.reload
  const reloadLine = lineQuery.reload
  const reloadCatalog = catalogQuery.reload
  const reload = useCallback(async () => {
    await Promise.all([reloadPrecheck(), reloadLine(), reloadCatalog()])
  }, [reloadPrecheck, reloadLine, reloadCatalog])
  const error: ApiError | null = precheck.error ?? lineQuery.error ?? catalogQuery.error
  const data: { precheck: PrecheckResult; line: LineView | null } | null =
    precheck.data && lineQuery.known && catalog ? { precheck: precheck.data, line } : null

  return {
    product,
    spec,
    query: { loading: precheck.loading || lineQuery.loading || (data === null && error === null), data, error, reload },
    needsAgreements: fixedByAgreements(error),
    decision,
    verdict,
    /** The product's line: null when never opened. */
    line,
    /** The line is active and what it has available reaches the catalog minimum. */
    canDraw: drawable && maxFen >= minFen,
    capPercent,
    draft,
    amount: { text: amountText, fen: amountFen, problem: amountProblem, minFen, maxFen, presets: amountPresets },
    setAmountText,
    pickAmount,
    stepAmount,
    modes,
    pickMode,
    terms,
    pickTerm,
    pickPurpose,
    purposeRefused,
    preview,
    withinCap,
    canContinue,
    next,
  }
}
