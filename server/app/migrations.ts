// The schema's migrations, in order, each with the version it brings the data to. The version the
// data is at is one document (meta/schema); `migrate` runs whatever is still to run, each step
// idempotent, so a run cut short (a crash, the timer's budget) is finished by the next one. The
// local cloud runs it at start; in WeChat Cloud the timer runs it before its jobs.
import { feeTermsOf } from '../../src/domain/catalog'
import { addChinaMonths } from '../../src/domain/china-time'
import { LINE_MONTHS, clipToCeiling, transition as lineTransition, type Line } from '../../src/domain/line'
import { entryFor } from '../../src/domain/journal'
import { lineUseFen, type Loan } from '../../src/domain/loan'
import type { Ports } from '../ports'
import { COLLECTIONS, SCHEMA_VERSION } from '../schema'
import { lineId, writeLine, type LineDoc } from './lines'
import type { LoanDoc, ReceiptDoc } from './loans/docs'
import { moneyEvent } from './loans/records'
import { catalogAt, seedVersions } from './published'
import { openReviewCase, reviewCaseIdFor } from './review-cases'
import type { UserDoc } from './users'

/** The version of data written before versions were recorded (lines did not exist). */
export const UNVERSIONED = 'schema/2026-12-01.1'

interface SchemaDoc {
  version: string
  /** Each migration's report, by the version it brought the data to. */
  ran: Record<string, { at: number; report: Record<string, number> }>
}

interface Migration {
  to: string
  what: string
  run(ports: Ports, now: number): Promise<Record<string, number>>
}

const PAGE = 200

/** Every loan, page by page, in the reminders index's unique order (both of its values). */
async function* everyLoan(ports: Ports) {
  for (const remind of [0, 1]) {
    let from = ''
    for (;;) {
      const page = await ports.store.query<LoanDoc>(COLLECTIONS.loans, {
        index: 'byRemind',
        eq: remind,
        gte: from,
        limit: PAGE,
      })
      const fresh = page.filter((d) => d.data.track.dueKey !== from)
      yield* fresh
      if (page.length < PAGE) break
      from = page[page.length - 1].data.track.dueKey
    }
  }
}

/**
 * Loans made before lines: each borrower's loans of one product get the line that product would
 * have had — active, "in use" what the open loans hold, the limit what they were lent (the larger
 * of the most ever lent at once and what is in use, under the ceiling), the latest loan's rate and
 * versions, 12 months from now, its history saying it was migrated. An existing line is kept and
 * only attached. The users' old per-product counters (lineUsage) go: the line holds that now. And
 * the lines opened before this version kept their history inline: it moves to its own records.
 */
const attachLoansToLines: Migration = {
  to: 'schema/2026-12-01.2',
  what: 'lines for loans made before lines',
  async run(ports, now) {
    const groups = new Map<string, Array<{ id: string; data: LoanDoc }>>()
    const attached = new Map<string, Array<{ id: string; data: LoanDoc }>>()
    for await (const d of everyLoan(ports)) {
      if (d.data.lineId) {
        attached.set(d.data.lineId, [...(attached.get(d.data.lineId) ?? []), d])
        continue
      }
      const key = lineId(d.data.openid, d.data.loan.product)
      groups.set(key, [...(groups.get(key) ?? []), d])
    }
    const report = { loans: 0, linesOpened: 0, linesKept: 0, historiesMoved: 0 }
    // Lines opened before their history had its own records: each change moves out, in order.
    for (const watch of [0, 1] as const)
      for (const d of await ports.store.query<LineDoc>(COLLECTIONS.lines, {
        index: 'byWatch',
        eq: watch,
        gte: 0,
        limit: 1000,
      })) {
        if (d.data.line.history.length === 0) continue
        await ports.store.transact(async (tx) => {
          const current = await tx.get<LineDoc>(COLLECTIONS.lines, d.id)
          if (!current || current.data.line.history.length === 0) return
          const viaReview = current.data.line.history.some((c) => c.reason === 'SENT_TO_REVIEW')
          await writeLine(
            tx,
            d.id,
            { ...current, data: { ...current.data, changes: 0 } },
            {
              ...current.data,
              line: { ...current.data.line, viaReview },
            },
          )
        })
        report.historiesMoved++
      }
    for (const [id, loans] of groups) {
      const opened = await ports.store.transact(async (tx) => {
        const existing = await tx.get<LineDoc>(COLLECTIONS.lines, id)
        if (!existing) await writeLine(tx, id, null, migratedLine(loans, now, ports.settings.lineCeilingFen))
        else {
          // A line from before this version: what it holds becomes what all its loans hold — those
          // attached before and these — so that no repayment of these gives back to a stale figure.
          const held = [...loans, ...(attached.get(id) ?? [])].reduce((t, l) => t + lineUseFen(l.data.loan), 0)
          const r = lineTransition(existing.data.line, { type: 'RECONCILE', inUseFen: held }, now)
          if (r.ok && r.line !== existing.data.line)
            await writeLine(tx, id, existing, { ...existing.data, line: r.line })
        }
        for (const { id: loanId } of loans) {
          const doc = await tx.get<LoanDoc>(COLLECTIONS.loans, loanId)
          if (doc && !doc.data.lineId)
            await tx.update<LoanDoc>(COLLECTIONS.loans, loanId, doc.version, { ...doc.data, lineId: id })
        }
        const openid = loans[0].data.openid
        const user = await tx.get<UserDoc & { lineUsage?: unknown }>(COLLECTIONS.users, openid)
        if (user && 'lineUsage' in user.data) {
          const { lineUsage: _gone, ...rest } = user.data
          await tx.update(COLLECTIONS.users, openid, user.version, rest)
        }
        return !existing
      })
      report.loans += loans.length
      if (opened) report.linesOpened++
      else report.linesKept++
    }
    return report
  },
}

