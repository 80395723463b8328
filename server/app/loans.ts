// The loan lifecycle on the server: per-query consent, apply (decided and priced again here —
// the client's figures are never used), disbursement, the 24-hour cooling-off cancel, repayment,
// and the signed receipts and audit entries every operation leaves.
//
// Every state change goes through the pure `transition` and is persisted with compare-and-set;
// on a lost race the event is decided again on the stored loan, so of a cancel and a repayment
// sent together exactly one wins. Receipts and audit entries have ids derived from the loan and
// its version, so writing an operation's effects twice writes them once. They are written after
// the loan: a crash between the two leaves a change without its receipt or audit entry, and
// nothing finishes it yet — the money issue makes them one atomic unit with the loan.
import type { ProductId } from '../../src/domain/catalog'
import {
  fail,
  ok,
  type Purpose,
  type ActionInput,
  type ApiResult,
  type ApplyResult,
  type LoanView,
  type ReceiptView,
} from '../../src/api'
import {
  coolingOffEndsAt,
  dueAt,
  inRepayment,
  newLoan,
  transition,
  type Loan,
  type LoanEffect,
  type LoanEvent,
  type LoanState,
} from '../../src/domain/loan'
import { priceOffer } from '../../src/domain/pricing'
import { applicationCheck, purposeRefusal } from '../../src/domain/rules'
import { DEFAULT_RULE_SET } from '../../src/domain/rule-set'
import { ppmToPercent } from '../../src/domain/money'
import { MINUTE_MS } from '../../src/domain/china-time'
import type { Doc, Ports } from '../ports'
import { SOFT_DATA, profileOf } from './credit'
import { requireUser } from './guard'
import { canonicalJson } from './canonical-json'
import { COLLECTIONS } from '../schema'
import { changeUser } from './users'

export const CONSENT_TTL_MS = 15 * MINUTE_MS

export interface CreditConsentDoc {
  openid: string
  product: ProductId
  purpose: Purpose
  at: number
  expiresAt: number
  usedBy: string | null
}

export interface LoanDoc {
  openid: string
  loan: Loan
  purpose: Purpose
  merchant: string | null
  consentId: string
  /** Derived on every write, for the jobs' indexes (see trackOf). */
  track: LoanTrack
}

export interface LoanTrack {
  /** 1 while the overdue job should look at it (disbursed or repaying). */
  watch: 0 | 1
  /** 1 while reminders are due for it (disbursed, repaying or overdue). */
  remind: 0 | 1
  nextDueAt: number
  /** `<nextDueAt, zero-padded>:<loan id>`: a unique, ordered cursor for paging. */
  dueKey: string
}

const pad16 = (n: number) => String(n).padStart(16, '0')

/** Where a loan sits in the jobs' indexes: by the due date of its next unpaid line. */
export function trackOf(loan: Loan): LoanTrack {
  const open = inRepayment(loan.state)
  const next = loan.schedule[loan.paidInstallments]
  const nextDueAt = open && next ? next.dueAt : Number.MAX_SAFE_INTEGER
  return {
    watch: loan.state === 'disbursed' || loan.state === 'repaying' ? 1 : 0,
    remind: open ? 1 : 0,
    nextDueAt,
    dueKey: `${pad16(nextDueAt)}:${loan.id}`,
  }
}

/** The dueKey bound for a time: every loan due before `at` sorts below it. */
export function dueKeyBound(at: number): string {
  return `${pad16(at)}:`
}

export interface ReceiptDoc extends Omit<ReceiptView, 'id'> {
  openid: string
}

export interface AuditDoc {
  openid: string
  loanId: string
  action: AuditAction
  /** The state this step left the loan in. */
  state: LoanState
  amountFen: number
  at: number
  versions: { ruleSet: string; catalog: string }
}

