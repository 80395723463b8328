// A drawdown (借款) against the product's open line: decided and priced again on the server (the
// client's figures are never used), at the line's own rate. No consent and no hard inquiry — the
// line's opening paid for the one inquiry; a drawdown gets a soft post-loan check only. The
// amount is reserved from the line in the same transaction that writes the loan, its receipts
// and its audit entries, so parallel drawdowns never exceed what is available and a crash can
// never leave one without the others.
import { fail, ok, type ApplyResult } from '../../../src/api'
import { transition as lineTransition } from '../../../src/domain/line'
import { newLoan, transition, type Loan, type LoanEffect, type LoanEvent } from '../../../src/domain/loan'
import { isReasonCode, reason } from '../../../src/domain/reasons'
import { drawdownCheck, purposeRefusal, type ApplicationDecision } from '../../../src/domain/rules'
import { publishedRules } from '../published'
import { COLLECTIONS } from '../../schema'
import { hasCurrent } from '../../../src/domain/agreements'
import { profileOf, SOFT_DATA } from '../credit'
import { lineId, writeLine, type LineDoc } from '../lines'
import { requireUser } from '../guard'
import { trackOf, type LoanDoc } from './docs'
import { auditStep, runEffects, writeAudit, type AuditStep } from './records'
import { view } from './view'
import { startPayout } from '../payouts'
import { openReviewCase } from '../review-cases'
import type { RequestRef, UseCase } from '../use-case'
import { checkSigned, drawdownContract, noteIdFor, priceDrawdown, recordSigned } from '../contracts'

/** The loan's first steps as the check decided them: refused, to a person, held for face, or paid out. */
function firstSteps(check: ApplicationDecision): LoanEvent[] {
  if (check.outcome === 'refused') return [{ type: 'REFUSE', reasons: check.reasons.map((r) => r.code) }]
  if (check.outcome === 'manual-review') return [{ type: 'REVIEW' }]
  return check.faceRequiredBeforeDrawdown ? [{ type: 'APPROVE' }] : [{ type: 'APPROVE' }, { type: 'DISBURSE' }]
}

/**
 * The loan a request makes: named by the caller and the requestId, so that a retry after a crash
 * (the loan written, the request not yet answered) finds the loan it made instead of making — and
 * paying out — another. The name starts with when the request was first claimed (the same on
 * every retry), so new loans, and their receipts, audit entries, journal entries, note and payout
 * (all named from it), sort by time: each lands beside the last instead of on a random page of
 * every index (BENCHMARKS.md). `earlier` is the name a version before that gave the same request
 * (the keyed hash alone), looked for too; a claim from then (without `since`) keeps that name.
 */
function loanNamesFor(
  ports: Parameters<UseCase<'loans', 'apply'>>[0],
  openid: string,
  request?: RequestRef,
): { id: string; earlier: string | null } {
  if (!request) return { id: ports.ids.next('L'), earlier: null }
  const hash = ports.secrets.keyedHash('loan-id', `${openid}:${request.requestId}`)
  const earlier = `L_${hash.slice(0, 24)}`
  if (request.since === undefined) return { id: earlier, earlier: null }
  return { id: `L_${request.since.toString(36).padStart(9, '0')}${hash.slice(0, 15)}`, earlier }
}

/**
 * The caller's loan this request made already, or null: under its name only when the claim was
 * taken over (a fresh claim's time names nothing yet), under its earlier name always (a version
 * before removed the claim of a run that threw, and a fresh claim follows).
 */
async function madeBefore(
  ports: Parameters<UseCase<'loans', 'apply'>>[0],
  openid: string,
  request: RequestRef,
  names: { id: string; earlier: string | null },
): Promise<Loan | null> {
  // A claim without a time is from before it was kept: taken over, whoever passes it.
  const retry = request.retry === true || request.since === undefined
  for (const id of [retry ? names.id : null, names.earlier]) {
    const doc = id ? await ports.store.get<LoanDoc>(COLLECTIONS.loans, id) : null
    if (doc) return doc.data.openid === openid ? doc.data.loan : null
  }
  return null
}

/** What a loan already made for this request answers again. */
function answerFor(loan: Loan, now: number): ApplyResult {
  return {
    outcome: loan.state === 'refused' ? 'refused' : loan.state === 'review' ? 'manual-review' : 'approved',
    loan: view(loan, now),
    reasons: loan.reasons.filter(isReasonCode).map((code) => reason(code)),
    faceRequiredBeforeDrawdown: loan.state === 'approved',
  }
}

