// Subscribe-message data for reminders, within WeChat's field limits: thing ≤ 20 characters,
// amount = a currency sign and ≤ 10 digits, phrase ≤ 5 characters, character_string ≤ 32.
import { formatYuan } from './money'
import type { PlannedReminder } from './reminders'

export type TemplateName = 'due' | 'overdue'

export const FIELD_LIMITS = {
  thing: 20,
  phrase: 5,
  character_string: 32,
  /** digits, not counting the sign or the decimal point */
  amountDigits: 10,
} as const

/** At most `max` characters (by code point), with an ellipsis when cut. */
export function clip(text: string, max: number): string {
  const chars = Array.from(text)
  return chars.length <= max ? text : chars.slice(0, max - 1).join('') + '…'
}

/** 70705 → '¥707.05' */
export function formatAmount(fen: number): string {
  return `¥${formatYuan(fen)}`
}

export interface ReminderMessage {
  template: TemplateName
  data: Record<string, { value: string }>
}

/**
 * The subscribe message for a reminder about a loan of the product called `productName` (the
 * catalog's name). With automatic debit on (`autoDebitLast4`), the reminder the day before and on
 * the day is its notice: when, and from which card.
 */
export function reminderMessage(
  r: PlannedReminder,
  productName: string,
  autoDebitLast4: string | null = null,
): ReminderMessage {
  const overdue = r.kind.startsWith('D+')
  const phrase = overdue ? '已逾期' : r.kind === 'D0' ? '今日到期' : '即将到期'
  const notice =
    autoDebitLast4 === null || (r.kind !== 'D-1' && r.kind !== 'D0')
      ? null
      : `${r.kind === 'D0' ? '今日' : '明日'}9:00自动从尾号${autoDebitLast4}卡扣款`
  return {
    template: overdue ? 'overdue' : 'due',
    data: {
      thing1: { value: clip(`${productName}第${r.n}期还款`, FIELD_LIMITS.thing) },
      amount2: { value: formatAmount(r.amountFen) },
      date3: { value: r.dueDate },
      phrase4: { value: phrase },
      thing5: {
        value: clip(
          notice ?? (overdue ? '逾期会产生罚息，请尽快还款' : '可在小程序内随时提前还款'),
          FIELD_LIMITS.thing,
        ),
      },
    },
  }
}

/** Whether every field of a message is within WeChat's limits (by the field name's type prefix). */
export function withinLimits(data: ReminderMessage['data']): boolean {
  return Object.entries(data).every(([key, { value }]) => {
    const len = Array.from(value).length
    if (key.startsWith('thing')) return len > 0 && len <= FIELD_LIMITS.thing
    if (key.startsWith('phrase')) return len > 0 && len <= FIELD_LIMITS.phrase
    if (key.startsWith('character_string')) return len <= FIELD_LIMITS.character_string
    if (key.startsWith('amount'))
      return /^¥\d+(\.\d{1,2})?$/.test(value) && value.replace(/\D/g, '').length <= FIELD_LIMITS.amountDigits
    if (key.startsWith('date')) return /^\d{4}-\d{2}-\d{2}$/.test(value)
    return false
  })
}
