// Repayment schedules for the four modes, to the fen. Conventions (pinned by tests):
// - 随借随还 flexible: one repayment after `days`; interest = principal × daily rate × days.
// - 等额本息 / 等额本金: monthly periods on the disbursement's day of month (clamped to month
//   end); periodic rate = daily rate × 365 / 12; each line's interest is rounded half-up; the
//   last line absorbs rounding so principal sums exactly to the amount.
// - fee installments (小鹅花钱): principal split equally (remainder fen on the last line),
//   fee = monthly fee rate × the ORIGINAL principal every month, no interest.
// - a drawdown fee (WE2000 1%) is billed at drawdown and paid with the first repayment.
import { DAY_MS, addChinaMonths, chinaDateString } from './china-time'
import { PPM, mulDivHalfUp, type Fen, type Ppm } from './money'
import type { RepaymentMode } from './catalog'

export interface ScheduleLine {
  n: number
  /** China calendar date 'YYYY-MM-DD'. */
  dueDate: string
  dueAt: number
  principalFen: Fen
  interestFen: Fen
  feeFen: Fen
  totalFen: Fen
}

export type Term = { months: number } | { days: number }

export interface ScheduleInput {
  mode: RepaymentMode
  amountFen: Fen
  term: Term
  dailyRatePpm: Ppm
  drawdownFeePpm?: Ppm
  monthlyFeePpm?: Ppm
  disbursedAt: number
}

/** Interest for one month on `balance`: balance × daily × 365 / 12, half-up. */
export function monthlyInterest(balance: Fen, dailyRatePpm: Ppm): Fen {
  return mulDivHalfUp([balance, dailyRatePpm, 365], 12 * PPM)
}

/** Interest for `days` days on `balance`: balance × daily × days, half-up. */
export function dailyInterest(balance: Fen, dailyRatePpm: Ppm, days: number): Fen {
  return mulDivHalfUp([balance, dailyRatePpm, days], PPM)
}

/**
 * The level payment of an equal-installment loan, exactly: P·r / (1 − (1 + r)^−n) with
 * r = ppm·365 / (12·10⁶) as a fraction a/b, in BigInt, rounded half-up to the fen.
 */
export function levelPaymentFen(amountFen: Fen, dailyRatePpm: Ppm, months: number): Fen {
  if (dailyRatePpm === 0) return Math.ceil(amountFen / months)
  const a = BigInt(dailyRatePpm * 365)
  const b = BigInt(12 * PPM)
  const growth = powBig(b + a, months)
  const base = powBig(b, months)
  const num = BigInt(amountFen) * a * growth
  const den = b * (growth - base)
  return Number((BigInt(2) * num + den) / (BigInt(2) * den))
}

/** x^n by repeated multiplication: the mini-program build turns `**` into Math.pow, which rejects BigInt. */
function powBig(x: bigint, n: number): bigint {
  let result = BigInt(1)
  for (let i = 0; i < n; i++) result *= x
  return result
}

export function buildSchedule(input: ScheduleInput): ScheduleLine[] {
  const { amountFen: P, dailyRatePpm: rate } = input
  const lines: ScheduleLine[] = []
  const line = (n: number, principalFen: Fen, interestFen: Fen, feeFen: Fen) => {
    const dueAt =
      'days' in input.term ? input.disbursedAt + input.term.days * DAY_MS : addChinaMonths(input.disbursedAt, n)
    lines.push({
      n,
      dueDate: chinaDateString(dueAt),
      dueAt,
      principalFen,
      interestFen,
      feeFen,
      totalFen: principalFen + interestFen + feeFen,
    })
  }

  if (input.mode === 'flexible') {
    const days = 'days' in input.term ? input.term.days : 0
    line(1, P, dailyInterest(P, rate, days), 0)
  } else {
    const n = 'months' in input.term ? input.term.months : 0
    const basePrincipal = Math.floor(P / n)
    const payment = input.mode === 'equal-installment' ? levelPaymentFen(P, rate, n) : 0
    const monthlyFee = input.mode === 'fee-installment' ? mulDivHalfUp([P, input.monthlyFeePpm ?? 0], PPM) : 0
    let balance = P
    for (let k = 1; k <= n; k++) {
      const interest = input.mode === 'fee-installment' ? 0 : monthlyInterest(balance, rate)
      let principal: Fen
      if (k === n) principal = balance
      else if (input.mode === 'equal-installment') principal = Math.min(balance, Math.max(0, payment - interest))
      else principal = basePrincipal
      line(k, principal, interest, monthlyFee)
      balance -= principal
    }
  }
  if (input.drawdownFeePpm) {
    const fee = mulDivHalfUp([P, input.drawdownFeePpm], PPM)
    lines[0].feeFen += fee
    lines[0].totalFen += fee
  }
  return lines
}