export async function consent(
  ports: Ports,
  openid: string,
  input: ActionInput<'loans', 'consent'>,
): Promise<ApiResult<{ consentId: string; product: string; purpose: string; expiresAt: number }>> {
  // A consent to a query for a purpose that is always refused would only cost the person an inquiry.
  if (purposeRefusal({ purpose: input.purpose, accountType: 'debit' }, DEFAULT_RULE_SET))
    return fail('PURPOSE_REFUSED', { field: 'purpose' })
  const caller = await requireUser(ports, openid, { consent: 'financialDataConsent' })
  if (!caller.ok) return caller
  const now = ports.clock.now()
  const consentId = ports.ids.next('cq')
  const doc: CreditConsentDoc = {
    openid,
    product: input.product,
    purpose: input.purpose,
    at: now,
    expiresAt: now + CONSENT_TTL_MS,
    usedBy: null,
  }
  await ports.store.insert(COLLECTIONS.creditConsents, consentId, doc)
  return ok({ consentId, product: input.product, purpose: input.purpose, expiresAt: doc.expiresAt })
}

export async function apply(
  ports: Ports,
  openid: string,
  input: ActionInput<'loans', 'apply'>,
): Promise<ApiResult<ApplyResult>> {
  const now = ports.clock.now()
  const term = input.termDays !== undefined ? { days: input.termDays } : { months: input.termMonths ?? 0 }
  const accountType = input.accountType ?? 'debit'
  // Where the money may go is decided before anything is asked of the bureau: no inquiry, soft or hard.
  const refusedField = purposeRefusal({ purpose: input.purpose, accountType }, DEFAULT_RULE_SET)
  if (refusedField) return fail('PURPOSE_REFUSED', { field: refusedField })
  const caller = await requireUser(ports, openid, { ...SOFT_DATA, legal: true })
  if (!caller.ok) return caller

  const consentDoc = await ports.store.get<CreditConsentDoc>(COLLECTIONS.creditConsents, input.consentId)
  const c = consentDoc?.data
  if (
    !consentDoc ||
    !c ||
    c.openid !== openid ||
    c.usedBy !== null ||
    now >= c.expiresAt ||
    c.product !== input.product ||
    c.purpose !== input.purpose
  ) {
    return fail('CONSENT_INVALID', { field: 'consentId' })
  }

  const { profile, subject } = await profileOf(ports, caller.data, now)
  if (!subject) return fail('STEP_REQUIRED', { detail: 'realName' })
  // A pay score WeChat Pay or the assessment could not answer is "ask again later", never a
  // refusal: a refusal would cost the person a hard inquiry for an outage.
  if (DEFAULT_RULE_SET.products[input.product].needsPayScore && profile.payScore === 'UNCONFIRMED')
    return fail('PAY_SCORE_UNAVAILABLE')
  const check = applicationCheck(
    profile,
    {
      product: input.product,
      amountFen: input.amountFen,
      purpose: input.purpose,
      accountType,
    },
    DEFAULT_RULE_SET,
    now,
  )
  if (check.decision.pendingSteps.length > 0)
    return fail('STEP_REQUIRED', { detail: check.decision.pendingSteps.join(',') })
  // The server prices the offer itself, at the rate the rules decided.
  const priced = priceOffer({
    product: input.product,
    amountFen: input.amountFen,
    term,
    mode: input.mode,
    dailyRatePpm: check.decision.dailyRatePpm,
    capPercent: ports.settings.aprCapPercent,
    disbursedAt: now,
  })
  if (!priced.ok) {
    const { code, message, ...extra } = priced.error
    return fail(code, {
      message,
      field: code === 'TERM_NOT_OFFERED' ? 'term' : 'amountFen',
      detail: extra.aprPercent !== undefined ? String(extra.aprPercent) : undefined,
    })
  }

  // Reserve the line before the loan exists: parallel applications can never together exceed it.
  if (check.outcome !== 'refused') {
    const reserved = await changeUser<boolean>(ports.store, openid, now, (u) => {
      const used = u.lineUsage?.[input.product] ?? 0
      if (used + input.amountFen > check.decision.limitFen) return { stop: false }
      return { write: { ...u, lineUsage: { ...u.lineUsage, [input.product]: used + input.amountFen } }, result: true }
    })
    // Lost every compare-and-set retry to concurrent writes: a conflict, not "over the limit".
    if (!reserved.ok) return fail('CONFLICT')
    if (!reserved.result)
      return fail('AMOUNT_OVER_LIMIT', { field: 'amountFen', detail: String(check.decision.limitFen) })
  }

  // The consent is spent on this one inquiry (compare-and-set: a replayed consent loses).
  const spent = await ports.store.update<CreditConsentDoc>(
    COLLECTIONS.creditConsents,
    input.consentId,
    consentDoc.version,
    { ...c, usedBy: 'pending' },
  )
  if (!spent.ok) {
    if (check.outcome !== 'refused') await releaseLine(ports, openid, input.product, input.amountFen, now)
    return fail('CONSENT_INVALID', { field: 'consentId' })
  }
  await ports.bureau.hardInquiry(subject, { consentId: input.consentId, purpose: input.purpose }, now)

  const loanId = ports.ids.next('L')
  let loan = newLoan(loanId, priced.offer, check.ruleSetVersion, now)
  const effects: LoanEffect[] = [
    {
      type: 'RECEIPT',
      kind: 'apply',
      amountFen: loan.amountFen,
      breakdown: { principalFen: 0, interestFen: 0, feeFen: 0, overdueFen: 0 },
    },
  ]
  // Each step's audit entry records the state that step produced (applied, then approved, …).
  const audit: AuditStep[] = [{ action: 'apply', state: loan.state, amountFen: loan.amountFen }]
  const steps: LoanEvent[] =
    check.outcome === 'refused'
      ? [{ type: 'REFUSE', reasons: check.reasons.map((r) => r.code) }]
      : check.outcome === 'manual-review'
        ? [{ type: 'REVIEW' }]
        : check.faceRequiredBeforeDrawdown
          ? [{ type: 'APPROVE' }]
          : [{ type: 'APPROVE' }, { type: 'DISBURSE' }]
  for (const event of steps) {
    const t = transition(loan, event, now)
    if (!t.ok) throw new Error(`apply: ${t.code}`)
    loan = t.loan
    effects.push(...t.effects)
    audit.push(auditStep(event, t.loan, t.effects))
  }
  await ports.store.insert<LoanDoc>(COLLECTIONS.loans, loanId, {
    openid,
    loan,
    purpose: input.purpose,
    merchant: caller.data.user.entryMerchant,
    consentId: input.consentId,
    track: trackOf(loan),
  })
  await ports.store.update<CreditConsentDoc>(COLLECTIONS.creditConsents, input.consentId, spent.doc.version, {
    ...c,
    usedBy: loanId,
  })
  await runEffects(ports, openid, loan, 0, effects, now)
  await writeAudit(ports, openid, loan, 0, audit, now)
  return ok({
    outcome: check.outcome,
    loan: view(loan, now),
    reasons: check.reasons,
    faceRequiredBeforeDrawdown: check.faceRequiredBeforeDrawdown,
  })
}

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

