// How a credit line (额度) reads on screen: its states, why it changed (each reason code of its
// history, 额度记录), and what opening it does. The figures (15 minutes, 12 months, 7 days) come
// from the domain that enforces them.
import type { LineView } from '../api'
import { CREDIT_CONSENT_MINUTES } from '../domain/agreements'
import { DEFAULT_CATALOG, type ProductId } from '../domain/catalog'
import { DAY_MS } from '../domain/china-time'
import { DEBIT_HOURS } from '../domain/auto-debit'
import { LINE_MONTHS, REVIEW_TTL_MS, type LineChange, type LineReason, type LineState } from '../domain/line'
import { REASONS, isReasonCode } from '../domain/reasons'
import { chinaTime, dateTime, yuan } from './format'

export const REVIEW_DAYS = REVIEW_TTL_MS / DAY_MS

export const LINE_STATE_NAMES: Record<LineState, string> = {
  review: '人工审核中',
  active: '可借款',
  frozen: '已冻结',
  refused: '未通过',
  closed: '已关闭',
  expired: '已到期',
}

/** Why the line changed, as the borrower reads it in 额度记录. */
export const LINE_REASON_NAMES: Record<LineReason, string> = {
  OPENED: '已开通',
  SENT_TO_REVIEW: '转人工审核',
  REVIEW_APPROVED: '人工审核通过，已开通',
  REVIEW_REFUSED: '人工审核未通过',
  REVIEW_EXPIRED: `人工审核${REVIEW_DAYS}天内未决定，自动结束为未通过`,
  REFUSED: '开通未通过',
  DRAWN: '借款占用',
  RELEASED: '额度退回（借款取消或未放款）',
  REPAID: '还款恢复',
  FROZEN_OVERDUE: '逾期冻结',
  UNFROZEN: '解除冻结',
  INCREASED: '提额',
  DECREASE_NOTIFIED: '降额通知（通知期满后生效）',
  DECREASED: '降额生效',
  EXPIRED: '额度到期',
  CLOSED_BY_BORROWER: '本人关闭额度',
  AUTO_DEBIT_ON: '开启自动扣款',
  AUTO_DEBIT_OFF: '关闭自动扣款',
  RECONCILED: '对账调整',
  RENEWED: `续期${LINE_MONTHS}个月`,
  MIGRATED: '由已有借款建立额度',
}

/** How a change moved the line: money out of the available amount (−), back into it (+), or the limit itself. */
const SIGN: Partial<Record<LineReason, '+' | '−'>> = {
  DRAWN: '−',
  RELEASED: '+',
  REPAID: '+',
  INCREASED: '+',
  DECREASE_NOTIFIED: '−',
  DECREASED: '−',
}

/** The amount a change moved, signed as it moves what can be borrowed ('−¥1,000.00'); null when none. */
export function changeAmountText(c: Pick<LineChange, 'reason' | 'amountFen'>): string | null {
  if (c.amountFen === undefined || c.amountFen === 0) return null
  return `${SIGN[c.reason] ?? ''}${yuan(c.amountFen)}`
}

/**
 * What the server wrote beside a change, in words: refusal reason codes become their titles, a
 * cut's effective date is shown in China time; anything else is shown as written.
 */
export function changeDetailText(c: Pick<LineChange, 'reason' | 'detail'>): string | null {
  const d = c.detail?.trim()
  if (!d) return null
  if (c.reason === 'REFUSED' || c.reason === 'REVIEW_REFUSED') {
    const parts = d.split(/[；;,，]/).map((s) => s.trim())
    if (parts.every(isReasonCode)) return parts.map((code) => REASONS[code].title).join('；')
  }
  const at = /^自 (\S+) 起生效$/.exec(d)
  if (at) {
    const ms = Date.parse(at[1])
    if (Number.isFinite(ms)) return `自 ${chinaTime(ms)}起生效`
  }
  return d
}

/** Newest first (the server keeps them oldest first): the borrower looks for what happened last. */
export function newestFirst(changes: LineChange[]): LineChange[] {
  return [...changes].reverse()
}

