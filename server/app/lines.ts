// The credit line's use cases: its per-query consent, opening it (one hard inquiry, decided on the
// server), and the borrower's own lines and their history. The line itself is the domain's
// (src/domain/line.ts); this reads and writes it, with the consent, in one Store transaction.
import { fail, ok, type LineView } from '../../src/api'
import { CREDIT_CONSENT_TTL_MS } from '../../src/domain/agreements'
import { PRODUCT_NAMES, type ProductId } from '../../src/domain/catalog'
import {
  LINE_REVIEW_MS,
  REVIEW_TTL_MS,
  availableFen,
  clipToCeiling,
  isOpen,
  isStanding,
  requestedLine,
  transition,
  type Line,
  type LineChange,
  type LineEffect,
  type LineEvent,
  type LineReason,
} from '../../src/domain/line'
import { lineUseFen } from '../../src/domain/loan'
import { nominalAprPercent } from '../../src/domain/irr'
import { formatYuan, ppmToPercent } from '../../src/domain/money'
import type { Reason } from '../../src/domain/reasons'
import { limitReview, openingNeedsReview, precheck as precheckRules } from '../../src/domain/rules'
import { catalogAt, keepProfile, publishedRules } from './published'
import type { Doc, Ports, Store, StoreTx } from '../ports'
import { COLLECTIONS } from '../schema'
import type { LoanDoc } from './loans/docs'
import { expireLoanReviews } from './loans/lifecycle'
import { openReviewCase } from './review-cases'
import type { MessageDoc } from './reminders'
import { profileOf, SOFT_DATA } from './credit'
import { consentUsable, openingDecision, recordCreditConsent, type CreditConsentRecord } from './credit-consents'
import { requireUser } from './guard'
import type { UseCase } from './use-case'
import { checkSigned, contractIdFor, lineContract, recordSigned } from './contracts'

/** What a consent to a line's approval says it is for (a loan's consent names the loan's purpose). */
export const LINE_PURPOSE = 'credit-line'

export type LineConsentDoc = CreditConsentRecord<typeof LINE_PURPOSE>

export interface LineDoc {
  openid: string
  line: Line
  /** 1 while the line job looks after it (in review, open, or holding anything for a loan): see watchOf. */
  watch: 0 | 1
  /** The decision's reasons when refused, with their texts under the rule set that decided. */
  reasons: Reason[]
  /** The consent an opening in progress spent (between its claim and its decision); null otherwise. */
  openingWith?: string | null
  /** What the rules proposed for a line sent to a person: the reviewer approves it, or less. */
  proposal?: { limitFen: number; dailyRatePpm: number } | null
  /** How many changes its history holds (each its own LineChangeDoc; the next one's number). */
  changes?: number
  /** The consent whose hard inquiry an opening in progress has already made. */
  inquiredWith?: string | null
}

/**
 * One change of a line's history (额度记录), stored on its own: the history grows with every
 * drawdown and repayment, and the line itself — read and written by every drawdown — stays small.
 */
export interface LineChangeDoc extends LineChange {
  openid: string
  lineId: string
  /** Its place in the line's history, from 0. */
  seq: number
}

const changeId = (id: string, seq: number) => `${id}:${String(seq).padStart(8, '0')}`

/**
 * Writes a line (inserting it when `current` is null) in a transaction, with the changes its
 * history gained as their own records: `next.line.history` holds only what happened since it was
 * read (a stored line keeps none inline). Whether the job watches it and how many changes it holds
 * are derived here, never given.
 */
export async function writeLine(
  tx: StoreTx,
  id: string,
  current: Doc<LineDoc> | null,
  next: Omit<LineDoc, 'watch' | 'changes'>,
): Promise<LineDoc> {
  const from = current?.data.changes ?? 0
  for (const [i, change] of next.line.history.entries())
    await tx.create<LineChangeDoc>(COLLECTIONS.lineChanges, changeId(id, from + i), {
      ...change,
      openid: next.openid,
      lineId: id,
      seq: from + i,
    })
  const doc: LineDoc = {
    ...next,
    line: { ...next.line, history: [] },
    watch: watchOf(next.line),
    changes: from + next.line.history.length,
  }
  if (current) await tx.update<LineDoc>(COLLECTIONS.lines, id, current.version, doc)
  else await tx.insert<LineDoc>(COLLECTIONS.lines, id, doc)
  return doc
}

