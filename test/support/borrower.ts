// Factory: a borrower taken through onboarding (agreements, real name, a bound debit card) who
// then borrows — the set-up many server tests share.
import { makeCard } from './cards'
import type { ApiResult, LineView, LoanView, PaymentView } from '../../src/api'
import { devOpenid } from '../../server/local/runtime/session'
import type { TestCloud } from './cloud'
import { ALL_AGREEMENTS } from './cloud'
import { makeApplicant } from './factories'

export const CARD_NUMBER = makeCard('622588', '123456789')

export async function onboardBorrower(cloud: TestCloud, user = 'alice', applicant = makeApplicant()) {
  await cloud.call('onboarding', 'acceptAgreements', { accepted: ALL_AGREEMENTS }, { user })
  await cloud.call('onboarding', 'verifyIdentity', applicant, { user })
  const bound = await cloud.call(
    'onboarding',
    'bindCard',
    { cardNumber: CARD_NUMBER, mobile: applicant.mobile, name: applicant.name, idNumber: applicant.idNumber },
    { user },
  )
  if (!bound.ok) throw new Error(bound.error.code)
  return applicant
}

/** The onboarded borrower's WeChat Pay score authorized (the simulated service says it meets the bar). */
export async function authorizePayScore(cloud: TestCloud, user = 'alice'): Promise<void> {
  const authorized = await cloud.call('onboarding', 'authorizePayScore', {}, { user })
  if (!authorized.ok) throw new Error(authorized.error.code)
}

/** Opens the product's line (its consent, then the opening), unless it is open already: the line. */
export async function openLine(cloud: TestCloud, user = 'alice', product = 'we2000'): Promise<LineView> {
  const got = await cloud.call<LineView>('lines', 'get', { product }, { user })
  if (got.ok && (got.data.state === 'active' || got.data.state === 'frozen')) return got.data
  const c = await cloud.call<{ consentId: string }>('lines', 'consent', { product }, { user })
  if (!c.ok) throw new Error(c.error.code)
  const opened = await cloud.call<LineView>('lines', 'open', { product, consentId: c.data.consentId }, { user })
  if (!opened.ok) throw new Error(opened.error.code)
  return opened.data
}

/** A six-month ¥1,000 WE2000 loan (equal principal; shorter terms are over the 24% cap), drawn on the product's line (opened first when it is not). */
export async function borrow(cloud: TestCloud, user = 'alice', over: Record<string, unknown> = {}): Promise<LoanView> {
  const product = (over.product as string | undefined) ?? 'we2000'
  await openLine(cloud, user, product)
  const r = await cloud.call<{ loan: LoanView }>(
    'loans',
    'apply',
    {
      product: 'we2000',
      amountFen: 100_000,
      termMonths: 6,
      mode: 'equal-principal',
      purpose: 'consumption',
      ...over,
    },
    { user },
  )
  if (!r.ok) throw new Error(r.error.code)
  return r.data.loan
}

/** Opens a repayment of `amountFen` on a loan (loans.repay) and answers its payment id; nothing is paid yet. */
export async function openRepayment(
  cloud: TestCloud,
  loanId: string,
  amountFen: number,
  user = 'alice',
): Promise<string> {
  const r = await cloud.call<{ payment: PaymentView }>('loans', 'repay', { loanId, amountFen }, { user })
  if (!r.ok) throw new Error(r.error.code)
  return r.data.payment.paymentId
}

/**
 * A repayment as the borrower makes it: loans.repay opens a payment, the borrower pays it in the
 * (simulated) WeChat Pay sheet, WeChat Pay calls the payCallback function, which asks WeChat Pay
 * and records it. Answers the payment as it stands afterwards and the loan, or repay's refusal.
 */
export async function repayAndPay(
  cloud: TestCloud,
  loanId: string,
  amountFen: number | 'all' | 'due',
  opts: { user?: string; prepay?: 'shorten' | 'reduce'; duplicates?: number } = {},
): Promise<ApiResult<{ payment: PaymentView; loan: LoanView }>> {
  const user = opts.user ?? 'alice'
  const r = await cloud.call<{ payment: PaymentView }>(
    'loans',
    'repay',
    { loanId, amountFen, ...(opts.prepay ? { prepay: opts.prepay } : {}) },
    { user },
  )
  if (!r.ok) return r
  return payAndSee(cloud, r.data.payment.paymentId, loanId, { user, duplicates: opts.duplicates })
}

/** Pays an open payment in the simulated sheet (success), then reads it and its loan again. */
export async function payAndSee(
  cloud: TestCloud,
  paymentId: string,
  loanId: string,
  opts: { user?: string; duplicates?: number; outcome?: 'success' | 'fail'; amountFen?: number } = {},
): Promise<ApiResult<{ payment: PaymentView; loan: LoanView }>> {
  const user = opts.user ?? 'alice'
  const paid = await cloud.ports.simulatePayment(devOpenid(user), paymentId, {
    outcome: opts.outcome ?? 'success',
    duplicates: opts.duplicates,
    amountFen: opts.amountFen,
  })
  if (!paid) throw new Error(`no such payment ${paymentId}`)
  // The loan first: as the callback left it (payments.get would ask WeChat Pay itself, and settle).
  const loan = await cloud.call<LoanView>('loans', 'get', { loanId }, { user })
  const payment = await cloud.call<PaymentView>('payments', 'get', { paymentId }, { user })
  if (!payment.ok) return payment
  if (!loan.ok) return loan
  return { ok: true, data: { payment: payment.data, loan: loan.data } }
}

/** A cooling-off cancel as the borrower makes it: the principal paid back through WeChat Pay. */
export async function cancelAndPay(cloud: TestCloud, loanId: string, user = 'alice') {
  const r = await cloud.call<{ loan: LoanView; payment: PaymentView | null }>('loans', 'cancel', { loanId }, { user })
  if (!r.ok) return r
  if (!r.data.payment) return { ok: true as const, data: { payment: null, loan: r.data.loan } }
  return payAndSee(cloud, r.data.payment.paymentId, loanId, { user })
}
