// The credit line (额度) on screen: one product's line as the server keeps it (or none: never
// opened), its history (额度记录), and opening it — the line contract (授信合同) read and signed,
// then the per-query consent (授信审批) and the opening, each safe to retry, the consent kept
// across a retry so the retry is the same request.
import { useCallback, useMemo, useRef, useState } from 'react'
import type { ApiError, LineView } from '../api'
import { isProductId, type ProductId } from '../domain/catalog'
import { parsePercentToPpm, type Ppm } from '../domain/money'
import { useAdvice, type AdviceContext } from './advice'
import { useCloudMutation, useCloudQuery, useReloadOnShow } from './use-cloud'
import { CONTRACT_AGAIN, mendedByRetry, useContractToSign } from './use-contract'
import { isStanding } from '../domain/line'

/** Any product: the input a disabled query carries (it is never sent). */
const NONE: ProductId = 'we2000'

/** The product a page's link names (`?product=`), or null. */
export const productOf = (param: string | undefined): ProductId | null => (isProductId(param) ? param : null)

/** The line's daily rate in ppm, as the device prices a drawdown on it (the server prices it again). */
export function lineRatePpm(line: Pick<LineView, 'dailyRatePercent'>): Ppm | null {
  return parsePercentToPpm(String(line.dailyRatePercent))
}

/**
 * One product's line, reloaded when the page shows again. `line` is null both while loading and
 * when the product was never opened (`notOpened`: the server's NOT_FOUND is an answer, not an error).
 */
export function useLine(product: ProductId | null) {
  const q = useCloudQuery('lines', 'get', { product: product ?? NONE }, product !== null)
  useReloadOnShow(q.reload)
  const notOpened = q.error?.code === 'NOT_FOUND'
  return {
    loading: q.loading,
    line: notOpened ? null : q.data,
    notOpened,
    error: notOpened ? null : q.error,
    reload: q.reload,
    /** Known: loaded, or known never to have been opened. */
    known: !q.loading && (notOpened || q.data !== null),
  }
}

/** The line page: the line and its history, both reloaded when the page shows again. */
export function useLinePage(product: ProductId | null) {
  const line = useLine(product)
  const history = useCloudQuery('lines', 'history', { product: product ?? NONE }, product !== null)
  useReloadOnShow(history.reload)
  const reloadLine = line.reload
  const reloadHistory = history.reload
  const reload = useCallback(async () => {
    await Promise.all([reloadLine(), reloadHistory()])
  }, [reloadLine, reloadHistory])
  // Automatic debit's switch: on asks the borrower's explicit tap; the answer is the line as it is now.
  const switchMutation = useCloudMutation('lines', 'autoDebit')
  const runSwitch = switchMutation.run
  const [switchError, setSwitchError] = useState<ApiError | null>(null)
  const [switching, setSwitching] = useState(false)
  const setAutoDebit = useCallback(
    async (on: boolean) => {
      if (!product) return
      setSwitching(true)
      setSwitchError(null)
      try {
        const r = await runSwitch({ product, on })
        if (r && !r.ok) setSwitchError(r.error)
        await Promise.all([reloadLine(), reloadHistory()])
      } finally {
        setSwitching(false)
      }
    },
    [product, runSwitch, reloadLine, reloadHistory],
  )
  return {
    line,
    setAutoDebit,
    switching,
    switchError,
    // Never opened: no history either.
    history: history.error?.code === 'NOT_FOUND' ? [] : history.data,
    historyError: history.error?.code === 'NOT_FOUND' ? null : history.error,
    reload,
  }
}

/**
 * Opening a product: what the pre-check says first (soft data, no inquiry), the line if there is
 * one already, then the explicit consent → the line contract (read, then 同意并签署) →
 * lines.consent → lines.open with the contract's hash → the decision.
 */
