// Confirming a drawdown (借款) against an open line: the offer priced on the device at the line's
// rate as a preview (the server prices it again and its figures bind), then apply — no consent
// and no credit inquiry (the line's opening had its one); safe to retry after a lost answer, and
// never sent twice at once.
import { useCallback, useMemo, useRef, useState } from 'react'
import { PURPOSES, type ApiError, type Purpose } from '../api'
import { REPAYMENT_MODES, isProductId, type ProductId, type RepaymentMode } from '../domain/catalog'
import { priceOffer, type PricingResult } from '../domain/pricing'
import type { Term } from '../domain/schedule'
import { replace } from '../services/nav'
import { useAdvice } from './advice'
import { useCloudMutation, useCloudQuery } from './use-cloud'
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
  const preview: PricingResult | null = useMemo(
    () =>
      request && rate !== null && previewAt !== null
        ? priceOffer({
            product: request.product,
            amountFen: request.amountFen,
            term: request.term,
            mode: request.mode,
            dailyRatePpm: rate,
            capPercent,
            disbursedAt: previewAt,
          })
        : null,
    [request, rate, previewAt, capPercent],
  )

  const applyMutation = useCloudMutation('loans', 'apply')
  const runApply = applyMutation.run
  const [error, setError] = useState<ApiError | null>(null)
  const submitting = useRef(false)
  const reloadLine = line.reload

  const submit = useCallback(async () => {
    if (!request || submitting.current) return
    submitting.current = true
    setError(null)
    try {
      // The same input after a lost answer keeps its requestId: the server answers it again.
      const r = await runApply({
        product: request.product,
        amountFen: request.amountFen,
        ...('months' in request.term ? { termMonths: request.term.months } : { termDays: request.term.days }),
        mode: request.mode,
        purpose: request.purpose,
      })
      if (!r) return
      if (r.ok) {
        await replace('decision', { loanId: r.data.loan.id })
        return
      }
      setError(r.error)
      // What the line allows may have changed (frozen, drawn elsewhere): show it as it is now.
      if (r.error.code === 'LINE_FROZEN' || r.error.code === 'LINE_EXCEEDED' || r.error.code === 'NO_ACTIVE_LINE')
        void reloadLine()
    } finally {
      submitting.current = false
    }
  }, [request, runApply, reloadLine])

  const { advice, follow: followAdvice } = useAdvice(
    error,
    request ? { kind: 'apply', product: request.product } : null,
    submit,
  )

  const reloadPrecheck = precheck.reload
  const reload = useCallback(async () => {
    await Promise.all([reloadPrecheck(), reloadLine()])
  }, [reloadPrecheck, reloadLine])

  return {
    /** The pre-check (cap, server time) and the line, loaded together. */
    query: { loading: precheck.loading || line.loading, error: precheck.error ?? line.error, reload },
    line,
    preview,
    submit,
    busy: applyMutation.busy,
    error,
    advice,
    follow: followAdvice,
  }
}