/** A line's whole history, oldest first, page by page. */
export async function lineHistory(store: Store, id: string): Promise<LineChange[]> {
  const all: LineChange[] = []
  for (;;) {
    const page = await store.query<LineChangeDoc>(COLLECTIONS.lineChanges, {
      index: 'byLine',
      eq: id,
      gte: all.length,
      limit: 1000,
    })
    for (const { data } of page) {
      const { openid: _o, lineId: _l, seq: _s, ...change } = data
      all.push(change)
    }
    if (page.length < 1000) return all
  }
}

/**
 * Whether the line job still has anything to do for a line: open or in review, or holding anything
 * for a loan (a refused or expired line's drawdown in review must still expire, its in use still
 * be reconciled).
 */
export const watchOf = (line: Line): 0 | 1 =>
  isOpen(line.state) || line.state === 'review' || line.inUseFen > 0 ? 1 : 0

/** One line per borrower and product. */
export const lineId = (openid: string, product: ProductId) => `${openid}:${product}`

export function lineView(d: LineDoc): LineView {
  const { line } = d
  return {
    product: line.product,
    state: line.state,
    limitFen: line.limitFen,
    inUseFen: line.inUseFen,
    availableFen: availableFen(line),
    dailyRatePercent: ppmToPercent(line.dailyRatePpm),
    annualRatePercent: nominalAprPercent(line.dailyRatePpm),
    catalogVersion: line.catalogVersion,
    ruleSetVersion: line.ruleSetVersion,
    requestedAt: line.requestedAt,
    decidedAt: line.decidedAt,
    expiresAt: line.expiresAt,
    pendingDecrease: line.pendingDecrease,
    reasons: d.reasons,
    // The card's last four and when: never its binding token.
    autoDebit: line.autoDebit ? { last4: line.autoDebit.last4, since: line.autoDebit.since } : null,
  }
}

export const consent: UseCase<'lines', 'consent'> = async (ports, openid, input) => {
  const caller = await requireUser(ports, openid, { consent: 'financialDataConsent' })
  if (!caller.ok) return caller
  const { consentId, expiresAt } = await recordCreditConsent(ports, openid, input.product, LINE_PURPOSE, 'cl')
  return ok({ consentId, product: input.product, expiresAt })
}

/** A line that may not be opened (again): open, frozen or in review — unless it is this very opening, resumed. */
function blocks(d: LineDoc, consentId: string): boolean {
  if (d.openingWith === consentId) return false
  return isStanding(d.line.state)
}

/** The line's consent, for this caller and product, in time, and unspent — or spent on the opening it resumes. */
const usable = (
  c: LineConsentDoc | undefined,
  openid: string,
  product: ProductId,
  resumes: string | null,
  now: number,
) => consentUsable(c, { openid, product, purpose: LINE_PURPOSE, now, resumes })