export const apply: UseCase<'loans', 'apply'> = async (ports, openid, input, request) => {
  const now = ports.clock.now()
  // A retry of a request whose loan was made (its answer lost: a crash, a throw after the commit)
  // is answered again before anything is checked: a line frozen since, a new agreement or a
  // changed rule never turns it into a refusal — whose released claim a later retry would make
  // a second loan under a new name.
  const names = loanNamesFor(ports, openid, request)
  const made = request ? await madeBefore(ports, openid, request, names) : null
  if (made) return ok(answerFor(made, now))
  const accountType = input.accountType ?? 'debit'
  // Where the money may go is decided before anything is asked of anyone.
  const rules = await publishedRules(ports)
  const refusedField = purposeRefusal({ purpose: input.purpose, accountType }, rules)
  if (refusedField) return fail('PURPOSE_REFUSED', { field: refusedField })
  // A product that needs face verification needs the biometric consent to stand (withdrawn, it asks again).
  const faceProduct = rules.products[input.product].needsFace
  const caller = await requireUser(ports, openid, { ...SOFT_DATA, legal: true })
  if (!caller.ok) return caller
  if (faceProduct && !hasCurrent(caller.data.user.agreements, 'biometricConsent'))
    return fail('CONSENT_REQUIRED', { detail: 'biometricConsent' })

  // The line answers first: without an open one nothing is checked or priced (the transaction below decides again).
  const id = lineId(openid, input.product)
  const lineDoc = await ports.store.get<LineDoc>(COLLECTIONS.lines, id)
  const line = lineDoc && lineDoc.data.openid === openid ? lineDoc.data.line : null
  if (!line || (line.state !== 'active' && line.state !== 'frozen')) return fail('NO_ACTIVE_LINE')
  if (line.state === 'frozen') return fail('LINE_FROZEN')

  // The post-loan check: soft data only (no inquiry is recorded), and no call to WeChat Pay — the
  // pay score was the opening's to ask.
  const { profile } = await profileOf(ports, caller.data, now, { payScore: false })
  const check = drawdownCheck(
    profile,
    {
      product: input.product,
      amountFen: input.amountFen,
      purpose: input.purpose,
      accountType,
    },
    rules,
  )
  // The server prices the loan itself, at the line's rate.
  const priced = await priceDrawdown(ports, line, input, now)
  if (!priced.ok) {
    const { code, message, ...extra } = priced.error
    return fail(code, {
      message,
      field: code === 'TERM_NOT_OFFERED' ? 'term' : 'amountFen',
      detail: extra.aprPercent !== undefined ? String(extra.aprPercent) : undefined,
    })
  }

  const loanId = names.id
  // The drawdown note, rendered from the priced offer: signed only by the hash of exactly this text
  // (a retry of a loan made already, perhaps the next day, was answered above under the note it
  // was signed with).
  const contract = drawdownContract(caller.data, line, priced.offer, input.purpose, rules.version, now)
  const signed = checkSigned(contract, input.contractSha256)
  if (!signed.ok) return signed

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
  for (const event of firstSteps(check)) {
    const t = transition(loan, event, now)
    if (!t.ok) throw new Error(`apply: ${t.code}`)
    loan = t.loan
    effects.push(...t.effects)
    audit.push(auditStep(event, t.loan, t.effects))
  }
  const doc: LoanDoc = {
    openid,
    loan,
    purpose: input.purpose,
    merchant: caller.data.user.entryMerchant,
    lineId: id,
    track: trackOf(loan),
  }
  const written = await ports.store.transact(async (tx) => {
    // This request's loan exists (a copy that took a stale claim over while the first still ran):
    // it is answered again, and nothing is written.
    const again = await tx.get<LoanDoc>(COLLECTIONS.loans, loanId)
    if (again) return { ok: 'again' as const, loan: again.data.loan }
    const current = await tx.get<LineDoc>(COLLECTIONS.lines, id)
    if (!current) return { ok: false as const, code: 'NO_ACTIVE_LINE' as const }
    // A refused drawdown holds nothing of the line; every other one reserves its whole amount.
    if (check.outcome !== 'refused') {
      const reserved = lineTransition(current.data.line, { type: 'RESERVE', loanId, amountFen: loan.amountFen }, now)
      if (!reserved.ok) return reserved
      await writeLine(tx, id, current, { ...current.data, line: reserved.line })
    }
    await tx.insert<LoanDoc>(COLLECTIONS.loans, loanId, doc)
    // The signed note, with the loan it is for (a refused drawdown leaves no contract in force).
    if (check.outcome !== 'refused')
      await recordSigned(ports, tx, {
        // Named from the loan (which names it once): it sorts by time as the loan does.
        contractId: noteIdFor(loanId),
        openid,
        subject: loanId,
        rendered: contract,
        now,
      })
    if (loan.state === 'review')
      await openReviewCase(ports, tx, {
        openid,
        product: input.product,
        kind: 'drawdown',
        subjectId: loanId,
        key: loanId,
        amountFen: loan.amountFen,
        ruleSetVersion: check.ruleSetVersion,
        score: null,
        reasons: ['risk.manualReview', ...(check.faceRequiredBeforeDrawdown ? ['risk.deviceFace'] : [])],
        faceBeforePayout: check.faceRequiredBeforeDrawdown,
        now,
      })
    await runEffects(ports, tx, openid, loan, 0, effects, now)
    await writeAudit(tx, openid, loan, 0, audit, now)
    return { ok: true as const }
  })
  if (written.ok === 'again') return ok(answerFor(written.loan, now))
  if (!written.ok) {
    if (written.code === 'LINE_EXCEEDED')
      return fail('LINE_EXCEEDED', {
        field: 'amountFen',
        message: written.message,
        detail: String(written.availableFen),
      })
    if (written.code === 'NO_ACTIVE_LINE' || written.code === 'LINE_FROZEN')
      return fail(written.code, 'message' in written ? { message: written.message } : {})
    return fail(written.code === 'INVALID_AMOUNT' ? 'INVALID_AMOUNT' : 'CONFLICT')
  }
  // The payout is asked for once the loan is written (disbursing); a gateway that confirms at once
  // makes it disbursed before this answer, otherwise the loan page sees it land.
  if (loan.state === 'disbursing') {
    // The loan and its borrower as just written and read: not read again.
    const recorded = await startPayout(ports, openid, loanId, {
      known: { id: loanId, data: doc, user: caller.data.user },
    })
    loan = recorded ?? (await ports.store.get<LoanDoc>(COLLECTIONS.loans, loanId))?.data.loan ?? loan
  }
  return ok({
    outcome: check.outcome,
    loan: view(loan, ports.clock.now()),
    reasons: check.reasons,
    faceRequiredBeforeDrawdown: check.faceRequiredBeforeDrawdown,
  })
}
