// How an automated decision's explanation reads: a dimension's weight as a percentage, points to
// one decimal, and a review case's state in words.
import type { ReviewCaseView } from '../api'
import { percent } from './format'

/** A weight as the server gives it (a share, 0.3; or already a percentage, 30) → '30%'. */
export function weightText(weight: number): string {
  // The rule set's weights are percents (they sum to 100).
  return percent(weight, 1)
}

/** 18.25 → '18.3'; 20 → '20'. */
export function points(value: number): string {
  const rounded = Math.round(value * 10) / 10
  return Number.isInteger(rounded) ? String(rounded) : rounded.toFixed(1)
}

export const REVIEW_STATE_NAMES: Record<ReviewCaseView['state'], string> = {
  waiting: '等待人工复核',
  approved: '人工复核：通过',
  refused: '人工复核：维持原决定',
  expired: '人工复核已超时结束',
}

/** How long a note to the reviewer may be (the contract's limit). */
export const REVIEW_NOTE_MAX = 200
