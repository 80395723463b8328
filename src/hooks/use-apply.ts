// Confirming an application: the offer priced on the device as a preview (the server prices it
// again and its figures bind), the per-query credit consent (征信查询授权), then consent → apply,
// each safe to retry after a lost answer, and never sent twice at once.
import { useCallback, useMemo, useRef, useState } from 'react'
import Taro from '@tarojs/taro'
import { PURPOSES, type ApiError, type Purpose } from '../api'
import { STEP_TASKS, STEP_TITLES, isJourneyStep } from '../domain/journey'
import { REPAYMENT_MODES, isProductId, type ProductId, type RepaymentMode } from '../domain/catalog'
import { priceOffer, type PricingResult } from '../domain/pricing'
import type { Term } from '../domain/schedule'
import type { PageName } from '../routes'
import { go, replace } from '../services/nav'
import { yuan } from '../ui/format'
import { useCloudMutation, useCloudQuery } from './use-cloud'

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

/** What the user can do about a refused confirmation. */
export interface Advice {
  /** A line under the error's own message, when the message alone does not say what to do. */
  hint: string | null
  action:
    | { kind: 'retry'; label: string }
    | { kind: 'back'; label: string }
    | { kind: 'page'; label: string; page: PageName }
    | null
}

export function adviceFor(error: ApiError): Advice {
  switch (error.code) {
    case 'CONSENT_INVALID':
      return { hint: '请重新勾选上面的征信查询授权，再点确认借款。', action: null }
    case 'AMOUNT_OVER_LIMIT': {
      const limit = error.detail !== undefined && /^\d+$/.test(error.detail) ? Number(error.detail) : null
      return {
        hint: limit !== null ? `你在该产品的额度为 ${yuan(limit)}（已借未还的部分占用额度）。` : null,
        action: { kind: 'back', label: '返回修改金额' },
      }
    }
    case 'APR_OVER_CAP':
      return { hint: '可以选择更短的期限或其他还款方式。', action: { kind: 'back', label: '返回选择其他方案' } }
    case 'AMOUNT_OUT_OF_RANGE':
    case 'TERM_NOT_OFFERED':
    case 'MODE_NOT_OFFERED':
    case 'RATE_OUT_OF_RANGE':
    case 'INVALID_AMOUNT':
    case 'INVALID_INPUT':
    case 'UNKNOWN_PRODUCT':
      return { hint: null, action: { kind: 'back', label: '返回修改' } }
    case 'STEP_REQUIRED': {
      const steps = (error.detail ?? '').split(',').filter(isJourneyStep)
      return steps.length > 0
        ? {
            hint: `还需要完成：${steps.map((s) => STEP_TASKS[s]).join('、')}。完成后回到本页确认。`,
            action: { kind: 'page', label: `去${STEP_TITLES[steps[0]]}`, page: steps[0] },
          }
        : { hint: null, action: null }
    }
    case 'IDENTITY_FACE_FAILED':
    case 'FACE_NOT_FINISHED':
    case 'FACE_REQUIRED':
      return { hint: null, action: { kind: 'page', label: '去人脸核身', page: 'face' } }
    case 'CONSENT_REQUIRED':
    case 'AGREEMENTS_REQUIRED':
    case 'AGREEMENT_VERSION_OUTDATED':
      return { hint: null, action: { kind: 'page', label: '去授权', page: 'agreements' } }
    case 'NETWORK_ERROR':
    case 'INTERNAL':
    case 'REQUEST_IN_PROGRESS':
    case 'CONFLICT':
      return { hint: '重试是安全的：同一次申请不会重复提交。', action: { kind: 'retry', label: '重试' } }
    default:
      return { hint: null, action: { kind: 'retry', label: '重试' } }
  }
}

export function useApply(request: ApplyRequest | null) {
  // The user's own rate (and eligibility) from the pre-check: soft data, no credit inquiry.
  const precheck = useCloudQuery('credit', 'precheck', {}, request !== null)
  const decision = precheck.data?.products.find((p) => p.product === request?.product) ?? null
  // Priced at the server's time and under the server's cap, as the application will be.
  const previewAt = precheck.data?.serverTime ?? null
  const capPercent = precheck.data?.capPercent
  const preview: PricingResult | null = useMemo(
    () =>
      request && decision && previewAt !== null
        ? priceOffer({
            product: request.product,
            amountFen: request.amountFen,
            term: request.term,
            mode: request.mode,
            dailyRatePpm: decision.dailyRatePpm,
            capPercent,
            disbursedAt: previewAt,
          })
        : null,
    [request, decision, previewAt, capPercent],
  )

  const consentMutation = useCloudMutation('loans', 'consent')
  const applyMutation = useCloudMutation('loans', 'apply')
  const runConsent = consentMutation.run
  const runApply = applyMutation.run
  const [consented, setConsentedState] = useState(false)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<ApiError | null>(null)
  // The consent given for this confirmation: kept across a retry, so the retried apply is the
  // same request (same requestId) and the server answers it again instead of applying twice.
  const consentId = useRef<string | null>(null)
  const submitting = useRef(false)

  /** Unticking withdraws the authorization: a consent already given is not used. */
  const setConsented = useCallback((on: boolean) => {
    if (!on) consentId.current = null
    setConsentedState(on)
  }, [])

  const submit = useCallback(async () => {
    if (!request || !consented || submitting.current) return
    submitting.current = true
    setBusy(true)
    setError(null)
    try {
      if (consentId.current === null) {
        const c = await runConsent({ product: request.product, purpose: request.purpose })
        if (!c) return
        if (!c.ok) return setError(c.error)
        consentId.current = c.data.consentId
      }
      const r = await runApply({
        product: request.product,
        amountFen: request.amountFen,
        ...('months' in request.term ? { termMonths: request.term.months } : { termDays: request.term.days }),
        mode: request.mode,
        purpose: request.purpose,
        consentId: consentId.current,
      })
      if (!r) return
      if (r.ok) {
        await replace('decision', { loanId: r.data.loan.id })
        return
      }
      if (r.error.code === 'CONSENT_INVALID') {
        // Spent or expired (15 minutes): a new inquiry needs a new, explicit authorization.
        consentId.current = null
        setConsentedState(false)
      }
      setError(r.error)
    } finally {
      submitting.current = false
      setBusy(false)
    }
  }, [request, consented, runConsent, runApply])

  const advice = error ? adviceFor(error) : null
  const follow = useCallback(async () => {
    const action = advice?.action
    if (!action) return
    if (action.kind === 'retry') await submit()
    else if (action.kind === 'back') await Taro.navigateBack()
    else await go(action.page)
  }, [advice, submit])

  return { precheck, decision, preview, consented, setConsented, submit, busy, error, advice, follow }
}