export const open: UseCase<'lines', 'open'> = async (ports, openid, input) => {
  const now = ports.clock.now()
  const caller = await requireUser(ports, openid, { ...SOFT_DATA, legal: true })
  if (!caller.ok) return caller
  const id = lineId(openid, input.product)
  const existing = await ports.store.get<LineDoc>(COLLECTIONS.lines, id)
  if (existing && blocks(existing.data, input.consentId))
    return fail('LINE_ALREADY_OPEN', { detail: existing.data.line.state })
  const consentDoc = await ports.store.get<LineConsentDoc>(COLLECTIONS.creditConsents, input.consentId)
  const resumes = (doc: LineDoc | undefined) => (doc?.openingWith === input.consentId ? id : null)
  if (!usable(consentDoc?.data, openid, input.product, resumes(existing?.data), now))
    return fail('CONSENT_INVALID', { field: 'consentId' })

  const opening = await openingDecision(ports, caller.data, input.product, now)
  if (!opening.ok) return opening
  const { profile, subject, evaluation, decision, rules, catalog } = opening.data
  // A step still to do (card, face) is done first: no inquiry is spent on a line that cannot open yet.
  if (decision.pendingSteps.length > 0) return fail('STEP_REQUIRED', { detail: decision.pendingSteps.join(',') })
  // The line contract, rendered again from the same decision: signed only by the hash of exactly this text.
  const contract = lineContract(ports, caller.data, decision, rules.version, catalog, now)
  const signed = checkSigned(contract, input.contractSha256)
  if (!signed.ok) return signed

  // Before the inquiry, in one transaction: the consent spent on this line, and the line marked as
  // being opened with it. A second open at the same time then answers LINE_ALREADY_OPEN: never a
  // second inquiry, never one line written over another.
  const asked = requestedLine(
    { product: input.product, catalogVersion: evaluation.catalogVersion, ruleSetVersion: evaluation.ruleSetVersion },
    now,
  )
  const claimed = await ports.store.transact(async (tx) => {
    const current = await tx.get<LineDoc>(COLLECTIONS.lines, id)
    if (current && blocks(current.data, input.consentId)) return 'LINE_ALREADY_OPEN' as const
    const consent = await tx.get<LineConsentDoc>(COLLECTIONS.creditConsents, input.consentId)
    if (!consent || !usable(consent.data, openid, input.product, resumes(current?.data), now))
      return 'CONSENT_INVALID' as const
    if (consent.data.usedBy !== id)
      await tx.update(COLLECTIONS.creditConsents, input.consentId, consent.version, { ...consent.data, usedBy: id })
    // A line reopened after a refusal or an expiry keeps its earlier history (its own records) and
    // what its loans still hold: their repayments give back to it as before.
    const line = { ...asked, inUseFen: current?.data.line.inUseFen ?? 0 }
    // A resumed opening keeps the mark of an inquiry it already made.
    const inquiredWith = current?.data.openingWith === input.consentId ? (current.data.inquiredWith ?? null) : null
    return writeLine(tx, id, current, { openid, line, reasons: [], openingWith: input.consentId, inquiredWith })
  })
  if (claimed === 'LINE_ALREADY_OPEN') return fail('LINE_ALREADY_OPEN')
  if (claimed === 'CONSENT_INVALID') return fail('CONSENT_INVALID', { field: 'consentId' })
  // The one inquiry, marked on the line as soon as it is made: an opening resumed after a failure
  // past this point (the decision's write, a timeout) does not ask the bureau again. (A crash
  // between the bureau's answer and the mark is the bureau's to deduplicate: the query carries the
  // consent's id.)
  if (claimed.inquiredWith !== input.consentId) {
    await ports.bureau.hardInquiry(subject, { consentId: input.consentId, purpose: LINE_PURPOSE }, now)
    await ports.store.transact(async (tx) => {
      const current = await tx.get<LineDoc>(COLLECTIONS.lines, id)
      if (current?.data.openingWith === input.consentId)
        await writeLine(tx, id, current, { ...current.data, inquiredWith: input.consentId })
    })
  }

  const ceiling = clipToCeiling(decision.limitFen, ports.settings.lineCeilingFen)
  // A thin credit file the rules would approve goes to a person (7 days, then refused by itself).
  const toReview = decision.eligible && openingNeedsReview(profile, rules)
  const sent = { ...requestedLine(claimed.line, now, true), inUseFen: claimed.line.inUseFen }
  const decided = toReview
    ? { ok: true as const, line: sent }
    : decision.eligible
      ? transition(
          claimed.line,
          {
            type: 'APPROVE',
            limitFen: ceiling.limitFen,
            dailyRatePpm: decision.dailyRatePpm,
            ...(ceiling.clipped
              ? {
                  detail: `评估额度 ${formatYuan(decision.limitFen)} 元，按单户上限调整为 ${formatYuan(ceiling.limitFen)} 元`,
                }
              : {}),
          },
          now,
        )
      : transition(claimed.line, { type: 'REFUSE', reasons: decision.reasons.map((r) => r.code) }, now)
  if (!decided.ok) throw new Error(`lines.open: ${decided.code}`)
  // Automatic debit, if the borrower ticked it: its own consent, from the card they bound, kept in the history.
  const card = caller.data.user.cards?.[0]
  const withDebit =
    input.autoDebit && card && decided.line.state !== 'refused'
      ? transition(decided.line, { type: 'SET_AUTO_DEBIT', on: true, last4: card.last4, cardToken: card.token }, now)
      : null
  const line = withDebit?.ok ? withDebit.line : decided.line
  const doc: Omit<LineDoc, 'watch' | 'changes'> = {
    openid,
    line,
    reasons: decision.eligible ? [] : decision.reasons,
    openingWith: null,
    inquiredWith: null,
    proposal: toReview ? { limitFen: ceiling.limitFen, dailyRatePpm: decision.dailyRatePpm } : null,
  }
  const written = await ports.store.transact(async (tx) => {
    const current = await tx.get<LineDoc>(COLLECTIONS.lines, id)
    // Only the opening that claimed it writes the decision.
    if (!current || current.data.openingWith !== input.consentId)
      throw new Error('lines.open: the line changed while it was being opened')
    // The signed contract, with the line it opens (a refused opening leaves no contract in force).
    if (line.state !== 'refused')
      await recordSigned(ports, tx, {
        contractId: contractIdFor(ports, id, input.consentId),
        openid,
        // The line by its product: the signer's pseudonym names the account (never the openid, which the line's id holds).
        subject: `line:${input.product}`,
        rendered: contract,
        now,
      })
    if (line.state === 'review')
      await openReviewCase(ports, tx, {
        openid,
        product: input.product,
        kind: 'line',
        subjectId: id,
        key: `${id}:${input.consentId}`,
        amountFen: ceiling.limitFen,
        ruleSetVersion: evaluation.ruleSetVersion,
        score: decision.score,
        reasons: ['risk.thinFile'],
        now,
      })
    return writeLine(tx, id, current, doc)
  })
  // The profile the opening was decided on, kept for simulating rule drafts (a refused request keeps nothing).
  await keepProfile(ports, openid, profile, evaluation)
  return ok(lineView(written))
}

