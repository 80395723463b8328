// The loan's life as a pure state machine: transition(loan, event, now) → the next loan and the
// effects (money movements, receipts, audit entries) as data. The caller persists the loan with
// compare-and-set, then runs the effects; a lost race means the event is re-decided on the
// stored loan, so cancel, repay and overdue marking can never both win.
//
//   applied → approved → disbursing → disbursed → cancelled   (within the 24 h cooling-off)
//                                   ↘ cancelled (the payout failed: no money out)
//           ↘ review ↗            ↘ repaying ⇄ overdue → settled
//           ↘ refused
import { DEFAULT_CATALOG, feeTermsOf, type FeeTerms, type ProductId, type RepaymentMode } from './catalog'
import { COOLING_OFF_HOURS, COOLING_OFF_MS } from './agreements'
import { PPM, formatYuan, type Fen, type Ppm } from './money'
import { REVIEW_TTL_MS } from './line'
import { chinaDaysBetween, overdueCharge, quoteEarlyRepayment } from './repayment'
import type { ScheduleLine, Term } from './schedule'
import { rescheduleAfterPrepayment, splitPrepayment, type PrepayChoice } from './prepay'

export type LoanState =
  | 'applied'
  | 'review'
  | 'approved'
  | 'refused'
  | 'disbursing'
  | 'disbursed'
  | 'repaying'
  | 'overdue'
  | 'cancelled'
  | 'settled'

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
  /**
   * The fees and overdue rule of the catalog it was priced under (its contract's): later catalogs
   * change nothing here. Absent only on a loan made before loans kept them, until the migration
   * (schema/2026-12-02.2) gives it its own: read it through `feeTermsOfLoan`.
   */
  feeTerms?: FeeTerms
  ruleSetVersion: string
  state: LoanState
  appliedAt: number
  disbursedAt: number | null
  closedAt: number | null
  /** Lines 1…paidInstallments are paid. */
  paidInstallments: number
  paid: { principalFen: Fen; interestFen: Fen; feeFen: Fen; overdueFen: Fen }
  reasons: string[]
  /** Paid toward line paidInstallments + 1 short of the whole line (a partial repayment). */
  partial?: LinePaid
  /**
   * Overdue charges counted up to `through` (the last repayment) and not yet paid: from then on
   * they accrue on what is still unpaid, so a partial repayment lowers the charges after it.
   */
  charges?: { unpaidFen: Fen; through: number }
}

/** What was paid of one line, by kind. */
export interface LinePaid {
  principalFen: Fen
  interestFen: Fen
  feeFen: Fen
}

export type LoanEvent =
  | { type: 'APPROVE' }
  | { type: 'REVIEW' }
  | { type: 'REFUSE'; reasons: string[] }
  /** A review nobody decided within 7 days: refused (REVIEW_EXPIRED), never a dead end. */
  | { type: 'EXPIRE_REVIEW' }
  /** The payout to the bound debit card is asked for: `disbursing` until the lender's gateway confirms it. */
  | { type: 'DISBURSE' }
  /** The payout landed (`at`: when, as the gateway says): the loan runs, its cooling-off counts from here. */
  | { type: 'PAYOUT_CONFIRMED'; at: number }
  /** The payout failed: the loan ends with no money out, and what it held of the line is free again. */
  | { type: 'PAYOUT_FAILED'; reason: string }
  /** `requestedAt`: when the borrower asked (a cooling-off return confirmed later still counts from then). */
  | { type: 'CANCEL'; requestedAt?: number }
  /**
   * Money received (`amount` in fen, or 'all' / 'due' as of now), allocated overdue charges → fees
   * → interest → principal, oldest line first; beyond what is due it prepays principal (`prepay`:
   * a shorter plan or smaller installments; smaller installments if unsaid). `excess: 'refund'`
   * takes more than the payoff — confirmed money is never refused — settling the loan and
   * answering the rest as a REFUND effect; otherwise more than the payoff is OVERPAYMENT.
   */
  | { type: 'REPAY'; amount: Fen | 'all' | 'due'; prepay?: PrepayChoice; excess?: 'refund' }
  | { type: 'MARK_OVERDUE' }

export type ReceiptKind = 'apply' | 'approve' | 'refuse' | 'review' | 'disburse' | 'cancel' | 'repay' | 'refund'

