// How a product's catalog and rule data read on screen: how it opens, its fees, overdue charges,
// terms and the verdict of a pre-check. Drawn from the data, so a lender's catalog reads right too.
import type { ModeTerms, ProductSpec, RepaymentMode } from '../domain/catalog'
import { ppmToPercent } from '../domain/money'
import type { PayScoreAuthorization, PayScoreReading } from '../domain/pay-score'
import { STEP_TITLES, type PendingStep } from '../domain/journey'
import type { PricingError } from '../domain/pricing'
import type { ProductRules } from '../domain/rule-set'
import type { Term } from '../domain/schedule'
import { MODE_NAMES, apr, dailyRate, percent, termText, yuanShort } from './format'

/** The catalog is a demonstration; the names belong to their owners; Kaitong is independent of them. */
export const DEMO_STATEMENT =
  '演示数据：本页产品目录依据公开文章整理，仅作演示，放贷机构会换成自己的目录。微粒贷、WE2000、小鹅花钱等名称归其各自所有方所有；开通（Kaitong）是独立项目，与这些产品及其所有方无关。'

/** WeChat Pay's answer about our pay-score service, as the user reads it (never a score). */
export const PAY_SCORE_AUTHORIZATION_NAMES: Record<PayScoreAuthorization, string> = {
  AVAILABLE: '已授权',
  UNAVAILABLE: '授权已解除',
  UNBINDUSER: '授权尚未完成',
  NONE: '尚未授权',
}

/** The recorded pay score in one line: what WeChat Pay said and, when authorized, the lender's assessment. */
export function payScoreText(p: PayScoreReading): string {
  const said = PAY_SCORE_AUTHORIZATION_NAMES[p.authorization]
  if (p.authorization !== 'AVAILABLE') return said
  return `${said}，${p.meetsThreshold === null ? '暂未取得评估结果' : p.meetsThreshold ? '达到要求' : '未达到要求'}`
}

/** The steps still to do, by the journey's titles. */
export const PENDING_STEP_NAMES: Record<PendingStep, string> = STEP_TITLES

export type VerdictKind = 'open' | 'pending' | 'refused' | 'invitation'

export function verdictText(verdict: VerdictKind, pending: PendingStep[]): string {
  if (verdict === 'invitation') return '仅限受邀'
  if (verdict === 'refused') return '暂不能开通'
  if (verdict === 'pending') return `需先完成：${pending.map((s) => PENDING_STEP_NAMES[s]).join(' / ')}`
  return '可以开通'
}

export function opensText(spec: ProductSpec, rules: ProductRules): string {
  if (rules.needsInvitation) return '仅限受邀（白名单），无申请入口；受邀后可激活'
  const needs = ['实名认证', rules.needsPayScore ? '微信支付分达标' : '', rules.needsFace ? '人脸核身' : ''].filter(
    Boolean,
  )
  return `${spec.opens === 'application' ? '小程序内申请' : '受邀开通'}：${needs.join(' + ')}`
}

/** Every fee the product charges, or that it charges none; `short` for narrow table cells. */
export function feeLines(spec: ProductSpec, short = false): string[] {
  const lines: string[] = []
  if (spec.drawdownFeePpm) {
    const fee = percent(ppmToPercent(spec.drawdownFeePpm))
    lines.push(short ? `取现手续费 ${fee}` : `取现手续费 ${fee}（按每笔借款金额，随首期还款收取）`)
  }
  if (spec.monthlyFeePpm) {
    const fee = percent(ppmToPercent(spec.monthlyFeePpm))
    lines.push(short ? `分期手续费 每月${fee}` : `分期手续费 每月 ${fee}（按借款本金，分期方式收取，不另计利息）`)
  }
  if (lines.length === 0) lines.push(short ? '无手续费' : '无手续费；按剩余本金每日计息')
  return lines
}

export function overdueText(spec: ProductSpec): string {
  const o = spec.overdue
  if (o.on === 'principal') return `罚息：逾期本金按合同日利率 ×${o.contractRateMultiplierPermille / 1000} 每日计收`
  return `逾期费用：逾期金额每天 ${dailyRate(ppmToPercent(o.dailyPpm))}`
}

/** '5/10/20期', a run of months as '1–12期', or '1–365天'. */
export function modeTermsText(terms: ModeTerms): string {
  if (terms.unit === 'days') return `${terms.minDays}–${terms.maxDays}天`
  const m = terms.months
  const run = m.length > 2 && m.every((x, i) => i === 0 || x === m[i - 1] + 1)
  return run ? `${m[0]}–${m[m.length - 1]}期` : `${m.join('/')}期`
}

/** '随借随还 1–365天', '等额本息 5/10/20期', … one line per repayment mode. */
export function modeLines(spec: ProductSpec): string[] {
  return (Object.entries(spec.modes) as Array<[RepaymentMode, ModeTerms]>).map(
    ([mode, terms]) => `${MODE_NAMES[mode]} ${modeTermsText(terms)}`,
  )
}

/** The daily-rate range the catalog allows ('0.02%–0.05%', or one figure when fixed). */
export function dailyRateRangeText(spec: ProductSpec): string {
  const { min, max } = spec.dailyRatePpm
  return min === max ? dailyRate(ppmToPercent(min)) : `${dailyRate(ppmToPercent(min))}–${dailyRate(ppmToPercent(max))}`
}

/** Why an offer over the APR cap is not offered, and the terms of the same mode that are. */
export function overCapText(error: Pick<PricingError, 'aprPercent' | 'capPercent'>, within: Term[]): string {
  const head = `该方案年化利率（IRR）为 ${apr(error.aprPercent ?? 0)}，超过 ${percent(error.capPercent ?? 0)} 的上限，不予提供。`
  return within.length > 0
    ? `${head}同样金额和还款方式下，可选期限：${within.map(termText).join('、')}；也可调整金额或还款方式。`
    : `${head}请调整期限、金额或还款方式。`
}

/**
 * What is wrong with a typed amount: not an amount at all, or outside what the person may borrow
 * (up to what the line has available, `availableFen`, when it is known).
 */
export function amountProblemText(
  problem: 'invalid' | 'range',
  minFen: number,
  maxFen: number,
  availableFen?: number,
): string {
  if (problem === 'invalid') return '请输入借款金额（元），最多两位小数。'
  const why =
    availableFen === undefined
      ? `你的额度为 ${yuanShort(maxFen)}`
      : availableFen > maxFen
        ? `单笔最多 ${yuanShort(maxFen)}`
        : `可用额度为 ${yuanShort(availableFen)}`
  return `借款金额须在 ${yuanShort(minFen)} – ${yuanShort(maxFen)} 之间（${why}）。`
}