async function ownLine(ports: Ports, openid: string, product: ProductId) {
  const d = await ports.store.get<LineDoc>(COLLECTIONS.lines, lineId(openid, product))
  // Another person's line is as absent as one never opened.
  return d && d.data.openid === openid ? d.data : null
}

export const get: UseCase<'lines', 'get'> = async (ports, openid, input) => {
  const d = await ownLine(ports, openid, input.product)
  return d ? ok(lineView(d)) : fail('NOT_FOUND')
}

export const history: UseCase<'lines', 'history'> = async (ports, openid, input) => {
  const d = await ownLine(ports, openid, input.product)
  return d ? ok(await lineHistory(ports.store, lineId(openid, input.product))) : fail('NOT_FOUND')
}

export const list: UseCase<'lines', 'list'> = async (ports, openid) => {
  const docs = await ports.store.query<LineDoc>(COLLECTIONS.lines, { index: 'byOpenid', eq: openid, limit: 100 })
  return ok(docs.map((d) => lineView(d.data)))
}

/** What the open loans of one product hold of its line (lineUseFen each), and whether one is overdue. */
export function principalInUse(loans: LoanDoc[], product: ProductId): { inUseFen: number; overdue: boolean } {
  let inUseFen = 0
  let overdue = false
  for (const { loan } of loans) {
    if (loan.product !== product) continue
    inUseFen += lineUseFen(loan)
    overdue ||= loan.state === 'overdue'
  }
  return { inUseFen, overdue }
}

/**
 * The line job (the timer runs it): for every line it looks after, the events time and the loans
 * call for, in order — a review past its 7 days refused; "in use" re-derived from the open loans
 * (a drift is reported: a crash can never leave a line reserved for ever); frozen while an
 * installment is overdue, unfrozen once none is; an announced cut applied after its notice; the
 * line expired at its expiry. Each line is changed in its own transaction.
 */