export type LoanEffect =
  | { type: 'TRANSFER_OUT'; amountFen: Fen }
  | { type: 'TRANSFER_IN'; amountFen: Fen }
  /** Money received beyond what settled the loan: it goes back to the payer. */
  | { type: 'REFUND'; amountFen: Fen }
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
  /** The lines not yet due as settling them now would cost: principal, interest and fee to the day. */
  rest: { principalFen: Fen; interestFen: Fen; feeFen: Fen }
}

const noLinePaid: LinePaid = { principalFen: 0, interestFen: 0, feeFen: 0 }

/** The lines not yet paid, the oldest one less what was paid of it. */
export function openLines(loan: Pick<Loan, 'schedule' | 'paidInstallments' | 'partial'>): ScheduleLine[] {
  const open = loan.schedule.slice(loan.paidInstallments)
  const part = loan.partial
  if (!part || open.length === 0) return open
  const first = open[0]
  // Interest to the day on the last line can run past the line's own: what is left is never below 0.
  const principalFen = first.principalFen - part.principalFen
  const interestFen = Math.max(0, first.interestFen - part.interestFen)
  const feeFen = Math.max(0, first.feeFen - part.feeFen)
  return [
    { ...first, principalFen, interestFen, feeFen, totalFen: principalFen + interestFen + feeFen },
    ...open.slice(1),
  ]
}

/**
 * A loan's fee terms. One made before loans kept them was priced by the compiled catalog (the only
 * one there was), so until the migration runs (WeChat Cloud runs it at the timer's next hour) it
 * reads as that catalog's.
 */
export const feeTermsOfLoan = (loan: Pick<Loan, 'feeTerms' | 'product'>): FeeTerms =>
  loan.feeTerms ?? feeTermsOf(DEFAULT_CATALOG.products[loan.product])