/** The caller's own loan; anyone else's is indistinguishable from none (ids cannot be probed). */
async function ownLoan(ports: Ports, openid: string, loanId: string): Promise<Doc<LoanDoc> | null> {
  const doc = await ports.store.get<LoanDoc>(COLLECTIONS.loans, loanId)
  return doc && doc.data.openid === openid ? doc : null
}

export async function get(
  ports: Ports,
  openid: string,
  input: ActionInput<'loans', 'get'>,
): Promise<ApiResult<LoanView>> {
  const doc = await ownLoan(ports, openid, input.loanId)
  return doc ? ok(view(doc.data.loan, ports.clock.now())) : fail('NOT_FOUND', { field: 'loanId' })
}

/**
 * The overdue job (a timer in WeChat Cloud; POST /__dev/loans/accrue locally): marks loans whose
 * next line is past due, through the same compare-and-set path as cancel and repay, so a
 * repayment landing at the same moment either wins or is decided after it. Overdue charges
 * accrue by the day from the due date whatever the flag says; marking makes the state visible.
 */
export async function markOverdue(ports: Ports, limit = 100): Promise<{ marked: number; skipped: number }> {
  const now = ports.clock.now()
  const due = await ports.store.query<LoanDoc>(COLLECTIONS.loans, { index: 'byDue', eq: 1, lt: now + 1, limit })
  let marked = 0
  let skipped = 0
  for (const doc of due) {
    const r = await act(ports, doc.data.openid, doc.id, { type: 'MARK_OVERDUE' })
    if (r.ok) marked++
    else skipped++
  }
  return { marked, skipped }
}

