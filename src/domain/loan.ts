// The loan's life as a pure state machine: transition(loan, event, now) → the next loan and the
// effects (money movements, receipts, audit entries) as data. The caller persists the loan with
// compare-and-set, then runs the effects; a lost race means the event is re-decided on the
// stored loan, so cancel, repay and overdue marking can never both win.
//
//   applied → approved → disbursed → cancelled            (within the 24 h cooling-off)
//           ↘ review ↗            ↘ repaying ⇄ overdue → settled
//           ↘ refused
import { DEFAULT_CATALOG, type Catalog, type ProductId, type RepaymentMode } from './catalog'
import { COOLING_OFF_HOURS, COOLING_OFF_MS } from './agreements'
import { formatYuan, type Fen, type Ppm } from './money'
import { REVIEW_TTL_MS } from './line'
import { chinaDaysBetween, overdueCharge, quoteEarlyRepayment } from './repayment'
import type { ScheduleLine, Term } from './schedule'

export type LoanState =
  'applied' | 'review' | 'approved' | 'refused' | 'disbursed' | 'repaying' | 'overdue' | 'cancelled' | 'settled'

/** Disbursed and not yet closed: money is owed, the plan runs, the jobs watch it. */
export function inRepayment(state: LoanState | string): boolean {
  return state === 'disbursed' || state === 'repaying' || state === 'overdue'
}

/** Ended for good: cancelled, settled or refused. */
export function isClosed(state: LoanState | string): boolean {
  return state === 'cancelled' || state === 'settled' || state === 'refused'
}

/** Ended after the money went out — cancelled in the cooling-off, or settled: what was paid is final. */
export function endedAfterPayout(state: LoanState | string): boolean {
  return isClosed(state) && state !== 'refused'
}

/**
 * What a loan holds of its line: the whole amount while it waits for its payout (applied, in
 * review, approved), the principal not yet repaid once paid out, nothing once it has ended. A
 * change of loan frees (or takes) exactly the difference — and the line job's reconciliation
 * re-derives a line's "in use" as the sum of this over its loans.
 */
export function lineUseFen(loan: Pick<Loan, 'state' | 'amountFen' | 'paid'>): Fen {
  if (isClosed(loan.state)) return 0
  return inRepayment(loan.state) ? loan.amountFen - loan.paid.principalFen : loan.amountFen
}

export interface Loan {
  id: string
  product: ProductId
  mode: RepaymentMode
  amountFen: Fen
  term: Term
  dailyRatePpm: Ppm
  aprPercent: number
  schedule: ScheduleLine[]
  catalogVersion: string
  ruleSetVersion: string
  state: LoanState
  appliedAt: number
  disbursedAt: number | null
  closedAt: number | null
  /** Lines 1…paidInstallments are paid. */
  paidInstallments: number
  paid: { principalFen: Fen; interestFen: Fen; feeFen: Fen; overdueFen: Fen }
  reasons: string[]
}

export type LoanEvent =
  | { type: 'APPROVE' }
  | { type: 'REVIEW' }
  | { type: 'REFUSE'; reasons: string[] }
  /** A review nobody decided within 7 days: refused (REVIEW_EXPIRED), never a dead end. */
  | { type: 'EXPIRE_REVIEW' }
  | { type: 'DISBURSE' }
  | { type: 'CANCEL' }
  | { type: 'REPAY'; amount: Fen | 'all' }
  | { type: 'MARK_OVERDUE' }

export type ReceiptKind = 'apply' | 'approve' | 'refuse' | 'review' | 'disburse' | 'cancel' | 'repay'

export type LoanEffect =
  | { type: 'TRANSFER_OUT'; amountFen: Fen }
  | { type: 'TRANSFER_IN'; amountFen: Fen }
  | {
      type: 'RECEIPT'
      kind: ReceiptKind
      amountFen: Fen
      breakdown: { principalFen: Fen; interestFen: Fen; feeFen: Fen; overdueFen: Fen }
    }

