// How money, rates, dates and durations read on screen. Money stays integer fen until here;
// every figure the user sees goes through these functions, so one rule holds everywhere.
import { chinaDateString, toChinaDateTime } from '../domain/china-time'
import { formatYuanGrouped } from '../domain/money'
import type { Purpose } from '../api'
import type { RepaymentMode } from '../domain/catalog'
import type { LoanState } from '../domain/loan'

/** 123450 → '¥1,234.50' (grouped, two decimals, sign first). */
export function yuan(fen: number): string {
  return formatYuanGrouped(fen)
}

/** Whole yuan for limits and slider labels: 200000 → '¥2,000'; keeps fen when there are any. */
export function yuanShort(fen: number): string {
  const full = yuan(fen)
  return full.endsWith('.00') ? full.slice(0, -3) : full
}

/** A percentage as the contract states it: 0.05 → '0.05%', 18.25 → '18.25%' (no float residue). */
export function percent(value: number, digits = 2): string {
  const fixed = (Math.round(value * 10 ** digits) / 10 ** digits).toFixed(digits)
  return `${fixed.replace(/(\.\d*?)0+$/, '$1').replace(/\.$/, '')}%`
}

/** 日利率 as printed in the contract: up to three decimals, never rounded away (0.098%). */
export function dailyRate(percentValue: number): string {
  return percent(percentValue, 4)
}

/** 年化利率: always two decimals (24.30%), as regulators ask for it to be shown. */
export function apr(percentValue: number): string {
  return `${(Math.round(percentValue * 100) / 100).toFixed(2)}%`
}

/** '2026-12-28' → '2026年12月28日'. */
export function civilDate(isoDate: string): string {
  const [y, m, d] = isoDate.split('-').map(Number)
  return `${y}年${m}月${d}日`
}

/** The China calendar date of an instant: '2027年5月28日'. */
export function dateOf(ms: number): string {
  return civilDate(chinaDateString(ms))
}

/** A versioned data set's name without its kind: 'rules/2026-11-28.1' → '2026-11-28.1'. */
export function versionText(version: string): string {
  return version.slice(version.lastIndexOf('/') + 1)
}

/** An instant in China time: '2026-11-28 18:05'. */
export function dateTime(ms: number): string {
  const t = toChinaDateTime(ms)
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${chinaDateString(ms)} ${pad(t.hour)}:${pad(t.minute)}`
}

/** '2026-12-01 20:30（北京时间）': a time as the borrower reads it, with its time zone said. */
export function chinaTime(ms: number): string {
  return `${dateTime(ms)}（北京时间）`
}

/** A remaining time, counted down: 23:59:59 (hours may pass 24 only for longer windows). */
export function countdown(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000))
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${pad(Math.floor(s / 3600))}:${pad(Math.floor((s % 3600) / 60))}:${pad(s % 60)}`
}

export { PRODUCT_NAMES } from '../domain/catalog'

export const MODE_NAMES: Record<RepaymentMode, string> = {
  flexible: '随借随还',
  'equal-installment': '等额本息',
  'equal-principal': '等额本金',
  'fee-installment': '分期手续费',
}

export const PURPOSE_NAMES: Record<Purpose, string> = {
  consumption: '日常消费',
  education: '教育',
  medical: '医疗',
  travel: '旅游',
  home: '家居装修',
  other: '其他',
  investment: '投资理财',
  stocks: '股票',
  crypto: '虚拟币',
  'house-purchase': '购房',
  bonds: '债券',
  futures: '期货',
  derivatives: '金融衍生品',
  'asset-management': '资管产品',
  'fixed-assets': '固定资产投资',
  equity: '股本权益性投资',
}

/** What a credit-query consent was for: a line's approval, or (before lines) a loan's purpose. */
export const CONSENT_PURPOSE_NAMES: Record<Purpose | 'credit-line', string> = {
  ...PURPOSE_NAMES,
  'credit-line': '开通额度（授信审批）',
}

export const LOAN_STATE_NAMES: Record<LoanState, string> = {
  applied: '审核中',
  review: '人工审核中',
  approved: '待放款',
  disbursing: '放款中',
  disbursed: '已放款',
  repaying: '还款中',
  overdue: '已逾期',
  cancelled: '已取消',
  settled: '已结清',
  refused: '未通过',
}

/** 3 months → '3期'; 30 days → '30天'. */
export function termText(
  term: { termMonths?: number; termDays?: number } | { months: number } | { days: number },
): string {
  const t = term as { termMonths?: number; termDays?: number; months?: number; days?: number }
  const months = t.termMonths ?? t.months
  const days = t.termDays ?? t.days
  return months !== undefined ? `${months}期` : `${days ?? 0}天`
}

/** A file's size as a person reads it: 812 字节, 2048 字节（约 2.0 KB）. */
export function bytesText(bytes: number): string {
  return `${bytes} 字节${bytes >= 1024 ? `（约 ${(bytes / 1024).toFixed(1)} KB）` : ''}`
}
