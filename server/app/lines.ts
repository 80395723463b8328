// The credit line's use cases: its per-query consent, opening it (one hard inquiry, decided on the
// server), and the borrower's own lines and their history. The line itself is the domain's
// (src/domain/line.ts); this reads and writes it, with the consent, in one Store transaction.
import { fail, ok, type LineView } from '../../src/api'
import { CREDIT_CONSENT_TTL_MS } from '../../src/domain/agreements'
import { DEFAULT_CATALOG, type ProductId } from '../../src/domain/catalog'
import {
  availableFen,
  clipToCeiling,
  isOpen,
  requestedLine,
  transition,
  type Line,
  type LineEffect,
  type LineEvent,
} from '../../src/domain/line'
import { inRepayment, isClosed } from '../../src/domain/loan'
import { formatYuan } from '../../src/domain/money'
import type { Reason } from '../../src/domain/reasons'
import { precheck as precheckRules } from '../../src/domain/rules'
import { DEFAULT_RULE_SET } from '../../src/domain/rule-set'
import type { Ports } from '../ports'
import { COLLECTIONS } from '../schema'
import type { LoanDoc } from './loans/docs'
import { SOFT_DATA, profileOf } from './credit'
import { requireUser } from './guard'
import type { UseCase } from './use-case'

/** What a consent to a line's approval says it is for (a loan's consent names the loan's purpose). */
export const LINE_PURPOSE = 'credit-line'

export interface LineConsentDoc {
  openid: string
  product: ProductId
  purpose: typeof LINE_PURPOSE
  at: number
  expiresAt: number
  usedBy: string | null
}

export interface LineDoc {
  openid: string
  line: Line
  /** 1 while the line job looks after it (in review, active or frozen): see watchOf. */
  watch: 0 | 1
  /** The decision's reasons when refused, with their texts under the rule set that decided. */
  reasons: Reason[]
}

/** Whether the line job still has anything to do for a line. */
export const watchOf = (line: Line): 0 | 1 => (isOpen(line.state) || line.state === 'review' ? 1 : 0)

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
    dailyRatePercent: line.dailyRatePpm / 10_000,
    annualRatePercent: Math.round((line.dailyRatePpm * 365) / 100) / 100,
    catalogVersion: line.catalogVersion,
    ruleSetVersion: line.ruleSetVersion,
    requestedAt: line.requestedAt,
    decidedAt: line.decidedAt,
    expiresAt: line.expiresAt,
    pendingDecrease: line.pendingDecrease,
    reasons: d.reasons,
  }
}

export const consent: UseCase<'lines', 'consent'> = async (ports, openid, input) => {
  const caller = await requireUser(ports, openid, { consent: 'financialDataConsent' })
  if (!caller.ok) return caller
  const now = ports.clock.now()
  const consentId = ports.ids.next('cl')
  const doc: LineConsentDoc = {
    openid,
    product: input.product,
    purpose: LINE_PURPOSE,
    at: now,
    expiresAt: now + CREDIT_CONSENT_TTL_MS,
    usedBy: null,
  }
  await ports.store.insert(COLLECTIONS.creditConsents, consentId, doc)
  return ok({ consentId, product: input.product, expiresAt: doc.expiresAt })
}