export type LoanErrorCode =
  | 'INVALID_TRANSITION'
  | 'COOLING_OFF_EXPIRED'
  | 'CANCEL_AFTER_REPAYMENT'
  | 'LOAN_CLOSED'
  | 'INVALID_AMOUNT'
  | 'OVERPAYMENT'
  | 'AMOUNT_NOT_ALLOWED'
  | 'NOTHING_OVERDUE'
  | 'NOT_DUE'

export type TransitionResult =
  | { ok: true; loan: Loan; effects: LoanEffect[] }
  | { ok: false; code: LoanErrorCode; message: string; allowedFen?: Fen[] }

const zero = { principalFen: 0, interestFen: 0, feeFen: 0, overdueFen: 0 }
const fail = (code: LoanErrorCode, message: string, extra: { allowedFen?: Fen[] } = {}): TransitionResult => ({
  ok: false,
  code,
  message,
  ...extra,
})

export function coolingOffEndsAt(loan: Pick<Loan, 'disbursedAt'>): number | null {
  return loan.disbursedAt === null ? null : loan.disbursedAt + COOLING_OFF_MS
}

export interface Due {
  /** Past-due lines (due date reached, unpaid), with their overdue charges to date. */
  pastDue: { lines: ScheduleLine[]; totalFen: Fen; overdueFen: Fen }
  /** Everything owed to settle the loan now: past-due plus the early-repayment quote for the rest. */
  payoff: { principalFen: Fen; interestFen: Fen; feeFen: Fen; overdueFen: Fen; totalFen: Fen }
  /** The smallest amount that pays what is due now: past-due lines, or else the next line. */
  dueNowFen: Fen
}

/** What is owed at `now`, to the fen. */
export function dueAt(loan: Loan, now: number, catalog: Catalog = DEFAULT_CATALOG): Due {
  const rule = catalog.products[loan.product].overdue
  const open = loan.schedule.slice(loan.paidInstallments)
  const past = open.filter((l) => l.dueAt <= now)
  let overdueFen = 0
  for (const l of past) {
    overdueFen += overdueCharge(rule, {
      overduePrincipalFen: l.principalFen,
      overdueAmountFen: l.totalFen,
      contractDailyRatePpm: loan.dailyRatePpm,
      days: chinaDaysBetween(l.dueAt, now),
    })
  }
  const pastTotals = past.reduce(
    (s, l) => ({
      principalFen: s.principalFen + l.principalFen,
      interestFen: s.interestFen + l.interestFen,
      feeFen: s.feeFen + l.feeFen,
    }),
    { principalFen: 0, interestFen: 0, feeFen: 0 },
  )
  let rest = { principalFen: 0, interestFen: 0, feeFen: 0 }
  const paidThrough = loan.paidInstallments + past.length
  if (paidThrough < loan.schedule.length) {
    const q = quoteEarlyRepayment({ ...loan, disbursedAt: loan.disbursedAt ?? loan.appliedAt }, paidThrough, now)
    if (q.ok) rest = q.quote
  }
  const pastTotalFen = pastTotals.principalFen + pastTotals.interestFen + pastTotals.feeFen
  const payoff = {
    principalFen: pastTotals.principalFen + rest.principalFen,
    interestFen: pastTotals.interestFen + rest.interestFen,
    feeFen: pastTotals.feeFen + rest.feeFen,
    overdueFen,
    totalFen: 0,
  }
  payoff.totalFen = payoff.principalFen + payoff.interestFen + payoff.feeFen + payoff.overdueFen
  // Paying the last line early costs interest to the day, which can be less than the line: what
  // is due now never exceeds what settles the loan.
  const dueNowFen = Math.min(payoff.totalFen, past.length > 0 ? pastTotalFen + overdueFen : (open[0]?.totalFen ?? 0))
  return { pastDue: { lines: past, totalFen: pastTotalFen, overdueFen }, payoff, dueNowFen }
}

