import { DAY_MS } from '../../src/domain/china-time'
import { REVIEW_TTL_MS } from '../../src/domain/line'
import { coolingOffEndsAt, dueAt, lineUseFen, transition, type Loan, type LoanEvent } from '../../src/domain/loan'
import { DISBURSED_AT, makeAppliedLoan, makeDisbursedLoan } from '../support/loans'

const step = (loan: Loan, event: LoanEvent, at: number) => {
  const t = transition(loan, event, at)
  if (!t.ok) throw new Error(`${t.code}: ${t.message}`)
  return t
}

/** A ¥1,000 one-month WE2000 loan (over the 24% default cap: priced under the 36% setting), just applied for. */
const appliedLoan = (id: string): Loan =>
  makeAppliedLoan({ amountFen: 100_000, term: { months: 1 }, mode: 'equal-principal' }, id)

describe('loan lifecycle', () => {
  it('applied → approved → disbursing → disbursed: money goes out once, when the payout is confirmed', () => {
    const applied = appliedLoan('L9')
    const approved = step(applied, { type: 'APPROVE' }, DISBURSED_AT)
    const asked = step(approved.loan, { type: 'DISBURSE' }, DISBURSED_AT)
    expect(approved.effects).toEqual([
      { type: 'RECEIPT', kind: 'approve', amountFen: 100_000, breakdown: expect.any(Object) },
    ])
    // Asking for the payout moves no money and starts no cooling-off.
    expect(asked.effects).toEqual([])
    expect(asked.loan).toMatchObject({ state: 'disbursing', disbursedAt: null })
    expect(lineUseFen(asked.loan)).toBe(100_000)
    expect(transition(asked.loan, { type: 'CANCEL' }, DISBURSED_AT)).toMatchObject({
      ok: false,
      code: 'INVALID_TRANSITION',
    })
    expect(transition(asked.loan, { type: 'REPAY', amount: 'all' }, DISBURSED_AT)).toMatchObject({ ok: false })
    const landed = DISBURSED_AT + 90_000
    const disbursed = step(asked.loan, { type: 'PAYOUT_CONFIRMED', at: landed }, landed + 5_000)
    expect(disbursed.effects[0]).toEqual({ type: 'TRANSFER_OUT', amountFen: 100_000 })
    expect(disbursed.loan).toMatchObject({ state: 'disbursed', disbursedAt: landed })
    expect(coolingOffEndsAt(disbursed.loan)).toBe(landed + 24 * 3_600_000)
    expect(transition(disbursed.loan, { type: 'PAYOUT_CONFIRMED', at: landed }, landed)).toMatchObject({ ok: false })
  })

  it('a failed payout ends the loan with no money out and gives the line back', () => {
    const asked = step(
      step(appliedLoan('L10'), { type: 'APPROVE' }, DISBURSED_AT).loan,
      { type: 'DISBURSE' },
      DISBURSED_AT,
    )
    const failed = step(asked.loan, { type: 'PAYOUT_FAILED', reason: 'CARD_REJECTED' }, DISBURSED_AT + 1)
    expect(failed.loan).toMatchObject({ state: 'cancelled', reasons: ['PAYOUT_FAILED'], disbursedAt: null })
    expect(failed.effects).toEqual([{ type: 'RECEIPT', kind: 'cancel', amountFen: 0, breakdown: expect.any(Object) }])
    expect(lineUseFen(failed.loan)).toBe(0)
  })

  it('refused and review are decisions, not errors; a refused loan never disburses', () => {
    const applied = appliedLoan('L8')
    const refused = step(applied, { type: 'REFUSE', reasons: ['SCORE_BELOW_THRESHOLD'] }, DISBURSED_AT)
    expect(refused.loan).toMatchObject({ state: 'refused', reasons: ['SCORE_BELOW_THRESHOLD'] })
    expect(transition(refused.loan, { type: 'DISBURSE' }, DISBURSED_AT)).toMatchObject({
      ok: false,
      code: 'INVALID_TRANSITION',
    })
    const review = step(applied, { type: 'REVIEW' }, DISBURSED_AT)
    expect(step(review.loan, { type: 'APPROVE' }, DISBURSED_AT).loan.state).toBe('approved')
  })

  it('a review nobody decides is refused REVIEW_EXPIRED at exactly 7 days, not a millisecond before', () => {
    const applied = appliedLoan('L7')
    const review = step(applied, { type: 'REVIEW' }, applied.appliedAt).loan
    expect(transition(review, { type: 'EXPIRE_REVIEW' }, applied.appliedAt + REVIEW_TTL_MS - 1)).toMatchObject({
      ok: false,
      code: 'NOT_DUE',
    })
    const expired = step(review, { type: 'EXPIRE_REVIEW' }, applied.appliedAt + REVIEW_TTL_MS)
    expect(expired.loan).toMatchObject({ state: 'refused', reasons: ['REVIEW_EXPIRED'] })
    expect(expired.effects).toEqual([{ type: 'RECEIPT', kind: 'refuse', amountFen: 0, breakdown: expect.any(Object) }])
    expect(transition(applied, { type: 'EXPIRE_REVIEW' }, applied.appliedAt + REVIEW_TTL_MS)).toMatchObject({
      ok: false,
      code: 'INVALID_TRANSITION',
    })
  })

  it('a loan approved but held for face can be cancelled before its payout: nothing moves, and it holds nothing more', () => {
    const held = step(appliedLoan('L5'), { type: 'APPROVE' }, DISBURSED_AT).loan
    const cancelled = step(held, { type: 'CANCEL' }, DISBURSED_AT + 1)
    expect(cancelled.loan).toMatchObject({ state: 'cancelled', disbursedAt: null, paid: { principalFen: 0 } })
    expect(cancelled.effects).toEqual([
      { type: 'RECEIPT', kind: 'cancel', amountFen: 0, breakdown: expect.any(Object) },
    ])
    expect(lineUseFen(cancelled.loan)).toBe(0)
  })

  it('what a loan holds of its line: all of it until the payout, the unpaid principal after, nothing once ended', () => {
    const applied = appliedLoan('L6')
    expect(lineUseFen(applied)).toBe(100_000)
    expect(lineUseFen(step(applied, { type: 'REVIEW' }, DISBURSED_AT).loan)).toBe(100_000)
    expect(lineUseFen(step(applied, { type: 'REFUSE', reasons: [] }, DISBURSED_AT).loan)).toBe(0)
    const disbursed = makeDisbursedLoan()
    expect(lineUseFen(disbursed)).toBe(disbursed.amountFen)
    const paid = step(
      disbursed,
      { type: 'REPAY', amount: dueAt(disbursed, disbursed.schedule[0].dueAt).dueNowFen },
      disbursed.schedule[0].dueAt,
    )
    expect(lineUseFen(paid.loan)).toBe(disbursed.amountFen - disbursed.schedule[0].principalFen)
    const cancelled = step(disbursed, { type: 'CANCEL' }, DISBURSED_AT + 1)
    expect(lineUseFen(cancelled.loan)).toBe(0)
  })

  it('repaying on each due date settles the loan at exactly the scheduled figures', () => {
    let loan = makeDisbursedLoan()
    for (const line of loan.schedule) {
      const at = line.dueAt - 1
      expect(dueAt(loan, at).dueNowFen).toBe(line.totalFen)
      loan = step(loan, { type: 'REPAY', amount: line.totalFen }, at).loan
    }
    expect(loan.state).toBe('settled')
    expect(loan.paid).toEqual({ principalFen: 200_000, interestFen: 6114, feeFen: 2000, overdueFen: 0 })
  })

  /**
   * Regression: paying the last line a day early was refused as OVERPAYMENT, because settling
   * then costs interest to the day (less than the line's full month). What is due now is now
   * capped at the payoff, and paying it settles the loan.
   */
  it('the last line paid early costs only interest to the day, and settles the loan', () => {
    let loan = makeDisbursedLoan()
    for (const line of loan.schedule.slice(0, 2))
      loan = step(loan, { type: 'REPAY', amount: line.totalFen }, line.dueAt - 1).loan
    const last = loan.schedule[2]
    const at = last.dueAt - 2 * DAY_MS
    const due = dueAt(loan, at)
    expect(due.dueNowFen).toBeLessThan(last.totalFen)
    expect(due.dueNowFen).toBe(due.payoff.totalFen)
    expect(step(loan, { type: 'REPAY', amount: due.dueNowFen }, at).loan).toMatchObject({
      state: 'settled',
      paid: { principalFen: 200_000 },
    })
  })

  it('"all" before the first due date: principal + interest to the day + the unpaid withdrawal fee', () => {
    const loan = makeDisbursedLoan()
    const t = step(loan, { type: 'REPAY', amount: 'all' }, DISBURSED_AT + 10 * DAY_MS)
    // 2,000 × 0.05% × 10 days = 10.00 interest; the 20.00 fee billed at drawdown.
    expect(t.effects).toEqual([
      { type: 'TRANSFER_IN', amountFen: 203_000 },
      {
        type: 'RECEIPT',
        kind: 'repay',
        amountFen: 203_000,
        breakdown: { principalFen: 200_000, interestFen: 1000, feeFen: 2000, overdueFen: 0 },
      },
    ])
    expect(t.loan.state).toBe('settled')
  })

  it('overpaying is refused with the amounts that are allowed; any smaller positive amount is taken', () => {
    const loan = makeDisbursedLoan()
    const at = DISBURSED_AT + DAY_MS
    const payoff = dueAt(loan, at).payoff.totalFen
    expect(transition(loan, { type: 'REPAY', amount: payoff + 1 }, at)).toMatchObject({
      ok: false,
      code: 'OVERPAYMENT',
      allowedFen: [loan.schedule[0].totalFen, payoff],
    })
    expect(transition(loan, { type: 'REPAY', amount: 100 }, at)).toMatchObject({
      ok: true,
      loan: { state: 'repaying', paidInstallments: 0, partial: { feeFen: 100, interestFen: 0, principalFen: 0 } },
    })
    expect(transition(loan, { type: 'REPAY', amount: -5 }, at)).toMatchObject({ ok: false, code: 'INVALID_AMOUNT' })
  })

  it('a missed due date: marked overdue, and paying it costs the product’s overdue charge (WE2000: 0.05% a day)', () => {
    const loan = makeDisbursedLoan()
    const at = loan.schedule[0].dueAt + 7 * DAY_MS
    const overdue = step(loan, { type: 'MARK_OVERDUE' }, at).loan
    expect(overdue.state).toBe('overdue')
    const due = dueAt(overdue, at)
    // 707.05 overdue × 0.05% × 7 days = 2.47
    expect(due.pastDue).toMatchObject({ totalFen: 70_705, overdueFen: 247 })
    const paid = step(overdue, { type: 'REPAY', amount: due.dueNowFen }, at)
    expect(paid.loan).toMatchObject({ state: 'repaying', paidInstallments: 1, paid: { overdueFen: 247 } })
  })

  it('nothing past due → MARK_OVERDUE is refused', () => {
    expect(transition(makeDisbursedLoan(), { type: 'MARK_OVERDUE' }, DISBURSED_AT + DAY_MS)).toMatchObject({
      ok: false,
      code: 'NOTHING_OVERDUE',
    })
  })

  it('a loan survives a JSON round trip and decides the same afterwards', () => {
    const loan = makeDisbursedLoan({
      product: 'xiaoe',
      amountFen: 300_000,
      mode: 'fee-installment',
      term: { months: 3 },
    })
    const copy = JSON.parse(JSON.stringify(loan)) as Loan
    const at = DISBURSED_AT + 40 * DAY_MS
    expect(transition(copy, { type: 'REPAY', amount: 'all' }, at)).toEqual(
      transition(loan, { type: 'REPAY', amount: 'all' }, at),
    )
  })
})
