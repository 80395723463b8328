// The live preview of a repayment: what an amount would pay, by kind, and the loan after it —
// the same allocation the confirmed payment will make, as of now.
import { fail, ok } from '../../../src/api'
import { allocate, dueAt, inRepayment } from '../../../src/domain/loan'
import { ownLoan } from './docs'
import { view } from './view'
import type { UseCase } from '../use-case'

export const previewRepayment: UseCase<'loans', 'previewRepayment'> = async (ports, openid, input) => {
  const doc = await ownLoan(ports, openid, input.loanId)
  if (!doc) return fail('NOT_FOUND', { field: 'loanId' })
  const loan = doc.data.loan
  if (!inRepayment(loan.state)) return fail('LOAN_CLOSED')
  const now = ports.clock.now()
  const due = dueAt(loan, now)
  const amountFen =
    input.amountFen === 'all' ? due.payoff.totalFen : input.amountFen === 'due' ? due.dueNowFen : input.amountFen
  if (!Number.isSafeInteger(amountFen) || amountFen <= 0)
    return fail('INVALID_AMOUNT', { field: 'amountFen', message: '还款金额须为正的整数分（至少 0.01 元）。' })
  const a = allocate(loan, amountFen, now, input.prepay ?? 'reduce')
  return ok({
    amountFen,
    paid: a.paid,
    prepaidFen: a.prepaidFen,
    excessFen: a.excessFen,
    settles: a.loan.state === 'settled',
    after: view(a.loan, now),
  })
}