export const open: UseCase<'lines', 'open'> = async (ports, openid, input) => {
  const now = ports.clock.now()
  const caller = await requireUser(ports, openid, { ...SOFT_DATA, legal: true })
  if (!caller.ok) return caller
  const id = lineId(openid, input.product)
  const existing = await ports.store.get<LineDoc>(COLLECTIONS.lines, id)
  if (existing && (isOpen(existing.data.line.state) || existing.data.line.state === 'review'))
    return fail('LINE_ALREADY_OPEN', { detail: existing.data.line.state })
  const consentDoc = await ports.store.get<LineConsentDoc>(COLLECTIONS.creditConsents, input.consentId)
  const c = consentDoc?.data
  if (
    !consentDoc ||
    !c ||
    c.openid !== openid ||
    c.purpose !== LINE_PURPOSE ||
    c.usedBy !== null ||
    now >= c.expiresAt ||
    c.product !== input.product
  )
    return fail('CONSENT_INVALID', { field: 'consentId' })

  const { profile, subject } = await profileOf(ports, caller.data, now)
  if (!subject) throw new Error('requireUser({ legal: true }) gave a caller without an identity')
  // Unanswered is "ask again later", never a refusal that would cost a hard inquiry.
  if (DEFAULT_RULE_SET.products[input.product].needsPayScore && profile.payScore === 'UNCONFIRMED')
    return fail('PAY_SCORE_UNAVAILABLE')
  const evaluation = precheckRules(profile, DEFAULT_RULE_SET, now)
  const decision = evaluation.products.find((p) => p.product === input.product)!
  // A step still to do (card, face) is done first: no inquiry is spent on a line that cannot open yet.
  if (decision.pendingSteps.length > 0) return fail('STEP_REQUIRED', { detail: decision.pendingSteps.join(',') })

  // The consent is spent on this one inquiry before it is made (compare-and-set: a replay loses).
  const spent = await ports.store.update<LineConsentDoc>(
    COLLECTIONS.creditConsents,
    input.consentId,
    consentDoc.version,
    {
      ...c,
      usedBy: 'pending',
    },
  )
  if (!spent.ok) return fail('CONSENT_INVALID', { field: 'consentId' })
  await ports.bureau.hardInquiry(subject, { consentId: input.consentId, purpose: LINE_PURPOSE }, now)

  const asked = requestedLine(
    { product: input.product, catalogVersion: DEFAULT_CATALOG.version, ruleSetVersion: evaluation.ruleSetVersion },
    now,
  )
  const ceiling = clipToCeiling(decision.limitFen, ports.settings.lineCeilingFen)
  const decided = decision.eligible
    ? transition(
        asked,
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
    : transition(asked, { type: 'REFUSE', reasons: decision.reasons.map((r) => r.code) }, now)
  if (!decided.ok) throw new Error(`lines.open: ${decided.code}`)
  // A line reopened after a refusal or an expiry keeps its earlier history.
  const line = { ...decided.line, history: [...(existing?.data.line.history ?? []), ...decided.line.history] }
  const doc: LineDoc = { openid, line, watch: watchOf(line), reasons: decision.eligible ? [] : decision.reasons }
  await ports.store.transact(async (tx) => {
    const current = await tx.get<LineDoc>(COLLECTIONS.lines, id)
    const written = current
      ? await tx.update(COLLECTIONS.lines, id, current.version, doc)
      : await tx.insert(COLLECTIONS.lines, id, doc)
    if (!written.ok) throw new Error(`lines.open: ${written.reason}`)
    const used = await tx.get<LineConsentDoc>(COLLECTIONS.creditConsents, input.consentId)
    if (!used || !(await tx.update(COLLECTIONS.creditConsents, input.consentId, used.version, { ...c, usedBy: id })).ok)
      throw new Error('lines.open: the consent changed while it was being spent')
  })
  return ok(lineView(doc))
}

async function ownLine(ports: Parameters<UseCase<'lines', 'get'>>[0], openid: string, product: ProductId) {
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
  return d ? ok(d.line.history) : fail('NOT_FOUND')
}

export const list: UseCase<'lines', 'list'> = async (ports, openid) => {
  const docs = await ports.store.query<LineDoc>(COLLECTIONS.lines, { index: 'byOpenid', eq: openid, limit: 100 })
  return ok(docs.map((d) => lineView(d.data)))
}

/** What the open loans of one product hold of its line: principal paid out and not repaid, or reserved for a payout. */
export function principalInUse(loans: LoanDoc[], product: ProductId): { inUseFen: number; overdue: boolean } {
  let inUseFen = 0
  let overdue = false
  for (const { loan } of loans) {
    if (loan.product !== product || isClosed(loan.state)) continue
    inUseFen += inRepayment(loan.state) ? loan.amountFen - loan.paid.principalFen : loan.amountFen
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
export async function runLineJobs(ports: Ports, limit = 100) {
  const now = ports.clock.now()
  const watched = await ports.store.query<LineDoc>(COLLECTIONS.lines, { index: 'byWatch', eq: 1, limit })
  const report = { lines: watched.length, changed: 0, notices: [] as Array<{ openid: string; reason: string }> }
  for (const { id } of watched) {
    const changed = await ports.store.transact(async (tx) => {
      const current = await tx.get<LineDoc>(COLLECTIONS.lines, id)
      if (!current) return null
      const loans = await ports.store.query<LoanDoc>(COLLECTIONS.loans, {
        index: 'byOpenid',
        eq: current.data.openid,
        limit: 1000,
      })
      const { inUseFen, overdue } = principalInUse(
        loans.map((l) => l.data),
        current.data.line.product,
      )
      let line = current.data.line
      const effects: LineEffect[] = []
      const events: LineEvent[] = [
        { type: 'EXPIRE_REVIEW' },
        { type: 'RECONCILE', inUseFen },
        { type: overdue ? 'FREEZE' : 'UNFREEZE' },
        { type: 'APPLY_DECREASE' },
        { type: 'EXPIRE' },
      ]
      // Each applies where it is due; one that is not (NOT_DUE, or nothing to do) leaves the line as it is.
      for (const event of events) {
        const r = transition(line, event, now)
        if (r.ok) {
          line = r.line
          effects.push(...r.effects)
        }
      }
      if (line === current.data.line) return null
      const written = await tx.update<LineDoc>(COLLECTIONS.lines, id, current.version, {
        ...current.data,
        line,
        watch: watchOf(line),
      })
      if (!written.ok) throw new Error(`line job: ${written.reason}`)
      return { openid: current.data.openid, effects }
    })
    if (!changed) continue
    report.changed++
    for (const e of changed.effects) {
      if (e.type === 'NOTIFY') report.notices.push({ openid: changed.openid, reason: e.reason })
      else ports.log.warn('line_reconciled', { line: id, detail: e.detail })
    }
  }
  return report
}