/** 微粒贷 is opened by invitation: there, opening is called activating (激活). */
export const openVerb = (product: ProductId): '开通' | '激活' =>
  DEFAULT_CATALOG.products[product]?.opens === 'invitation' ? '激活' : '开通'

/** What opening does, before the borrower consents (PRODUCT.md §2 step 7, §10). */
export function openingFacts(productName: string): Array<{ title: string; text: string }> {
  return [
    {
      title: '查询一次征信（授信审批）',
      text: `放贷机构为审批你的${productName}额度，向金融信用信息基础数据库查询一次你的征信报告，报告中会留下一条「贷款审批」查询记录（硬查询）。开通只查询这一次。`,
    },
    {
      title: '授权只用于这一次查询',
      text: `下面的授权只用于${productName}的授信审批：自确认起${CREDIT_CONSENT_MINUTES}分钟内有效，只能用一次；超时或用过后需要重新授权。`,
    },
    {
      title: `额度有效${LINE_MONTHS}个月，借款不再硬查询征信`,
      text: `开通后${LINE_MONTHS}个月内，在可用额度内随时借款，借款不再硬查询征信（借款时按合同授权做贷后管理，只看信用报告，不计入贷款审批查询次数）；已借未还的本金占用额度，还款后恢复。`,
    },
    {
      title: '结果当场告诉你',
      text: `批准后显示你的总额度、可用额度、日利率和年化利率；也可能转人工审核（${REVIEW_DAYS}天内决定），或不通过（说明原因和改进方法）。开通不收任何费用，不借款不计息。`,
    },
  ]
}

/** The per-query consent's own words, for one product's line. */
export function lineConsentText(productName: string): string {
  return `本人授权放贷机构为审批本人的${productName}额度（授信审批），向金融信用信息基础数据库查询本人的征信报告。本次查询会在征信报告中留下一条贷款审批查询记录（硬查询）。授权自确认起${CREDIT_CONSENT_MINUTES}分钟内有效，只能用于这一次查询；开通后在额度内借款不再硬查询征信。`
}

/** A frozen line: why, and how it is unfrozen. */
export const FROZEN_TEXT = {
  why: '有一期还款已逾期，额度暂停使用，暂时不能借款。',
  how: '还清逾期的那一期（含逾期费用）后，额度会自动恢复，不需要重新申请，也不会再查询征信。',
}

/** A line in manual review: who decides, by when, and what happens if nobody does. */
export function reviewText(line: Pick<LineView, 'requestedAt'>): string {
  return `工作人员会在${REVIEW_DAYS}天内（${dateTime(line.requestedAt + REVIEW_TTL_MS)} 北京时间前）决定，结果会发到消息中心。${REVIEW_DAYS}天内未决定的，会自动结束为未通过，之后可以重新申请开通。审核期间不能借款，不收任何费用。`
}

const hourText = (h: number) => `${String(h).padStart(2, '0')}:00`

/** When automatic debit runs and how often it tries. */
export const autoDebitWhen =
  `每期还款日 ${hourText(DEBIT_HOURS[0])} 从你绑定的银行卡扣到期应还的金额（含已逾期未还的部分），扣款不成功会在当天 ` +
  `${DEBIT_HOURS.slice(1).map(hourText).join('、')} 再试；前一天会提醒你。`

/** What automatic debit does, and how it stops: shown where it is agreed to and where it is switched. */
export const autoDebitText = `${autoDebitWhen}不开启也可以随时在小程序里自己还款；开启后可随时在额度页关闭。`

/** A card debit's outcome, as the borrower reads it. */
export function debitOutcomeText(p: { state: string; failure: string | null }): string {
  if (p.state === 'paid') return '已扣款'
  if (p.state === 'pending') return '处理中'
  if (p.state === 'refunded') return '已退回银行卡'
  return p.failure === 'INSUFFICIENT_FUNDS' ? '未成功（银行卡余额不足）' : '未成功'
}