function migratedLine(
  loans: Array<{ data: LoanDoc }>,
  now: number,
  ceilingFen: number,
): Omit<LineDoc, 'watch' | 'changes'> {
  const all: Loan[] = loans.map((l) => l.data.loan).sort((a, b) => a.appliedAt - b.appliedAt)
  const latest = all[all.length - 1]
  const inUseFen = all.reduce((t, l) => t + lineUseFen(l), 0)
  // Only money that went out was ever approved: a line is what was paid out at most (under the
  // ceiling). A borrower none of whose loans paid out was never approved for any: their line is
  // refused — it still holds what a review holds, and the product can be opened as anyone's.
  const paidOut = all.filter((l) => l.disbursedAt !== null).map((l) => l.amountFen)
  const { limitFen } = clipToCeiling(Math.max(0, ...paidOut), ceilingFen)
  const approved = paidOut.length > 0
  const line: Line = {
    product: latest.product,
    state: approved ? 'active' : 'refused',
    limitFen: approved ? Math.max(limitFen, Math.min(inUseFen, ceilingFen)) : 0,
    inUseFen,
    dailyRatePpm: latest.dailyRatePpm,
    catalogVersion: latest.catalogVersion,
    ruleSetVersion: latest.ruleSetVersion,
    requestedAt: all[0].appliedAt,
    decidedAt: now,
    expiresAt: approved ? addChinaMonths(now, LINE_MONTHS) : null,
    pendingDecrease: null,
    reviewedAt: null,
    viaReview: false,
    history: [],
  }
  line.history.push({
    at: now,
    reason: 'MIGRATED',
    state: line.state,
    limitFen: line.limitFen,
    inUseFen,
    detail: approved
      ? `由 ${all.length} 笔开通额度之前的借款迁移：额度为曾放款的最高金额，占用为未结清借款的本金`
      : `由 ${all.length} 笔开通额度之前、未曾放款的申请迁移：未开通额度，可以重新申请开通`,
  })
  return { openid: loans[0].data.openid, line, reasons: [], openingWith: null, proposal: null }
}

/**
 * Money moved before the books: each loan's payout, repayments and cooling-off return, from the
 * signed receipts that recorded them, post the journal entries they would have posted, under the
 * receipts' own ids — so an entry already there (or posted by a later step) is never posted twice.
 */
const journalFromReceipts: Migration = {
  to: 'schema/2026-12-01.3',
  what: 'journal entries for money moved before the books',
  async run(ports) {
    let posted = 0
    let kept = 0
    for await (const loan of everyLoan(ports)) {
      const receipts = await ports.store.query<ReceiptDoc>(COLLECTIONS.receipts, {
        index: 'byLoan',
        eq: loan.id,
        limit: 500,
      })
      for (const r of receipts) {
        const money = moneyEvent(r.id, r.data, r.data.channel ?? 'wechatPay')
        if (!money) continue
        if ((await ports.store.insert(COLLECTIONS.journal, r.id, entryFor(money))).ok) posted++
        else kept++
      }
    }
    return { posted, kept }
  },
}

/**
 * Lines and drawdowns sent to a person before the console: each gets its review case (named as
 * the opening or the drawdown would have named it, so a case opened since is never doubled),
 * dated when it was sent, so it still ends after the same 7 days.
 */
