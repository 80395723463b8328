// Confirming a drawdown (借款) against an open line: the offer priced on the device at the line's
// rate as a preview (the server prices it again and its figures bind), then the drawdown's
// contract (借款合同) with the same figures, read and signed, then apply with its hash — no
// consent and no credit inquiry (the line's opening had its one); safe to retry after a lost
// answer, and never sent twice at once.
import { useCallback, useMemo, useRef, useState } from 'react'
import type { ApiError, Purpose } from '../api'
import { PURPOSES } from '../domain/purposes'
import { REPAYMENT_MODES, isProductId, type ProductId, type RepaymentMode } from '../domain/catalog'
import { priceOffer, type PricingResult } from '../domain/pricing'
import type { Term } from '../domain/schedule'
import { replace } from '../services/nav'
import { useAdvice, type AdviceContext } from './advice'
import { useCatalog } from '../services/catalog'
import { useCloudMutation, useCloudQuery } from './use-cloud'
import { CONTRACT_AGAIN, mendedByRetry, useContractToSign, type PreviewRequest } from './use-contract'
import { lineRatePpm, useLine } from './use-line'

export type { Purpose }

export interface ApplyRequest {
  product: ProductId
  amountFen: number
  term: Term
  mode: RepaymentMode
  purpose: Purpose
}

const wholeNumber = (text: string | undefined): number | null =>
  text !== undefined && /^[1-9]\d{0,11}$/.test(text) ? Number(text) : null

/** The confirm page's query (product, amountFen, termMonths | termDays, mode, purpose), or null when incomplete. */
export function readApplyRequest(params: Partial<Record<string, string>>): ApplyRequest | null {
  const product = params.product
  const mode = params.mode as RepaymentMode | undefined
  const purpose = params.purpose as Purpose | undefined
  const amountFen = wholeNumber(params.amountFen)
  const months = wholeNumber(params.termMonths)
  const days = wholeNumber(params.termDays)
  if (!isProductId(product)) return null
  if (!mode || !(REPAYMENT_MODES as readonly string[]).includes(mode)) return null
  if (!purpose || !(PURPOSES as readonly string[]).includes(purpose)) return null
  if (amountFen === null || (months === null) === (days === null)) return null
  return { product, amountFen, term: months !== null ? { months } : { days: days! }, mode, purpose }
}

export function useApply(request: ApplyRequest | null) {
  // The server's cap and time, so the preview is priced as the drawdown will be (soft data only).
  const precheck = useCloudQuery('credit', 'precheck', {}, request !== null)
  // The line it draws on: its rate, and what is available now.
  const line = useLine(request?.product ?? null)
  const previewAt = precheck.data?.serverTime ?? null
  const capPercent = precheck.data?.capPercent
  const rate = line.line ? lineRatePpm(line.line) : null
  // Priced by the catalog the line was opened under, as the server prices the drawdown.
  const lineCatalog = useCatalog(line.line?.catalogVersion ?? null)
  const catalog = lineCatalog.catalog
  const preview: PricingResult | null = useMemo(
    () =>
      request && catalog && rate !== null && previewAt !== null
        ? priceOffer(
            {
              product: request.product,
              amountFen: request.amountFen,
              term: request.term,
              mode: request.mode,
              dailyRatePpm: rate,
              capPercent,
              disbursedAt: previewAt,
            },
            catalog,
          )
        : null,
    [request, catalog, rate, previewAt, capPercent],
  )

  const applyMutation = useCloudMutation('loans', 'apply')
  const runApply = applyMutation.run
  const [error, setError] = useState<ApiError | null>(null)
  const submitting = useRef(false)
  const reloadLine = line.reload
  // The figures as loans.apply sends them, and as the contract is rendered with.
  const figures = useMemo(
    () =>
      request
        ? {
            product: request.product,
            amountFen: request.amountFen,
            ...('months' in request.term ? { termMonths: request.term.months } : { termDays: request.term.days }),
            mode: request.mode,
            purpose: request.purpose,
          }
        : null,
    [request],
  )
  const previewRequest: PreviewRequest | null = useMemo(
    () => (figures ? { kind: 'drawdown', ...figures } : null),
    [figures],
  )
  const adviceContext: AdviceContext | null = useMemo(
    () => (request ? { kind: 'apply', product: request.product } : null),
    [request],
  )
  const contract = useContractToSign(previewRequest, adviceContext, setError)
  const { start: startReading, stop: stopReading, readAgain } = contract
  // The hash last signed: a retry after a lost answer sends the same signature (the same request).
  const signed = useRef<string | null>(null)

  /** 确认借款: to the contract with these figures, to read before anything is sent. */
  const submit = useCallback(async () => {
    if (!figures || submitting.current) return
    setError(null)
    startReading()
  }, [figures, startReading])

  /** Back from the contract: nothing was signed or sent. */
  const back = useCallback(() => {
    setError(null)
    stopReading()
  }, [stopReading])

  /** 同意并签署: apply with the hash of the contract shown. */
  const sign = useCallback(
    async (sha256: string) => {
      if (!figures || submitting.current) return
      submitting.current = true
      signed.current = sha256
      setError(null)
      try {
        // The same input after a lost answer keeps its requestId: the server answers it again.
        const r = await runApply({ ...figures, contractSha256: sha256 })
        if (!r) return
        if (r.ok) {
          signed.current = null
          await replace('decision', { loanId: r.data.loan.id })
          return
        }
        // The contract changed meanwhile (a rate, a date): the new text, to read and sign again.
        if (CONTRACT_AGAIN.has(r.error.code)) return readAgain(r.error)
        // What a retry mends stays on the contract; the rest is mended on the page (the figures).
        if (!mendedByRetry(r.error, { kind: 'apply', product: figures.product })) stopReading()
        setError(r.error)
        // What the line allows may have changed (frozen, drawn elsewhere): show it as it is now.
        if (r.error.code === 'LINE_FROZEN' || r.error.code === 'LINE_EXCEEDED' || r.error.code === 'NO_ACTIVE_LINE')
          void reloadLine()
      } finally {
        submitting.current = false
      }
    },
    [figures, runApply, reloadLine, readAgain, stopReading],
  )

  const retry = useCallback(async () => {
    if (signed.current !== null) await sign(signed.current)
  }, [sign])

  const { advice, follow: followAdvice } = useAdvice(error, adviceContext, retry)

  const reloadPrecheck = precheck.reload
  const reloadCatalog = lineCatalog.reload
  const reload = useCallback(async () => {
    await Promise.all([reloadPrecheck(), reloadLine(), reloadCatalog()])
  }, [reloadPrecheck, reloadLine, reloadCatalog])
  // The line's catalog is loading once the line is known and until it (or its error) arrives.
  const catalogLoading = line.line !== null && catalog === null && lineCatalog.error === null

  return {
    /** The pre-check (cap, server time), the line and its catalog, loaded together. */
    query: {
      loading: precheck.loading || line.loading || (request !== null && catalogLoading),
      error: precheck.error ?? line.error ?? lineCatalog.error,
      reload,
    },
    line,
    preview,
    submit,
    /** The drawdown's contract while it is read and signed (after 确认借款). */
    contract,
    sign,
    back,
    busy: applyMutation.busy,
    error,
    advice,
    follow: followAdvice,
  }
}