export async function runLineJobs(ports: Ports, pageSize = 100) {
  const now = ports.clock.now()
  const report = { lines: 0, changed: 0, failed: 0, notices: [] as Array<{ openid: string; reason: string }> }
  const seen = new Set<string>()
  // Every watched line, page by page in the order they were asked for. The cursor is the last one's
  // time; a page of lines all asked for at that same time makes the next one larger (up to 1,000).
  for (let from = 0, size = pageSize; ;) {
    const page = await ports.store.query<LineDoc>(COLLECTIONS.lines, {
      index: 'byWatch',
      eq: 1,
      gte: from,
      limit: size,
    })
    const fresh = page.filter((d) => !seen.has(d.id))
    for (const { id, data } of fresh) {
      seen.add(id)
      report.lines++
      // One line that fails (a provider down during its review, a conflict) is the next run's:
      // the others are still looked after, and the reminders after them still run.
      const changed = await lookAfter(ports, id, data.openid, data.line.product, now).catch((error: unknown) => {
        report.failed++
        ports.log.warn('line_job_failed', { line: id, error: error instanceof Error ? error.message : String(error) })
        return null
      })
      if (!changed) continue
      report.changed++
      for (const e of changed.effects) {
        if (e.type === 'NOTIFY') {
          report.notices.push({ openid: changed.openid, reason: e.reason })
          await notifyBorrower(ports, changed.openid, data.line.product, e.reason, now)
        } else ports.log.warn('line_reconciled', { line: id, detail: e.detail })
      }
    }
    if (page.length < size) break
    const last = page[page.length - 1].data.line.requestedAt
    if (last === from && fresh.length === 0) {
      if (size >= 1000) break
      size = Math.min(1000, size * 2)
    } else [from, size] = [last, pageSize]
  }
  return report
}

/** One line's due events, in one transaction; what changed, or null. */
async function lookAfter(ports: Ports, id: string, openid: string, product: ProductId, now: number) {
  // Every change of what a loan holds writes its line: the line's version, taken before the loans
  // are read, says in the transaction whether they are still what the line was written from.
  const read = async () => {
    const line = await ports.store.get<LineDoc>(COLLECTIONS.lines, id)
    const loans = await ports.store.query<LoanDoc>(COLLECTIONS.loans, { index: 'byOpenid', eq: openid, limit: 1000 })
    return { line, loans }
  }
  let { line: before, loans } = await read()
  // A drawdown's review past its 7 days is refused first, giving back what it reserved (which
  // writes the line: both are read again).
  const due = loans.filter(
    (l) =>
      l.data.loan.product === product && l.data.loan.state === 'review' && now >= l.data.loan.appliedAt + REVIEW_TTL_MS,
  )
  if (due.length > 0 && (await expireLoanReviews(ports, due)) > 0) ({ line: before, loans } = await read())
  const { inUseFen, overdue } = principalInUse(
    loans.map((l) => l.data),
    product,
  )
  const review = before ? await assessment(ports, openid, product, before.data.line, now) : null
  return ports.store.transact(async (tx) => {
    const current = await tx.get<LineDoc>(COLLECTIONS.lines, id)
    if (!current) return null
    let line = current.data.line
    let openingWith = current.data.openingWith ?? null
    const effects: LineEffect[] = []
    const events: LineEvent[] = []
    // An opening that claimed the line and never decided (the function died after its claim) is
    // over once its consent has expired: the product can be opened again.
    if (openingWith !== null && now >= line.requestedAt + CREDIT_CONSENT_TTL_MS) {
      events.push({ type: 'REFUSE', reasons: ['OPENING_INTERRUPTED'] })
      openingWith = null
    }
    // The loans were read for the line as it was before: a drawdown or repayment since then moved
    // the line on, and what they say of it (in use, overdue) is the next run's to see again.
    const loansCurrent = before !== null && current.version === before.version
    if (openingWith === null)
      events.push(
        { type: 'EXPIRE_REVIEW' },
        ...(loansCurrent
          ? ([{ type: 'RECONCILE', inUseFen }, { type: overdue ? 'FREEZE' : 'UNFREEZE' }] as LineEvent[])
          : []),
        ...(review ? [review] : []),
        { type: 'APPLY_DECREASE' },
        { type: 'EXPIRE' },
      )
    // Each applies where it is due; one that is not (NOT_DUE, or nothing to do) leaves the line as it is.
    for (const event of events) {
      const r = transition(line, event, now)
      if (r.ok) {
        line = r.line
        effects.push(...r.effects)
      }
    }
    if (line === current.data.line) return null
    await writeLine(tx, id, current, { ...current.data, line, openingWith })
    return { openid: current.data.openid, effects }
  })
}

