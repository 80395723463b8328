// Reading loans: the borrower's list and one loan, as the contract's LoanView (figures as of now).
import { fail, ok, type ApiResult, type LoanView } from '../../../src/api'
import { coolingOffEndsAt, dueAt, feeTermsOfLoan, inRepayment, type Loan } from '../../../src/domain/loan'
import { ppmToPercent } from '../../../src/domain/money'
import type { Ports } from '../../ports'
import { COLLECTIONS } from '../../schema'
import { ownLoan, type LoanDoc } from './docs'
import { settlePayout } from '../payouts'
import type { UseCase } from '../use-case'

export async function list(ports: Ports, openid: string): Promise<ApiResult<LoanView[]>> {
  const now = ports.clock.now()
  const docs = await ports.store.query<LoanDoc>(COLLECTIONS.loans, {
    index: 'byOpenid',
    eq: openid,
    order: 'desc',
    limit: 100,
  })
  return ok(docs.map((d) => view(d.data.loan, now)))
}

export const get: UseCase<'loans', 'get'> = async (ports, openid, input) => {
  let doc = await ownLoan(ports, openid, input.loanId)
  if (!doc) return fail('NOT_FOUND', { field: 'loanId' })
  // Waiting for its payout: the lender's gateway is asked, so the loan lands by itself.
  if (doc.data.loan.state === 'disbursing') {
    await settlePayout(ports, input.loanId)
    doc = (await ownLoan(ports, openid, input.loanId)) ?? doc
  }
  return ok(view(doc.data.loan, ports.clock.now()))
}

export function view(loan: Loan, now: number): LoanView {
  const due = inRepayment(loan.state) ? dueAt(loan, now) : null
  return {
    id: loan.id,
    product: loan.product,
    mode: loan.mode,
    amountFen: loan.amountFen,
    ...('months' in loan.term ? { termMonths: loan.term.months } : { termDays: loan.term.days }),
    dailyRatePercent: ppmToPercent(loan.dailyRatePpm),
    aprPercent: loan.aprPercent,
    state: loan.state,
    appliedAt: loan.appliedAt,
    disbursedAt: loan.disbursedAt,
    closedAt: loan.closedAt,
    coolingOffEndsAt: coolingOffEndsAt(loan),
    schedule: loan.schedule.map((l, i) => ({
      n: l.n,
      dueDate: l.dueDate,
      principalFen: l.principalFen,
      interestFen: l.interestFen,
      feeFen: l.feeFen,
      totalFen: l.totalFen,
      paid: i < loan.paidInstallments,
      paidFen:
        i < loan.paidInstallments
          ? l.totalFen
          : i === loan.paidInstallments && loan.partial
            ? loan.partial.principalFen + loan.partial.interestFen + loan.partial.feeFen
            : 0,
    })),
    paid: loan.paid,
    due: due ? { dueNowFen: due.dueNowFen, payoffFen: due.payoff.totalFen, overdueFen: due.pastDue.overdueFen } : null,
    overdue: feeTermsOfLoan(loan).overdue,
    reasons: loan.reasons,
    serverTime: now,
  }
}