const casesForReviews: Migration = {
  to: 'schema/2026-12-02.1',
  what: 'review cases for lines and drawdowns already waiting for a person',
  async run(ports) {
    let opened = 0
    let kept = 0
    const open = async (c: Parameters<typeof openReviewCase>[2]) => {
      const made = await ports.store.transact(async (tx) => {
        const r = await tx.get(COLLECTIONS.reviewCases, reviewCaseIdFor(ports, c.key))
        if (r) return false
        await openReviewCase(ports, tx, c)
        return true
      })
      if (made) opened++
      else kept++
    }
    for (const d of await ports.store.query<LineDoc>(COLLECTIONS.lines, {
      index: 'byWatch',
      eq: 1,
      gte: 0,
      limit: 1000,
    })) {
      const line = d.data.line
      if (line.state !== 'review') continue
      await open({
        openid: d.data.openid,
        product: line.product,
        kind: 'line',
        subjectId: d.id,
        key: `${d.id}:migrated:${line.requestedAt}`,
        amountFen: d.data.proposal?.limitFen ?? 0,
        ruleSetVersion: line.ruleSetVersion,
        score: null,
        reasons: ['risk.thinFile'],
        now: line.requestedAt,
      })
    }
    for await (const d of everyLoan(ports)) {
      if (d.data.loan.state !== 'review') continue
      await open({
        openid: d.data.openid,
        product: d.data.loan.product,
        kind: 'drawdown',
        subjectId: d.id,
        key: d.id,
        amountFen: d.data.loan.amountFen,
        ruleSetVersion: d.data.loan.ruleSetVersion,
        score: null,
        reasons: ['risk.manualReview'],
        now: d.data.loan.appliedAt,
      })
    }
    return { opened, kept }
  },
}

/**
 * Loans made before they kept their own fee terms: each gets the fees and overdue rule of the
 * catalog version it records (the one its contract was rendered from), so that a catalog published
 * later changes nothing already lent.
 */
const loanFeeTerms: Migration = {
  to: 'schema/2026-12-02.2',
  what: 'loans keep the fee terms of the catalog they were priced under',
  async run(ports) {
    let kept = 0
    let given = 0
    for await (const d of everyLoan(ports)) {
      if (d.data.loan.feeTerms) {
        kept++
        continue
      }
      const catalog = await catalogAt(ports, d.data.loan.catalogVersion)
      const feeTerms = feeTermsOf(catalog.products[d.data.loan.product])
      await ports.store.transact(async (tx) => {
        const doc = await tx.get<LoanDoc>(COLLECTIONS.loans, d.id)
        if (!doc || doc.data.loan.feeTerms) return
        await tx.update<LoanDoc>(COLLECTIONS.loans, d.id, doc.version, {
          ...doc.data,
          loan: { ...doc.data.loan, feeTerms },
        })
      })
      given++
    }
    return { given, kept }
  },
}

export const MIGRATIONS: Migration[] = [attachLoansToLines, journalFromReceipts, casesForReviews, loanFeeTerms]

/** Brings the data to SCHEMA_VERSION: the migrations still to run, in order, each recorded when done. */
export async function migrate(ports: Ports): Promise<{ from: string; to: string; ran: string[] }> {
  const now = ports.clock.now()
  // The compiled rule set and catalog stored as versions (once) before anything decides by them:
  // a later deploy that edits or renames them still finds what earlier decisions used.
  await seedVersions(ports)
  const stored = await ports.store.get<SchemaDoc>(COLLECTIONS.meta, 'schema')
  const from = stored?.data.version ?? UNVERSIONED
  const pending = MIGRATIONS.filter((m) => m.to > from)
  const ran: string[] = []
  let doc = stored
  for (const m of pending) {
    const report = await m.run(ports, now)
    const data: SchemaDoc = { version: m.to, ran: { ...doc?.data.ran, [m.to]: { at: now, report } } }
    const written = doc
      ? await ports.store.update<SchemaDoc>(COLLECTIONS.meta, 'schema', doc.version, data)
      : await ports.store.insert<SchemaDoc>(COLLECTIONS.meta, 'schema', data)
    // Another runner recorded it first: it ran the same idempotent steps.
    if (!written.ok)
      return { from, to: (await ports.store.get<SchemaDoc>(COLLECTIONS.meta, 'schema'))!.data.version, ran }
    doc = written.doc
    ran.push(m.to)
    ports.log.info('schema_migrated', { to: m.to, what: m.what, ...report })
  }
  const to = doc?.data.version ?? from
  if (to !== SCHEMA_VERSION) throw new Error(`no migration brings the data from ${to} to ${SCHEMA_VERSION}`)
  return { from, to, ran }
}