/**
 * The periodic review's figures for an open line whose review is due: the limit the rules give on
 * today's soft data (clipped to the ceiling; 0 when no longer eligible) and whether the growth
 * rules allow an increase. None when not due, or when the person's financial-data consent (which
 * a review reads under) is not current.
 */
async function assessment(ports: Ports, openid: string, product: ProductId, line: Line, now: number) {
  if (!isOpen(line.state) || now < (line.reviewedAt ?? line.decidedAt ?? line.requestedAt) + LINE_REVIEW_MS) return null
  const caller = await requireUser(ports, openid, { agreements: false, ...SOFT_DATA, legal: true })
  if (!caller.ok) return null
  const { profile } = await profileOf(ports, caller.data, now)
  // The published rules review it, within the ranges of the catalog the line was opened under.
  const rules = await publishedRules(ports)
  const catalog = await catalogAt(ports, line.catalogVersion)
  const decision = precheckRules(profile, rules, now, catalog).products.find((p) => p.product === product)!
  const { assessedFen, increaseAllowed } = limitReview(profile, decision, rules)
  return {
    type: 'REVIEW_LIMIT' as const,
    assessedFen: clipToCeiling(assessedFen, ports.settings.lineCeilingFen).limitFen,
    increaseAllowed,
  }
}

/** What the borrower reads in the message center when their line changes by itself. */
const NOTICES: Partial<Record<LineReason, { title: string; body: string }>> = {
  REVIEW_APPROVED: { title: '额度已开通', body: '人工审核已通过，可以在额度内借款。' },
  REVIEW_REFUSED: { title: '开通未通过', body: '人工审核未通过，原因与改进建议见额度记录。' },
  REVIEW_EXPIRED: { title: '开通审核已结束', body: '7 天内未完成人工审核，视为未通过。你可以重新申请开通。' },
  FROZEN_OVERDUE: { title: '额度已冻结', body: '有一期还款已逾期，额度暂停使用。还清逾期款项后自动恢复。' },
  UNFROZEN: { title: '额度已恢复', body: '逾期款项已还清，额度可以继续使用。' },
  INCREASED: { title: '额度已提高', body: '新的额度已生效。' },
  DECREASE_NOTIFIED: { title: '额度将调低', body: '通知期满后，可用的总额度将调低；已借的款项不受影响。' },
  DECREASED: { title: '额度已调低', body: '调低后的额度已生效；已借的款项不受影响。' },
  EXPIRED: { title: '额度已到期', body: '额度有效期已满，不能再借款；未还清的借款照常还款。' },
  RENEWED: { title: '额度已续期', body: '复审通过，额度有效期延长 12 个月。' },
}

export async function notifyBorrower(
  ports: Ports,
  openid: string,
  product: ProductId,
  reason: LineReason,
  now: number,
) {
  const text = NOTICES[reason]
  if (!text) return
  // One message per line, change and time: a retried run writes it once (DUPLICATE is that).
  await ports.store.insert<MessageDoc>(COLLECTIONS.messages, `line:${lineId(openid, product)}:${reason}:${now}`, {
    openid,
    loanId: '',
    kind: `line:${reason}`,
    title: `${PRODUCT_NAMES[product]}：${text.title}`,
    body: text.body,
    at: now,
    read: false,
  })
}
