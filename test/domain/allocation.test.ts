// Repayment of any amount: allocation (overdue charges → fees → interest → principal, oldest line
// first), prepayment beyond what is due (a shorter plan or smaller installments), and the excess.
import fc from 'fast-check'
import { DAY_MS, HOUR_MS } from '../../src/domain/china-time'
import { allocate, dueAt, lineUseFen, openLines, transition, type Loan, type LoanEvent } from '../../src/domain/loan'
import { dailyInterest } from '../../src/domain/schedule'
import { chinaDaysBetween } from '../../src/domain/repayment'
import { DISBURSED_AT, makeDisbursedLoan } from '../support/loans'

const repay = (loan: Loan, event: Omit<Extract<LoanEvent, { type: 'REPAY' }>, 'type'>, at: number) => {
  const t = transition(loan, { type: 'REPAY', ...event }, at)
  if (!t.ok) throw new Error(`${t.code}: ${t.message}`)
  return t
}
const principalLeft = (loan: Loan) => openLines(loan).reduce((s, l) => s + l.principalFen, 0)

describe('a repayment of any amount', () => {
  // WE2000, ¥2,000 over 3 months, equal installments: line 1 is 656.63 principal + 30.42 interest + 20.00 fee.
  it('before the first due date it pays the next line: its fee, then its interest, then its principal', () => {
    const loan = makeDisbursedLoan()
    const at = DISBURSED_AT + 5 * DAY_MS
    const t = repay(loan, { amount: 3_000 }, at)
    expect(t.effects).toContainEqual({
      type: 'RECEIPT',
      kind: 'repay',
      amountFen: 3_000,
      // The fee billed at drawdown, the interest accrued in 5 days (2,000 × 0.05% × 5), then principal.
      breakdown: { overdueFen: 0, feeFen: 2_000, interestFen: 500, principalFen: 500 },
    })
    expect(t.loan).toMatchObject({
      state: 'repaying',
      paidInstallments: 0,
      partial: { feeFen: 2_000, interestFen: 500, principalFen: 500 },
    })
    // What is due now is the line less what was paid of it; the payoff falls by exactly the amount.
    expect(dueAt(t.loan, at).dueNowFen).toBe(loan.schedule[0].totalFen - 3_000)
    expect(dueAt(t.loan, at).payoff.totalFen).toBe(dueAt(loan, at).payoff.totalFen - 3_000)
    // The same day no more interest has accrued: all of it goes to principal, and frees the line.
    const more = repay(t.loan, { amount: 10_000 }, at)
    expect(more.loan.partial).toEqual({ feeFen: 2_000, interestFen: 500, principalFen: 10_500 })
    expect(lineUseFen(more.loan)).toBe(loan.amountFen - 10_500)
  })

  it('the rest of a line then the line itself: paid in two parts it is paid, exactly as in one', () => {
    const loan = makeDisbursedLoan()
    const at = DISBURSED_AT + 5 * DAY_MS
    const once = repay(loan, { amount: loan.schedule[0].totalFen }, at).loan
    const first = repay(loan, { amount: 12_345 }, at).loan
    const twice = repay(first, { amount: loan.schedule[0].totalFen - 12_345 }, at).loan
    expect(twice.paidInstallments).toBe(1)
    expect(twice.partial).toBeUndefined()
    expect(twice.paid).toEqual(once.paid)
    expect(twice.schedule).toEqual(once.schedule)
  })

  it('overdue: the charges first, then the oldest line; afterwards the charges run only on what is left', () => {
    const loan = makeDisbursedLoan()
    const due1 = loan.schedule[0].dueAt
    const at = due1 + 10 * DAY_MS
    // 707.05 overdue × 0.05% × 10 days = 3.54 (half up).
    expect(dueAt(loan, at).pastDue.overdueFen).toBe(354)
    const t = repay(loan, { amount: 40_354 }, at)
    expect(t.effects).toContainEqual(
      expect.objectContaining({
        breakdown: { overdueFen: 354, feeFen: 2_000, interestFen: 3_042, principalFen: 34_958 },
      }),
    )
    // 307.05 still overdue of line 1: ten days later it has cost 307.05 × 0.05% × 10 = 1.54 more, not 3.54.
    const later = at + 10 * DAY_MS
    expect(dueAt(t.loan, later).pastDue).toMatchObject({ totalFen: 70_705 - 40_000, overdueFen: 154 })
    expect(t.loan.state).toBe('repaying')
  })

  it('a partial amount on a loan marked overdue leaves it overdue until every past-due line is paid', () => {
    const loan = makeDisbursedLoan()
    const at = loan.schedule[0].dueAt + 3 * DAY_MS
    const overdue = transition(loan, { type: 'MARK_OVERDUE' }, at)
    if (!overdue.ok) throw new Error(overdue.code)
    expect(repay(overdue.loan, { amount: 500 }, at).loan.state).toBe('overdue')
    expect(repay(overdue.loan, { amount: 'due' }, at).loan.state).toBe('repaying')
  })

  it('beyond what is due it prepays principal: "shorten" keeps the installment and ends sooner', () => {
    const loan = makeDisbursedLoan({ product: 'weilidai', amountFen: 1_200_000, term: { months: 10 } })
    const at = DISBURSED_AT + 3 * DAY_MS
    const line = loan.schedule[0].totalFen
    const t = repay(loan, { amount: line + 500_000, prepay: 'shorten' }, at)
    const a = allocate(loan, line + 500_000, at, 'shorten')
    // The period's interest is recalculated: to the day on the balance as it was, then on what the
    // prepayment leaves — what that saves of the line's interest retires principal too.
    const accrued = dueAt(loan, at).rest.interestFen
    const after = principalLeft(loan) - loan.schedule[0].principalFen - a.prepaidFen
    const days = chinaDaysBetween(at, loan.schedule[0].dueAt)
    expect(a.prepaidFen).toBeGreaterThan(500_000)
    expect(a.prepaidFen + a.paid.interestFen).toBe(500_000 + loan.schedule[0].interestFen)
    expect(Math.abs(a.paid.interestFen - accrued - dailyInterest(after, loan.dailyRatePpm, days))).toBeLessThanOrEqual(
      1,
    )
    expect(t.loan.paidInstallments).toBe(1)
    const rest = t.loan.schedule.slice(1)
    expect(rest.length).toBeLessThan(9)
    // The installment (principal + interest) stays; the plan's principal still sums exactly.
    const installment = loan.schedule[1].principalFen + loan.schedule[1].interestFen
    for (const l of rest.slice(0, -1)) expect(l.principalFen + l.interestFen).toBe(installment)
    expect(rest.reduce((s, l) => s + l.principalFen, 0)).toBe(after)
    expect(rest.map((l) => l.dueDate)).toEqual(loan.schedule.slice(1, 1 + rest.length).map((l) => l.dueDate))
  })

  it('"reduce" keeps every date and lowers each installment', () => {
    const loan = makeDisbursedLoan({ product: 'weilidai', amountFen: 1_200_000, term: { months: 10 } })
    const at = DISBURSED_AT + 3 * DAY_MS
    const t = repay(loan, { amount: loan.schedule[0].totalFen + 500_000, prepay: 'reduce' }, at)
    const rest = t.loan.schedule.slice(1)
    expect(rest.map((l) => l.dueDate)).toEqual(loan.schedule.slice(1).map((l) => l.dueDate))
    expect(rest[0].totalFen).toBeLessThan(loan.schedule[1].totalFen)
    expect(rest.reduce((s, l) => s + l.principalFen, 0)).toBe(principalLeft(t.loan))
    expect(t.loan.paid.principalFen + principalLeft(t.loan)).toBe(loan.amountFen)
  })

  it('a flexible loan: the prepaid principal brings its interest to date; the rest runs on what is left', () => {
    // 微粒贷 ¥10,000 flexible for 30 days at its lowest daily rate, 0.02%.
    const loan = makeDisbursedLoan({
      product: 'weilidai',
      amountFen: 1_000_000,
      term: { days: 30 },
      mode: 'flexible',
    })
    const at = DISBURSED_AT + 10 * DAY_MS
    const t = repay(loan, { amount: 501_000 }, at)
    // 0.02% a day: p + p × 0.0002 × 10 = 5,010.00 → p = 5,000.00 and 1.00 interest.
    expect(t.effects).toContainEqual(
      expect.objectContaining({ breakdown: { overdueFen: 0, feeFen: 0, interestFen: 1_000, principalFen: 500_000 } }),
    )
    expect(t.loan.schedule[0]).toMatchObject({ principalFen: 500_000, interestFen: 3_000 })
    // Settling the next day: 5,000 + 5,000 × 0.02% × 11 days = 5,011.00.
    expect(dueAt(t.loan, at + DAY_MS).payoff.totalFen).toBe(501_100)
  })

  /**
   * Regression (review): the last line of a 31-day period, paid the morning of its due date — its
   * interest to the day ran past the line's own, so the payoff exceeded the line and an amount in
   * between paid 7 fen more principal than the loan had. Settling early never costs more than the
   * lines left; one fen less than that leaves one fen of principal.
   */
  it('the last line, before its hour, after a 31-day period: the line settles the loan; a fen less leaves a fen', () => {
    let loan = makeDisbursedLoan({
      product: 'weilidai',
      amountFen: 600_000,
      term: { months: 5 },
      mode: 'equal-installment',
    })
    for (const l of loan.schedule.slice(0, -1)) loan = repay(loan, { amount: l.totalFen }, l.dueAt - HOUR_MS).loan
    const last = loan.schedule.at(-1)!
    const at = last.dueAt - HOUR_MS
    expect(dueAt(loan, at).payoff.totalFen).toBe(last.totalFen)
    expect(repay(loan, { amount: last.totalFen }, at).loan).toMatchObject({
      state: 'settled',
      paid: { principalFen: 600_000 },
    })
    const short = repay(loan, { amount: last.totalFen - 1 }, at).loan
    expect(short.state).toBe('repaying')
    expect(short.paid.principalFen).toBe(600_000 - 1)
    expect(dueAt(short, at).payoff.totalFen).toBe(1)
  })

  it('more than the payoff, once the money has arrived: settled, the excess to refund', () => {
    const loan = makeDisbursedLoan()
    const at = DISBURSED_AT + DAY_MS
    const payoff = dueAt(loan, at).payoff.totalFen
    // (Asked for, more than the payoff is OVERPAYMENT: test/domain/loan-lifecycle.test.ts.)
    const t = repay(loan, { amount: payoff + 777, excess: 'refund' }, at)
    expect(t.loan.state).toBe('settled')
    expect(t.effects).toEqual([
      { type: 'TRANSFER_IN', amountFen: payoff + 777 },
      expect.objectContaining({ type: 'RECEIPT', kind: 'repay', amountFen: payoff }),
      { type: 'REFUND', amountFen: 777 },
    ])
  })

  it('any sequence of payments: every fen is allocated, principal is never lost, the payoff settles', () => {
    const modes = [
      { product: 'we2000', amountFen: 200_000, term: { months: 3 }, mode: 'equal-installment' },
      { product: 'xiaoe', amountFen: 600_000, term: { months: 6 }, mode: 'fee-installment' },
      { product: 'weilidai', amountFen: 600_000, term: { months: 5 }, mode: 'equal-principal' },
      { product: 'weilidai', amountFen: 800_000, term: { days: 60 }, mode: 'flexible' },
    ] as const
    fc.assert(
      fc.property(
        fc.constantFrom(...modes),
        fc.array(
          fc.record({
            days: fc.integer({ min: 0, max: 50 }),
            hours: fc.integer({ min: 0, max: 23 }),
            fen: fc.integer({ min: 1, max: 300_000 }),
            shorten: fc.boolean(),
          }),
          {
            maxLength: 8,
          },
        ),
        (req, payments) => {
          let loan = makeDisbursedLoan(req as never)
          let at = DISBURSED_AT
          for (const p of payments) {
            at += p.days * DAY_MS + p.hours * HOUR_MS
            const before = dueAt(loan, at)
            const t = transition(
              loan,
              { type: 'REPAY', amount: p.fen, prepay: p.shorten ? 'shorten' : 'reduce', excess: 'refund' },
              at,
            )
            if (!t.ok) {
              expect(t.code).toBe('LOAN_CLOSED')
              return
            }
            const r = t.effects.find((e) => e.type === 'RECEIPT')!
            if (r.type !== 'RECEIPT') throw new Error('no receipt')
            const b = r.breakdown
            expect(b.principalFen + b.interestFen + b.feeFen + b.overdueFen).toBe(r.amountFen)
            expect(r.amountFen).toBe(Math.min(p.fen, before.payoff.totalFen))
            for (const v of Object.values(b)) expect(v).toBeGreaterThanOrEqual(0)
            loan = t.loan
            expect(loan.paid.principalFen + principalLeft(loan)).toBe(loan.amountFen)
            if (loan.state !== 'settled') {
              // A payment lowers the payoff by what it paid — less only by interest or fee paid ahead of
              // the day (most of a line paid early, as the bill is), more only by the few fen of
              // interest the principal it paid would have borne since its period began.
              const after = dueAt(loan, at).payoff.totalFen
              const ahead = before.rest.interestFen + before.rest.feeFen
              const expected = before.payoff.totalFen - r.amountFen
              expect(after).toBeLessThanOrEqual(expected + Math.max(0, b.interestFen + b.feeFen - ahead) + 1)
              expect(after).toBeGreaterThanOrEqual(expected - dailyInterest(b.principalFen, loan.dailyRatePpm, 400) - 1)
            }
          }
          if (loan.state !== 'settled') {
            const settled = repay(loan, { amount: 'all' }, at)
            expect(settled.loan.state).toBe('settled')
            expect(settled.loan.paid.principalFen).toBe(loan.amountFen)
          }
        },
      ),
      { numRuns: 300 },
    )
  })

  it('paying more never leaves more owed: between the installment and the payoff, what is left falls with every fen paid', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('equal-installment' as const, 'equal-principal' as const),
        fc.integer({ min: 0, max: 27 * 24 }),
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.constantFrom('shorten' as const, 'reduce' as const),
        (mode, hours, u, v, choice) => {
          const loan = makeDisbursedLoan({ product: 'weilidai', amountFen: 1_200_000, term: { months: 10 }, mode })
          const at = DISBURSED_AT + hours * HOUR_MS
          const due = dueAt(loan, at)
          const line = loan.schedule[0].totalFen
          // Two amounts between the installment and the payoff, a < b.
          const span = due.payoff.totalFen - line - 1
          const [a, b] = [line + 1 + (Math.min(u, v) % span), line + 1 + (Math.max(u, v) % span)].sort((x, y) => x - y)
          const left = (amount: number) => dueAt(allocate(loan, amount, at, choice).loan, at).payoff.totalFen
          expect(left(b)).toBeLessThanOrEqual(left(a))
          // Near the payoff, what is left is about what was not paid (a fen short leaves about a fen), never more
          // than that plus the period's interest on it.
          const rest = 1 - (chinaDaysBetween(at, loan.schedule[0].dueAt) * loan.dailyRatePpm) / 1e6
          expect(left(b)).toBeLessThanOrEqual(Math.ceil((due.payoff.totalFen - b) / rest) + 2)
        },
      ),
      { numRuns: 300 },
    )
  })

  it('in any period (31-day ones too): a line never takes more interest than its own (or than settling would), and every fen beyond it retires principal', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('equal-installment' as const, 'equal-principal' as const),
        fc.integer({ min: 0, max: 8 }),
        fc.integer({ min: 1, max: 1_000 }),
        fc.integer({ min: 1, max: 300_000 }),
        (mode, k, permille, extra) => {
          let loan = makeDisbursedLoan({ product: 'weilidai', amountFen: 1_200_000, term: { months: 10 }, mode })
          // The lines before k paid as scheduled, each at its due time.
          for (let i = 0; i < k; i++) {
            const t = repay(loan, { amount: loan.schedule[i].totalFen }, loan.schedule[i].dueAt)
            loan = t.loan
          }
          const start = k === 0 ? DISBURSED_AT : loan.schedule[k - 1].dueAt
          const end = loan.schedule[k].dueAt
          const at = start + Math.floor(((end - start - 1) * permille) / 1_000)
          const line = loan.schedule[k].totalFen
          const payoff = dueAt(loan, at).payoff.totalFen
          // Short of what settles the loan by more than the interest to the day the payoff charges beyond the line's.
          const beyond = Math.max(0, dueAt(loan, at).rest.interestFen - loan.schedule[k].interestFen)
          const e = Math.min(extra, payoff - line - beyond - 2)
          if (e < 1) return
          const left = (amount: number) => dueAt(allocate(loan, amount, at, 'reduce').loan, at).payoff.totalFen
          const a = allocate(loan, line + e, at, 'reduce')
          // The line's own interest — or, paying nearly everything, the interest to the day that settling would charge.
          expect(a.paid.interestFen).toBeLessThanOrEqual(
            Math.max(loan.schedule[k].interestFen, dueAt(loan, at).rest.interestFen),
          )
          // The line's own interest, or less: every fen beyond the installment lowers the payoff by at least a fen (to a fen of rounding).
          expect(left(line) - left(line + e)).toBeGreaterThanOrEqual(e - 1)
        },
      ),
      { numRuns: 300 },
    )
  })
})
