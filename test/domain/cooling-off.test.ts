import { DAY_MS, HOUR_MS } from '../../src/domain/china-time'
import { coolingOffEndsAt, transition } from '../../src/domain/loan'
import { DISBURSED_AT, makeDisbursedLoan } from '../support/loans'

describe('冷静期: cancel within 24 hours of disbursement', () => {
  it('at 23:59:59.999 the loan cancels: the principal goes back, no interest, no fee', () => {
    const loan = makeDisbursedLoan()
    const t = transition(loan, { type: 'CANCEL' }, DISBURSED_AT + DAY_MS - 1)
    expect(t).toEqual({
      ok: true,
      loan: expect.objectContaining({
        state: 'cancelled',
        closedAt: DISBURSED_AT + DAY_MS - 1,
        paid: { principalFen: 200_000, interestFen: 0, feeFen: 0, overdueFen: 0 },
      }),
      effects: [
        { type: 'TRANSFER_IN', amountFen: 200_000 },
        {
          type: 'RECEIPT',
          kind: 'cancel',
          amountFen: 200_000,
          breakdown: { principalFen: 200_000, interestFen: 0, feeFen: 0, overdueFen: 0 },
        },
      ],
    })
  })

  it('at exactly 24:00:00.000 it is closed: COOLING_OFF_EXPIRED', () => {
    const loan = makeDisbursedLoan()
    expect(coolingOffEndsAt(loan)).toBe(DISBURSED_AT + DAY_MS)
    expect(transition(loan, { type: 'CANCEL' }, DISBURSED_AT + DAY_MS)).toMatchObject({
      ok: false,
      code: 'COOLING_OFF_EXPIRED',
    })
  })

  it('WE2000’s 1% withdrawal fee is not charged on a cancel', () => {
    const t = transition(makeDisbursedLoan(), { type: 'CANCEL' }, DISBURSED_AT + HOUR_MS)
    expect(t.ok && t.loan.paid.feeFen).toBe(0)
  })

  /**
   * Not a race (that is test/server/loans.test.ts, with both requests reading the same version):
   * the transition a race's loser is decided again with. Whichever closed the loan, the other is refused.
   */
  it('once cancel or repay has closed the loan, the other is refused: LOAN_CLOSED', () => {
    const loan = makeDisbursedLoan()
    const at = DISBURSED_AT + HOUR_MS
    const cancelled = transition(loan, { type: 'CANCEL' }, at)
    const repaid = transition(loan, { type: 'REPAY', amount: 'all' }, at)
    expect(cancelled.ok && repaid.ok).toBe(true)
    if (!cancelled.ok || !repaid.ok) return
    expect(transition(cancelled.loan, { type: 'REPAY', amount: 'all' }, at)).toMatchObject({
      ok: false,
      code: 'LOAN_CLOSED',
    })
    expect(transition(repaid.loan, { type: 'CANCEL' }, at)).toMatchObject({ ok: false, code: 'LOAN_CLOSED' })
  })

  it('after any repayment the loan can be repaid early, not cancelled', () => {
    const loan = makeDisbursedLoan()
    const first = transition(loan, { type: 'REPAY', amount: loan.schedule[0].totalFen }, DISBURSED_AT + HOUR_MS)
    expect(first.ok).toBe(true)
    if (!first.ok) return
    expect(transition(first.loan, { type: 'CANCEL' }, DISBURSED_AT + 2 * HOUR_MS)).toMatchObject({
      ok: false,
      code: 'CANCEL_AFTER_REPAYMENT',
    })
  })
})
