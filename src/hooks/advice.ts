// What a borrower can do about a refusal, on the two pages that ask the server for something with
// a credit consequence: opening a line (开通) and borrowing against it (确认借款).
import { useCallback, useMemo } from 'react'
import Taro from '@tarojs/taro'
import type { ApiError } from '../api'
import { CREDIT_CONSENT_MINUTES } from '../domain/agreements'
import { PRODUCT_NAMES, type ProductId } from '../domain/catalog'
import { STEP_TASKS, STEP_TITLES, isJourneyStep } from '../domain/journey'
import type { PageName, TAB_PAGES } from '../routes'
import { go, goTab } from '../services/nav'
import { yuan } from '../ui/format'
import { FROZEN_TEXT } from '../ui/line-text'

export type AdviceAction =
  | { kind: 'retry'; label: string }
  | { kind: 'back'; label: string }
  | { kind: 'page'; label: string; page: PageName; query?: Record<string, string> }
  | { kind: 'tab'; label: string; tab: keyof typeof TAB_PAGES }

/** What the user can do about a refused request. */
export interface Advice {
  /** A line under the error's own message, when the message alone does not say what to do. */
  hint: string | null
  action: AdviceAction | null
}

/** Which request was refused: a drawdown (确认借款) or an opening (开通). */
export type AdviceContext = { kind: 'apply' | 'open'; product: ProductId }

const fen = (detail: string | undefined) => (detail !== undefined && /^\d+$/.test(detail) ? Number(detail) : null)

export function adviceFor(error: ApiError, context: AdviceContext): Advice {
  const opening = context.kind === 'open'
  const name = PRODUCT_NAMES[context.product]
  const product = context.product
  switch (error.code) {
    case 'NO_ACTIVE_LINE':
      return {
        hint: `开通${name}时查询一次征信；开通后在可用额度内借款不再硬查询征信。`,
        action: { kind: 'page', label: '去开通', page: 'openLine', query: { product } },
      }
    case 'LINE_FROZEN':
      return { hint: FROZEN_TEXT.how, action: { kind: 'tab', label: '去还款', tab: 'loans' } }
    case 'LINE_EXCEEDED': {
      const available = fen(error.detail)
      return {
        hint:
          available !== null
            ? `当前可用额度为 ${yuan(available)}（已借未还的本金占用额度，还款后恢复）。`
            : '已借未还的本金占用额度，还款后恢复。',
        action: { kind: 'back', label: '返回修改金额' },
      }
    }
    case 'CONSENT_INVALID':
      return {
        hint: `授权已失效（超过${CREDIT_CONSENT_MINUTES}分钟或已经用过）：请重新勾选上面的征信查询授权，再点确认开通。`,
        action: null,
      }
    case 'LINE_ALREADY_OPEN':
      return { hint: null, action: { kind: 'page', label: '查看额度', page: 'line', query: { product } } }
    case 'PAY_SCORE_UNAVAILABLE':
      return {
        hint: '还没有查询征信，授权也没有用掉：稍后重试即可。',
        action: { kind: 'retry', label: '重试' },
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
            hint: `还需要完成：${steps.map((s) => STEP_TASKS[s]).join('、')}。${opening ? '这些步骤不查询征信。' : ''}完成后回到本页${opening ? '开通' : '确认'}。`,
            action: {
              kind: 'page',
              label: `去${STEP_TITLES[steps[0]]}`,
              page: steps[0],
              ...(opening && steps[0] !== 'bankCard' ? { query: { product } } : {}),
            },
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
    case 'IDENTITY_RECHECK_REQUIRED':
      return { hint: null, action: { kind: 'page', label: '去实名认证', page: 'realName' } }
    case 'NETWORK_ERROR':
    case 'INTERNAL':
    case 'REQUEST_IN_PROGRESS':
    case 'CONFLICT':
      return {
        hint: opening ? '重试是安全的：同一次开通不会重复查询征信。' : '重试是安全的：同一次申请不会重复提交。',
        action: { kind: 'retry', label: '重试' },
      }
    default:
      return { hint: null, action: { kind: 'retry', label: '重试' } }
  }
}

/** Does what the advice offers: `retry` runs the request again (the same request, the same requestId). */
export async function follow(action: AdviceAction | null | undefined, retry: () => Promise<void>): Promise<void> {
  if (!action) return
  if (action.kind === 'retry') await retry()
  else if (action.kind === 'back') await Taro.navigateBack()
  else if (action.kind === 'tab') await goTab(action.tab)
  else await go(action.page, action.query)
}

/**
 * The advice for a refused request and the way to follow it, kept while the error and the request
 * stay the same (so that `follow` keeps its identity between renders).
 */
export function useAdvice(error: ApiError | null, context: AdviceContext | null, retry: () => Promise<void>) {
  const kind = context?.kind
  const product = context?.product
  const advice = useMemo(
    () => (error && kind && product ? adviceFor(error, { kind, product }) : null),
    [error, kind, product],
  )
  const followAdvice = useCallback(() => follow(advice?.action, retry), [advice, retry])
  return { advice, follow: followAdvice }
}