type Breakdown = Loan['paid']

function addPaid(paid: Breakdown, more: Breakdown): Breakdown {
  return {
    principalFen: paid.principalFen + more.principalFen,
    interestFen: paid.interestFen + more.interestFen,
    feeFen: paid.feeFen + more.feeFen,
    overdueFen: paid.overdueFen + more.overdueFen,
  }
}

const receipt = (kind: ReceiptKind, amountFen: Fen, breakdown = zero): LoanEffect => ({
  type: 'RECEIPT',
  kind,
  amountFen,
  breakdown,
})

export function transition(
  loan: Loan,
  event: LoanEvent,
  now: number,
  catalog: Catalog = DEFAULT_CATALOG,
): TransitionResult {
  const s = loan.state
  const closed = isClosed(s)
  switch (event.type) {
    case 'APPROVE':
      if (s !== 'applied' && s !== 'review') return fail('INVALID_TRANSITION', `不能从 ${s} 批准。`)
      return { ok: true, loan: { ...loan, state: 'approved' }, effects: [receipt('approve', loan.amountFen)] }
    case 'REVIEW':
      if (s !== 'applied') return fail('INVALID_TRANSITION', `不能从 ${s} 转人工审核。`)
      return { ok: true, loan: { ...loan, state: 'review' }, effects: [receipt('review', loan.amountFen)] }
    case 'REFUSE':
      if (s !== 'applied' && s !== 'review') return fail('INVALID_TRANSITION', `不能从 ${s} 拒绝。`)
      return {
        ok: true,
        loan: { ...loan, state: 'refused', reasons: event.reasons, closedAt: now },
        effects: [receipt('refuse', 0)],
      }
    case 'EXPIRE_REVIEW':
      if (s !== 'review') return fail('INVALID_TRANSITION', `借款不在人工审核中（${s}）。`)
      if (now < loan.appliedAt + REVIEW_TTL_MS) return fail('NOT_DUE', '审核未满 7 天，仍在等待人工审核。')
      return {
        ok: true,
        loan: { ...loan, state: 'refused', reasons: ['REVIEW_EXPIRED'], closedAt: now },
        effects: [receipt('refuse', 0)],
      }
    case 'DISBURSE':
      if (s !== 'approved') return fail('INVALID_TRANSITION', `不能从 ${s} 放款。`)
      return {
        ok: true,
        loan: { ...loan, state: 'disbursed', disbursedAt: now },
        effects: [
          { type: 'TRANSFER_OUT', amountFen: loan.amountFen },
          receipt('disburse', loan.amountFen, { ...zero, principalFen: loan.amountFen }),
        ],
      }
    case 'CANCEL': {
      if (closed) return fail('LOAN_CLOSED', '该借款已结束。')
      if (s === 'repaying' || s === 'overdue' || loan.paidInstallments > 0)
        return fail('CANCEL_AFTER_REPAYMENT', '已有还款的借款不能取消，可以提前还清。')
      // Approved but held (face again before the payout): no money went out, so nothing comes back
      // — the loan ends, and what it held of the line is free again.
      if (s === 'approved')
        return {
          ok: true,
          loan: { ...loan, state: 'cancelled', closedAt: now },
          effects: [receipt('cancel', 0)],
        }
      if (s !== 'disbursed') return fail('INVALID_TRANSITION', `不能从 ${s} 取消。`)
      if (now >= coolingOffEndsAt(loan)!)
        return fail('COOLING_OFF_EXPIRED', `已超过放款后${COOLING_OFF_HOURS}小时的冷静期，不能取消；可以随时提前还款。`)
      // No interest and no fee: only the principal goes back.
      return {
        ok: true,
        loan: { ...loan, state: 'cancelled', closedAt: now, paid: { ...zero, principalFen: loan.amountFen } },
        effects: [
          { type: 'TRANSFER_IN', amountFen: loan.amountFen },
          receipt('cancel', loan.amountFen, { ...zero, principalFen: loan.amountFen }),
        ],
      }
    }
    case 'MARK_OVERDUE': {
      if (s !== 'disbursed' && s !== 'repaying') return fail('INVALID_TRANSITION', `不能从 ${s} 标记逾期。`)
      if (dueAt(loan, now, catalog).pastDue.lines.length === 0) return fail('NOTHING_OVERDUE', '没有到期未还的期次。')
      return { ok: true, loan: { ...loan, state: 'overdue' }, effects: [] }
    }
    case 'REPAY': {
      if (closed) return fail('LOAN_CLOSED', '该借款已结束。')
      if (s !== 'disbursed' && s !== 'repaying' && s !== 'overdue')
        return fail('INVALID_TRANSITION', `不能从 ${s} 还款。`)
      const due = dueAt(loan, now, catalog)
      if (event.amount !== 'all' && (!Number.isSafeInteger(event.amount) || event.amount <= 0)) {
        return fail('INVALID_AMOUNT', '还款金额须为正的整数分。')
      }
      const amount = event.amount === 'all' ? due.payoff.totalFen : event.amount
      if (amount > due.payoff.totalFen)
        return fail('OVERPAYMENT', `最多需还 ${formatYuan(due.payoff.totalFen)} 元。`, {
          allowedFen: [due.dueNowFen, due.payoff.totalFen],
        })
      if (amount === due.payoff.totalFen) {
        const { totalFen: _total, ...p } = due.payoff
        return {
          ok: true,
          loan: {
            ...loan,
            state: 'settled',
            closedAt: now,
            paidInstallments: loan.schedule.length,
            paid: addPaid(loan.paid, p),
          },
          effects: [{ type: 'TRANSFER_IN', amountFen: amount }, receipt('repay', amount, p)],
        }
      }
      // Short of a payoff, a repayment pays exactly what is due now: past-due lines (with their
      // charges) or else the next line. Other amounts would leave half-paid lines.
      if (amount !== due.dueNowFen) {
        return fail(
          'AMOUNT_NOT_ALLOWED',
          `可还 ${formatYuan(due.dueNowFen)} 元（本期应还）或 ${formatYuan(due.payoff.totalFen)} 元（全部还清）。`,
          {
            allowedFen: [due.dueNowFen, due.payoff.totalFen],
          },
        )
      }
      const lines = due.pastDue.lines.length > 0 ? due.pastDue.lines : [loan.schedule[loan.paidInstallments]]
      const add = (k: 'principalFen' | 'interestFen' | 'feeFen') => lines.reduce((t, l) => t + l[k], 0)
      const breakdown = {
        principalFen: add('principalFen'),
        interestFen: add('interestFen'),
        feeFen: add('feeFen'),
        overdueFen: due.pastDue.overdueFen,
      }
      const paidInstallments = loan.paidInstallments + lines.length
      return {
        ok: true,
        loan: {
          ...loan,
          state: paidInstallments === loan.schedule.length ? 'settled' : 'repaying',
          closedAt: paidInstallments === loan.schedule.length ? now : null,
          paidInstallments,
          paid: addPaid(loan.paid, breakdown),
        },
        effects: [{ type: 'TRANSFER_IN', amountFen: amount }, receipt('repay', amount, breakdown)],
      }
    }
  }
}

/** A new loan in `applied`, from a server-priced offer. */
export function newLoan(
  id: string,
  offer: Pick<
    Loan,
    'product' | 'mode' | 'amountFen' | 'term' | 'dailyRatePpm' | 'aprPercent' | 'schedule' | 'catalogVersion'
  >,
  ruleSetVersion: string,
  now: number,
): Loan {
  return {
    id,
    ...offer,
    ruleSetVersion,
    state: 'applied',
    appliedAt: now,
    disbursedAt: null,
    closedAt: null,
    paidInstallments: 0,
    paid: { ...zero },
    reasons: [],
  }
}