export function useOpenLine(product: ProductId | null) {
  const precheck = useCloudQuery('credit', 'precheck', {}, product !== null)
  const existing = useLine(product)
  const decision = precheck.data?.products.find((p) => p.product === product) ?? null

  const consentMutation = useCloudMutation('lines', 'consent')
  const openMutation = useCloudMutation('lines', 'open')
  const runConsent = consentMutation.run
  const runOpen = openMutation.run
  const [consented, setConsentedState] = useState(false)
  // Automatic debit is its own consent: off unless the borrower ticks it.
  const [autoDebit, setAutoDebit] = useState(false)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<ApiError | null>(null)
  const [decided, setDecided] = useState<LineView | null>(null)
  // The consent given for this opening: kept across a retry, so the retried opening is the same
  // request (same consentId, same requestId) and never a second inquiry.
  const consentId = useRef<string | null>(null)
  const submitting = useRef(false)
  // The hash last signed: a retry after a lost answer signs the same text again (the same request).
  const signed = useRef<string | null>(null)
  const previewRequest = useMemo(() => (product ? { kind: 'line' as const, product } : null), [product])
  const adviceContext: AdviceContext | null = useMemo(() => (product ? { kind: 'open', product } : null), [product])
  const contract = useContractToSign(previewRequest, adviceContext, setError)
  const { start: startReading, stop: stopReading, readAgain } = contract

  /** Unticking withdraws the authorization: a consent already given is not used. */
  const setConsented = useCallback((on: boolean) => {
    if (!on) consentId.current = null
    setConsentedState(on)
  }, [])

  /** 确认开通: to the contract, to read before anything is sent (nothing is asked of the server yet but the text). */
  const submit = useCallback(async () => {
    if (!product || !consented || submitting.current) return
    setError(null)
    startReading()
  }, [product, consented, startReading])

  /** Back from the contract to the form: nothing was signed or sent. */
  const back = useCallback(() => {
    setError(null)
    stopReading()
  }, [stopReading])

  const reloadExisting = existing.reload
  /** 同意并签署: the signature (the hash of the text shown), then the consent and the opening. */
  const sign = useCallback(
    async (sha256: string) => {
      if (!product || !consented || submitting.current) return
      submitting.current = true
      signed.current = sha256
      setBusy(true)
      setError(null)
      try {
        if (consentId.current === null) {
          const c = await runConsent({ product })
          if (!c) return
          if (!c.ok) {
            if (!mendedByRetry(c.error, { kind: 'open', product })) stopReading()
            return setError(c.error)
          }
          consentId.current = c.data.consentId
        }
        const r = await runOpen({
          product,
          consentId: consentId.current,
          ...(autoDebit ? { autoDebit: true } : {}),
          contractSha256: sha256,
        })
        if (!r) return
        if (r.ok) {
          // Decided: the consent is spent. Opening again (after a refusal) needs a new one.
          consentId.current = null
          signed.current = null
          setConsentedState(false)
          stopReading()
          setDecided(r.data)
          return
        }
        // The contract changed meanwhile (or was not signed): the new text, to read and sign again.
        if (CONTRACT_AGAIN.has(r.error.code)) return readAgain(r.error)
        if (r.error.code === 'CONSENT_INVALID') {
          // Expired (15 minutes) or spent: a new inquiry needs a new, explicit authorization.
          consentId.current = null
          setConsentedState(false)
        }
        if (r.error.code === 'LINE_ALREADY_OPEN') void reloadExisting()
        // What a retry mends stays on the contract (the same signature is sent again); the rest is
        // mended on the form.
        if (!mendedByRetry(r.error, { kind: 'open', product })) stopReading()
        setError(r.error)
      } finally {
        submitting.current = false
        setBusy(false)
      }
    },
    [product, consented, autoDebit, runConsent, runOpen, reloadExisting, stopReading, readAgain],
  )

  const retry = useCallback(async () => {
    if (signed.current !== null) await sign(signed.current)
  }, [sign])

  const { advice, follow: followAdvice } = useAdvice(error, adviceContext, retry)

  // The line to show instead of the form: the decision just made, else one already open or in review.
  const current = existing.line
  const shown: LineView | null = decided ?? (current && isStanding(current.state) ? current : null)

  const reloadPrecheck = precheck.reload
  const reload = useCallback(async () => {
    await Promise.all([reloadPrecheck(), reloadExisting()])
  }, [reloadPrecheck, reloadExisting])

  return {
    product,
    query: {
      loading: precheck.loading || existing.loading,
      data: precheck.data && existing.known ? { precheck: precheck.data, line: existing.line } : null,
      error: precheck.error ?? existing.error,
      reload,
    },
    decision,
    /** A line decided before (refused, expired, closed): opening again is a new application. */
    previous: current && !shown ? current : null,
    shown,
    /** Whether `shown` is the decision this page just asked for (rather than one found on arrival). */
    justDecided: decided !== null,
    consented,
    setConsented,
    autoDebit,
    setAutoDebit,
    submit,
    /** The line contract while it is read and signed (after 确认开通). */
    contract,
    sign,
    back,
    busy,
    error,
    advice,
    follow: followAdvice,
  }
}
