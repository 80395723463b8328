// How the console writes money, time and states: yuan with two decimals, China time, Chinese names.
export const yuan = (fen: number | null | undefined) =>
  fen === null || fen === undefined
    ? '—'
    : `¥${(fen / 100).toLocaleString('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`

/** Epoch ms → 2026-12-02 14:05 (China time). */
export function chinaTime(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '—'
  const d = new Date(ms + 8 * 3_600_000)
  return d.toISOString().slice(0, 16).replace('T', ' ')
}

/** A China day (YYYY-MM-DD) as epoch ms at its start (00:00 China time). */
export const dayStart = (day: string) => Date.parse(`${day}T00:00:00+08:00`)
export const today = (offsetDays = 0) =>
  new Date(Date.now() + 8 * 3_600_000 + offsetDays * 86_400_000).toISOString().slice(0, 10)

export function age(ms: number): string {
  const h = Math.floor(ms / 3_600_000)
  return h < 24 ? `${h} 小时` : `${Math.floor(h / 24)} 天 ${h % 24} 小时`
}

export const PRODUCT_NAMES: Record<string, string> = { weilidai: '微粒贷', we2000: 'WE2000', xiaoe: '小鹅花钱' }
export const CHANNEL_NAMES: Record<string, string> = { wechatPay: '微信支付', cardDebit: '银行卡代扣' }
export const DIFFERENCE_NAMES: Record<string, string> = {
  RECEIVED_DIFFERS: '收款金额不一致',
  REFUNDED_DIFFERS: '退款金额不一致',
  NOT_THE_ORDERED_AMOUNT: '实收与订单金额不一致',
}
export const KIND_NAMES: Record<string, string> = { line: '开通额度', drawdown: '大额借款', refusal: '申请复核' }
export const STATE_NAMES: Record<string, string> = {
  waiting: '待审核',
  approved: '已通过',
  refused: '已拒绝',
  expired: '已过期',
  active: '生效中',
  frozen: '已冻结',
  review: '审核中',
  closed: '已关闭',
  applied: '已申请',
  disbursing: '放款中',
  disbursed: '已放款',
  repaid: '已结清',
  overdue: '逾期',
  cancelled: '已取消',
}