/** What is owed at `now`, to the fen. */
export function dueAt(loan: Loan, now: number): Due {
  const rule = feeTermsOfLoan(loan).overdue
  const open = openLines(loan)
  const past = open.filter((l) => l.dueAt <= now)
  const through = loan.charges?.through
  let overdueFen = loan.charges?.unpaidFen ?? 0
  for (const l of past) {
    // Charges already counted up to the last repayment are in unpaidFen; from then on they run on what is left.
    const from = through === undefined ? l.dueAt : Math.max(l.dueAt, through)
    overdueFen += overdueCharge(rule, {
      overduePrincipalFen: l.principalFen,
      overdueAmountFen: l.totalFen,
      contractDailyRatePpm: loan.dailyRatePpm,
      days: Math.max(0, chinaDaysBetween(from, now)),
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
    // A part paid of the next line (not yet due) counts: its principal no longer bears interest,
    // its interest and fee are owed less by what was paid of them.
    const part = past.length === 0 ? (loan.partial ?? noLinePaid) : noLinePaid
    const schedule = loan.schedule.map((l, i) =>
      i === paidThrough ? { ...l, principalFen: l.principalFen - part.principalFen } : l,
    )
    const q = quoteEarlyRepayment(
      { ...loan, schedule, disbursedAt: loan.disbursedAt ?? loan.appliedAt },
      paidThrough,
      now,
    )
    // Settling early never costs more than the lines left would as scheduled (a 31-day last
    // period's interest to the day runs past its line's 365/12 days).
    const lines = loan.schedule.slice(paidThrough)
    const scheduled = (k: 'interestFen' | 'feeFen') => lines.reduce((t, l) => t + l[k], 0) - part[k]
    if (q.ok)
      rest = {
        principalFen: q.quote.principalFen,
        interestFen: Math.max(0, Math.min(q.quote.interestFen - part.interestFen, scheduled('interestFen'))),
        feeFen: Math.max(0, Math.min(q.quote.feeFen - part.feeFen, scheduled('feeFen'))),
      }
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
  return { pastDue: { lines: past, totalFen: pastTotalFen, overdueFen }, payoff, dueNowFen, rest }
}

/** What a repayment of `amountFen` at `now` does: how it is allocated, and the loan after it. */
export interface Allocation {
  /** What the amount paid, by kind (up to the payoff). */
  paid: Breakdown
  /** The principal paid beyond what was due (a prepayment), 0 if none. */
  prepaidFen: Fen
  /** Received beyond the payoff: to be refunded. */
  excessFen: Fen
  loan: Loan
}

/**
 * Allocates `amountFen` (positive) received at `now`: overdue charges first, then each line
 * oldest first — its fee, its interest, its principal — through the lines past due and, but for a
 * flexible loan, the next one; what is left prepays principal and the plan is rebuilt by
 * `choice`. At or above the payoff the loan is settled and the rest is excess.
 */
export function allocate(loan: Loan, amountFen: Fen, now: number, choice: PrepayChoice): Allocation {
  const due = dueAt(loan, now)
  if (amountFen >= due.payoff.totalFen) {
    const { totalFen: _total, ...p } = due.payoff
    return {
      paid: p,
      prepaidFen: 0,
      excessFen: amountFen - due.payoff.totalFen,
      loan: {
        ...loan,
        state: 'settled',
        closedAt: now,
        paidInstallments: loan.schedule.length,
        paid: addPaid(loan.paid, p),
        partial: undefined,
        charges: undefined,
      },
    }
  }
  let left = amountFen
  const take = (owed: Fen) => {
    const x = Math.min(left, Math.max(0, owed))
    left -= x
    return x
  }
  const paid: Breakdown = { principalFen: 0, interestFen: 0, feeFen: 0, overdueFen: take(due.pastDue.overdueFen) }
  const charges = { unpaidFen: due.pastDue.overdueFen - paid.overdueFen, through: now }
  let k = loan.paidInstallments
  let part: LinePaid = loan.partial ?? { ...noLinePaid }
  // The lines past due, and (but for a flexible loan, whose one line is the whole loan) the next one.
  const firstNotDue = loan.schedule.findIndex((l, i) => i >= loan.paidInstallments && l.dueAt > now)
  const payable = (i: number) =>
    i < loan.schedule.length && (loan.schedule[i].dueAt <= now || (loan.mode !== 'flexible' && i === firstNotDue))
  // The current line recalculated by a prepayment made inside its period (see below), and the principal prepaid with it.
  let recalculated: { line: ScheduleLine; prepaidFen: Fen } | null = null
  while (left > 0 && payable(k)) {
    const line = loan.schedule[k]
    const owed = {
      feeFen: line.feeFen - part.feeFen,
      interestFen: line.interestFen - part.interestFen,
      principalFen: line.principalFen - part.principalFen,
    }
    const lineLeft = owed.feeFen + owed.interestFen + owed.principalFen
    let pay: LinePaid
    // The last line early is what settles the loan (interest to the day, the payoff): paying it as
    // scheduled could pay more principal than is left once the period's interest runs past the line's.
    const last = k === loan.schedule.length - 1
    if (line.dueAt > now && !last && left > lineLeft && recalculatesInterest(loan.mode)) {
      // More than the current line, before its date: a prepayment inside the period. Its interest is
      // recalculated (Apache Fineract's interest recalculation on a prepayment): to the day on the
      // balance as it was, then, for the rest of the period, on the balance the prepayment leaves —
      // so paying more never leaves more owed, and a payment a fen short of the payoff leaves about a
      // fen. The line is paid; what is left beyond it retires principal of the lines after.
      const fee = take(owed.feeFen)
      const accrued = take(Math.min(owed.interestFen, due.rest.interestFen))
      const principal = take(owed.principalFen)
      const after = loan.schedule.slice(k + 1).reduce((sum, l) => sum + l.principalFen, 0)
      const rest = Math.max(0, chinaDaysBetween(now, line.dueAt)) * loan.dailyRatePpm
      // x + (after − x)·rate·days = what is left, in whole fen: x retired, the rest the period's interest on what
      // remains — never more than the line's own interest (a 31-day period's interest to the day runs past it).
      const solved = Math.min(after, Math.max(0, Math.floor((left * PPM - after * rest) / (PPM - rest))))
      const x = Math.min(after, Math.max(solved, left - Math.max(0, owed.interestFen - accrued)))
      const interest = accrued + (left - x)
      left = 0
      paid.feeFen += fee
      paid.interestFen += interest
      paid.principalFen += principal + x
      const interestFen = part.interestFen + interest
      recalculated = {
        line: { ...line, interestFen, totalFen: line.principalFen + interestFen + line.feeFen },
        prepaidFen: x,
      }
      k++
      part = { ...noLinePaid }
      break
    }
    if (line.dueAt <= now || (left >= lineLeft && !last)) {
      // A line past due, or a whole line paid before its date (the bill paid early): as scheduled.
      pay = { feeFen: take(owed.feeFen), interestFen: take(owed.interestFen), principalFen: take(owed.principalFen) }
    } else if (last) {
      // The last line before its date, short of the payoff: fee and interest to the day (which can
      // run past the line's own), then principal — never all of it, or the amount was the payoff.
      pay = {
        feeFen: take(due.rest.feeFen),
        interestFen: take(due.rest.interestFen),
        principalFen: take(owed.principalFen),
      }
    } else {
      // Part of the next line before its date: its fee and interest only as far as they have
      // accrued by now (what settling would cost), then principal, then the rest of the line.
      const fee = take(Math.min(owed.feeFen, due.rest.feeFen))
      const interest = take(Math.min(owed.interestFen, due.rest.interestFen))
      const principal = take(owed.principalFen)
      pay = {
        feeFen: fee + take(owed.feeFen - fee),
        interestFen: interest + take(owed.interestFen - interest),
        principalFen: principal,
      }
    }
    paid.feeFen += pay.feeFen
    paid.interestFen += pay.interestFen
    paid.principalFen += pay.principalFen
    part = {
      feeFen: part.feeFen + pay.feeFen,
      interestFen: part.interestFen + pay.interestFen,
      principalFen: part.principalFen + pay.principalFen,
    }
    if (part.feeFen >= line.feeFen && part.interestFen >= line.interestFen && part.principalFen === line.principalFen) {
      k++
      part = { ...noLinePaid }
    } else if (pay.feeFen + pay.interestFen + pay.principalFen === 0) break // nothing more this line can take
  }
  let schedule = loan.schedule
  let prepaidFen = 0
  if (recalculated) {
    // The lines after the recalculated one, rebuilt for the principal still owed on them.
    const lines = loan.schedule.slice(k)
    prepaidFen = recalculated.prepaidFen
    const owed = lines.reduce((s, l) => s + l.principalFen, 0) - prepaidFen
    schedule = [
      ...loan.schedule.slice(0, k - 1),
      recalculated.line,
      ...rescheduleAfterPrepayment({
        mode: loan.mode,
        dailyRatePpm: loan.dailyRatePpm,
        lines,
        principalFen: owed,
        choice,
      }),
    ]
  } else if (left > 0 && k < loan.schedule.length) {
    // Nothing is due any more: what is left prepays principal. A flexible loan's line pays its fee
    // first, then the prepaid principal's interest to date with it.
    const lines = loan.schedule.slice(k)
    if (loan.mode === 'flexible') {
      const fee = take(lines[0].feeFen - part.feeFen)
      paid.feeFen += fee
      part = { ...part, feeFen: part.feeFen + fee }
    }
    const since = k === 0 ? (loan.disbursedAt ?? loan.appliedAt) : loan.schedule[k - 1].dueAt
    const days = loan.mode === 'flexible' ? Math.max(0, chinaDaysBetween(since, now)) : 0
    const split = splitPrepayment(left, loan.dailyRatePpm, days)
    left = 0
    prepaidFen = split.principalFen
    paid.principalFen += split.principalFen
    paid.interestFen += split.interestFen
    const owed = lines.reduce((s, l) => s + l.principalFen, 0) - part.principalFen - split.principalFen
    const rebuilt = rescheduleAfterPrepayment({
      mode: loan.mode,
      dailyRatePpm: loan.dailyRatePpm,
      lines: lines.map((l, i) => (i === 0 ? { ...l, principalFen: l.principalFen - part.principalFen } : l)),
      principalFen: owed,
      choice,
      termDays: 'days' in loan.term ? loan.term.days : undefined,
    })
    // What was paid of the first rebuilt line stays paid of it (a flexible line's fee).
    schedule = [
      ...loan.schedule.slice(0, k),
      ...rebuilt.map((l, i) =>
        i === 0
          ? { ...l, principalFen: l.principalFen + part.principalFen, totalFen: l.totalFen + part.principalFen }
          : l,
      ),
    ]
  }
  // Every line paid (what was left, if anything, was the interest to the day beyond the lines'): settled.
  if (left > 0) paid.interestFen += take(left)
  const after: Loan = {
    ...loan,
    schedule,
    paidInstallments: k,
    paid: addPaid(loan.paid, paid),
    partial: part.feeFen + part.interestFen + part.principalFen > 0 ? part : undefined,
    charges,
  }
  if (k === schedule.length)
    return {
      paid,
      prepaidFen,
      excessFen: 0,
      loan: { ...after, state: 'settled', closedAt: now, partial: undefined, charges: undefined },
    }
  const stillPastDue = openLines(after).some((l) => l.dueAt <= now)
  after.state = stillPastDue && loan.state === 'overdue' ? 'overdue' : 'repaying'
  return { paid, prepaidFen, excessFen: 0, loan: after }
}

type Breakdown = Loan['paid']

/** Modes whose interest runs on the balance (a fee installment's fee is charged per line, as scheduled). */
function recalculatesInterest(mode: RepaymentMode): boolean {
  return mode === 'equal-installment' || mode === 'equal-principal'
}

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

export function transition(loan: Loan, event: LoanEvent, now: number): TransitionResult {
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
      return { ok: true, loan: { ...loan, state: 'disbursing' }, effects: [] }
    case 'PAYOUT_CONFIRMED': {
      if (s !== 'disbursing') return fail('INVALID_TRANSITION', `借款不在放款中（${s}）。`)
      const at = Math.min(event.at, now)
      return {
        ok: true,
        loan: { ...loan, state: 'disbursed', disbursedAt: at },
        effects: [
          { type: 'TRANSFER_OUT', amountFen: loan.amountFen },
          receipt('disburse', loan.amountFen, { ...zero, principalFen: loan.amountFen }),
        ],
      }
    }
    case 'PAYOUT_FAILED':
      if (s !== 'disbursing') return fail('INVALID_TRANSITION', `借款不在放款中（${s}）。`)
      return {
        ok: true,
        loan: { ...loan, state: 'cancelled', closedAt: now, reasons: ['PAYOUT_FAILED'] },
        effects: [receipt('cancel', 0)],
      }
    case 'CANCEL': {
      if (closed) return fail('LOAN_CLOSED', '该借款已结束。')
      if (s === 'disbursing') return fail('INVALID_TRANSITION', '正在放款，请等放款结果出来后再操作。')
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
      if ((event.requestedAt ?? now) >= coolingOffEndsAt(loan)!)
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
      if (dueAt(loan, now).pastDue.lines.length === 0) return fail('NOTHING_OVERDUE', '没有到期未还的期次。')
      return { ok: true, loan: { ...loan, state: 'overdue' }, effects: [] }
    }
    case 'REPAY': {
      if (closed) return fail('LOAN_CLOSED', '该借款已结束。')
      if (s !== 'disbursed' && s !== 'repaying' && s !== 'overdue')
        return fail('INVALID_TRANSITION', `不能从 ${s} 还款。`)
      const due = dueAt(loan, now)
      const amount =
        event.amount === 'all' ? due.payoff.totalFen : event.amount === 'due' ? due.dueNowFen : event.amount
      if (!Number.isSafeInteger(amount) || amount <= 0) return fail('INVALID_AMOUNT', '还款金额须为正的整数分。')
      if (amount > due.payoff.totalFen && event.excess !== 'refund')
        return fail('OVERPAYMENT', `最多需还 ${formatYuan(due.payoff.totalFen)} 元。`, {
          allowedFen: [due.dueNowFen, due.payoff.totalFen],
        })
      const a = allocate(loan, amount, now, event.prepay ?? 'reduce')
      const received = amount - a.excessFen
      return {
        ok: true,
        loan: a.loan,
        effects: [
          { type: 'TRANSFER_IN', amountFen: amount },
          receipt('repay', received, a.paid),
          ...(a.excessFen > 0 ? [{ type: 'REFUND' as const, amountFen: a.excessFen }] : []),
        ],
      }
    }
  }
}

/** A new loan in `applied`, from a server-priced offer. */
export function newLoan(
  id: string,
  offer: Pick<
    Loan,
    | 'product'
    | 'mode'
    | 'amountFen'
    | 'term'
    | 'dailyRatePpm'
    | 'aprPercent'
    | 'schedule'
    | 'catalogVersion'
    | 'feeTerms'
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