/** A loan approved but held (face again before drawdown) is disbursed once a face session started after the application has passed. */
export async function drawdown(
  ports: Ports,
  openid: string,
  input: ActionInput<'loans', 'drawdown'>,
): Promise<ApiResult<LoanView>> {
  const doc = await ownLoan(ports, openid, input.loanId)
  if (!doc) return fail('NOT_FOUND', { field: 'loanId' })
  // The hold came with the application: only a face session started after it may release it.
  if (doc.data.loan.state === 'approved') {
    const caller = await requireUser(ports, openid, { agreements: false, freshFaceAfter: doc.data.loan.appliedAt })
    if (!caller.ok) return caller
  }
  return act(ports, openid, input.loanId, { type: 'DISBURSE' })
}

export function cancel(
  ports: Ports,
  openid: string,
  input: ActionInput<'loans', 'cancel'>,
): Promise<ApiResult<LoanView>> {
  return act(ports, openid, input.loanId, { type: 'CANCEL' })
}

export function repay(
  ports: Ports,
  openid: string,
  input: ActionInput<'loans', 'repay'>,
): Promise<ApiResult<LoanView>> {
  return act(ports, openid, input.loanId, { type: 'REPAY', amount: input.amountFen })
}

/** Decide the event on the stored loan and persist it with compare-and-set; on a lost race, decide again. */
async function act(ports: Ports, openid: string, loanId: string, event: LoanEvent): Promise<ApiResult<LoanView>> {
  for (let attempt = 0; attempt < 8; attempt++) {
    const doc = await ownLoan(ports, openid, loanId)
    if (!doc) return fail('NOT_FOUND', { field: 'loanId' })
    const now = ports.clock.now()
    const t = transition(doc.data.loan, event, now)
    if (!t.ok) {
      return fail(t.code, {
        message: t.message,
        detail: t.allowedFen ? t.allowedFen.join(',') : undefined,
      })
    }
    const saved = await ports.store.update<LoanDoc>(COLLECTIONS.loans, loanId, doc.version, {
      ...doc.data,
      loan: t.loan,
      track: trackOf(t.loan),
    })
    if (!saved.ok) continue
    await runEffects(ports, openid, t.loan, doc.version, t.effects, now)
    await writeAudit(ports, openid, t.loan, doc.version, [auditStep(event, t.loan, t.effects)], now)
    // Principal that came back frees the line again.
    const freed = t.effects.reduce(
      (sum, e) =>
        sum + (e.type === 'RECEIPT' && (e.kind === 'repay' || e.kind === 'cancel') ? e.breakdown.principalFen : 0),
      0,
    )
    if (freed > 0) await releaseLine(ports, openid, t.loan.product, freed, now)
    return ok(view(t.loan, now))
  }
  return fail('CONFLICT')
}

async function releaseLine(
  ports: Ports,
  openid: string,
  product: string,
  amountFen: number,
  now: number,
): Promise<void> {
  await changeUser(ports.store, openid, now, (u) => ({
    write: { ...u, lineUsage: { ...u.lineUsage, [product]: Math.max(0, (u.lineUsage?.[product] ?? 0) - amountFen) } },
    result: null,
  }))
}

/**
 * Receipts (signed with an HMAC key) for a transition's effects. Ids come from the loan, the
 * version the change was made from, and the effect's position, so writing them again writes
 * nothing twice. No money moves here yet: the receipts record the transitions.
 */
async function runEffects(
  ports: Ports,
  openid: string,
  loan: Loan,
  fromVersion: number,
  effects: LoanEffect[],
  now: number,
): Promise<void> {
  let n = 0
  for (const e of effects) {
    n++
    if (e.type !== 'RECEIPT') continue
    const id = `${loan.id}:${fromVersion}:${n}`
    const body = { loanId: loan.id, kind: e.kind, amountFen: e.amountFen, breakdown: e.breakdown, at: now }
    await ports.store.insert<ReceiptDoc>(COLLECTIONS.receipts, id, {
      ...body,
      openid,
      signature: sign(ports, id, body),
    })
  }
}

/** One state change for the audit log: what was done, and the state it left the loan in. */
interface AuditStep {
  action: AuditAction
  state: LoanState
  amountFen: number
}

export type AuditAction = 'apply' | 'approve' | 'review' | 'refuse' | 'disburse' | 'cancel' | 'repay' | 'overdue'

const AUDIT_ACTIONS: Record<LoanEvent['type'], AuditAction> = {
  APPROVE: 'approve',
  REVIEW: 'review',
  REFUSE: 'refuse',
  DISBURSE: 'disburse',
  CANCEL: 'cancel',
  REPAY: 'repay',
  MARK_OVERDUE: 'overdue',
}

/** The audit step of one transition: the amount its receipt carries, or 0 for a step that carries none (overdue marking). */
function auditStep(event: LoanEvent, after: Loan, effects: LoanEffect[]): AuditStep {
  const receipt = effects.find((e) => e.type === 'RECEIPT')
  return { action: AUDIT_ACTIONS[event.type], state: after.state, amountFen: receipt ? receipt.amountFen : 0 }
}

/**
 * One audit entry per state change, each with the state its own step produced. The id is the
 * loan, the version the change was made from (zero-padded, so entries sort in order) and the
 * step, so writing the same entries again writes nothing twice.
 */
async function writeAudit(
  ports: Ports,
  openid: string,
  loan: Loan,
  fromVersion: number,
  steps: AuditStep[],
  now: number,
): Promise<void> {
  for (const [i, step] of steps.entries()) {
    await ports.store.insert<AuditDoc>(COLLECTIONS.audit, `${loan.id}:v${String(fromVersion).padStart(6, '0')}:${i}`, {
      openid,
      loanId: loan.id,
      action: step.action,
      state: step.state,
      amountFen: step.amountFen,
      at: now,
      versions: { ruleSet: loan.ruleSetVersion, catalog: loan.catalogVersion },
    })
  }
}

function sign(ports: Ports, id: string, body: Omit<ReceiptView, 'id' | 'signature'>): string {
  return ports.secrets.keyedHash('receipt', canonicalJson({ id, ...body }))
}

export async function receipts(
  ports: Ports,
  openid: string,
  input: ActionInput<'loans', 'receipts'>,
): Promise<ApiResult<ReceiptView[]>> {
  if (input.loanId !== undefined && !(await ownLoan(ports, openid, input.loanId)))
    return fail('NOT_FOUND', { field: 'loanId' })
  const docs =
    input.loanId !== undefined
      ? await ports.store.query<ReceiptDoc>(COLLECTIONS.receipts, { index: 'byLoan', eq: input.loanId, limit: 500 })
      : await ports.store.query<ReceiptDoc>(COLLECTIONS.receipts, { index: 'byOpenid', eq: openid, limit: 500 })
  return ok(
    docs.map((d) => ({
      id: d.id,
      loanId: d.data.loanId,
      kind: d.data.kind,
      amountFen: d.data.amountFen,
      breakdown: d.data.breakdown,
      at: d.data.at,
      signature: d.data.signature,
    })),
  )
}

/** A receipt is genuine when its signature matches its content (any change to a figure breaks it). */
export async function verifyReceipt(
  ports: Ports,
  _openid: string,
  input: ActionInput<'loans', 'verifyReceipt'>,
): Promise<ApiResult<{ valid: boolean }>> {
  const r = input.receipt as Partial<ReceiptView>
  if (typeof r.id !== 'string' || typeof r.signature !== 'string') return ok({ valid: false })
  const { id, signature, ...body } = r
  return ok({ valid: sign(ports, id, body as Omit<ReceiptView, 'id' | 'signature'>) === signature })
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
    })),
    paid: loan.paid,
    due: due ? { dueNowFen: due.dueNowFen, payoffFen: due.payoff.totalFen, overdueFen: due.pastDue.overdueFen } : null,
    reasons: loan.reasons,
    serverTime: now,
  }
}
