// What every loan operation leaves behind: a signed receipt per step, a journal entry for each step
// that moved money, and an audit entry per state change, with ids derived from the loan and the
// version the change was made from, so writing them again writes nothing twice. They are written in
// the loan's own transaction (`into`): the loan, its line, its receipts, its journal entries and
// its audit entries are one commit — none without the others.
import type { ReceiptView } from '../../../src/api'
import { entryFor, type Channel, type MoneyEvent } from '../../../src/domain/journal'
import type { Loan, LoanEffect, LoanEvent, LoanState, ReceiptKind } from '../../../src/domain/loan'
import type { Ports, StoreTx } from '../../ports'
import { COLLECTIONS } from '../../schema'
import { canonicalJson } from '../canonical-json'
import type { AuditAction, AuditDoc, JournalDoc, ReceiptDoc } from './docs'

/**
 * Receipts (signed with an HMAC key) for a transition's effects, each with the journal entry of
 * the money it moved. Ids come from the money event that caused the change (a confirmed
 * payment's id), or else from the loan, the version the change was made from and the effect's
 * position, so writing them again writes nothing twice.
 */
export async function runEffects(
  ports: Ports,
  into: StoreTx,
  openid: string,
  loan: Loan,
  fromVersion: number,
  effects: LoanEffect[],
  now: number,
  eventId?: string,
  channel: Channel = 'wechatPay',
): Promise<void> {
  let n = 0
  for (const e of effects) {
    n++
    if (e.type !== 'RECEIPT') continue
    // Caused by a money event (a confirmed payment): named by it, so it is posted once whatever the loan's version.
    const id = eventId ?? `${loan.id}:${fromVersion}:${n}`
    const body = {
      loanId: loan.id,
      kind: e.kind,
      amountFen: e.amountFen,
      breakdown: e.breakdown,
      at: now,
      ...(eventId ? { paymentId: eventId } : {}),
      // An automatic debit's receipt says so; WeChat Pay's (and those from before) carry none.
      ...(eventId && channel === 'cardDebit' ? { channel } : {}),
    }
    await into.create<ReceiptDoc>(COLLECTIONS.receipts, id, {
      ...body,
      openid,
      signature: sign(ports, id, body),
    })
    const money = moneyEvent(id, body, channel)
    if (money) await into.create<JournalDoc>(COLLECTIONS.journal, id, entryFor(money))
  }
}

/**
 * The money event a step's receipt records, if money moved: the payout, a repayment, the
 * cooling-off return. Named by the receipt's id, so the entry is posted once with it. Repayments
 * and cooling-off returns arrive through WeChat Pay or, for an automatic debit, from the card
 * (the channel's own clearing account).
 */
export function moneyEvent(
  id: string,
  r: { loanId: string; kind: ReceiptKind; amountFen: number; breakdown: ReceiptDoc['breakdown']; at: number },
  channel: Channel = 'wechatPay',
): MoneyEvent | null {
  if (r.amountFen <= 0) return null
  if (r.kind === 'disburse') return { type: 'PAYOUT_CONFIRMED', id, loanId: r.loanId, at: r.at, amountFen: r.amountFen }
  if (r.kind === 'cancel')
    return { type: 'COOLING_OFF_RETURN', id, loanId: r.loanId, at: r.at, channel, amountFen: r.amountFen }
  if (r.kind === 'repay')
    return { type: 'REPAYMENT_RECEIVED', id, loanId: r.loanId, at: r.at, channel, paid: r.breakdown }
  return null
}

/** One state change for the audit log: what was done, and the state it left the loan in. */
export interface AuditStep {
  action: AuditAction
  state: LoanState
  amountFen: number
}

const AUDIT_ACTIONS: Record<LoanEvent['type'], AuditAction> = {
  APPROVE: 'approve',
  REVIEW: 'review',
  REFUSE: 'refuse',
  EXPIRE_REVIEW: 'refuse',
  DISBURSE: 'disburse',
  PAYOUT_CONFIRMED: 'payout',
  PAYOUT_FAILED: 'payout',
  CANCEL: 'cancel',
  REPAY: 'repay',
  MARK_OVERDUE: 'overdue',
}

/** The audit step of one transition: the amount its receipt carries, or 0 for a step that carries none (overdue marking). */
export function auditStep(event: LoanEvent, after: Loan, effects: LoanEffect[]): AuditStep {
  const receipt = effects.find((e) => e.type === 'RECEIPT')
  return { action: AUDIT_ACTIONS[event.type], state: after.state, amountFen: receipt ? receipt.amountFen : 0 }
}

/**
 * One audit entry per state change, each with the state its own step produced. The id is the
 * loan, the version the change was made from (zero-padded, so entries sort in order) and the
 * step, so writing the same entries again writes nothing twice.
 */
export async function writeAudit(
  into: StoreTx,
  openid: string,
  loan: Loan,
  fromVersion: number,
  steps: AuditStep[],
  now: number,
): Promise<void> {
  for (const [i, step] of steps.entries()) {
    await into.create<AuditDoc>(COLLECTIONS.audit, `${loan.id}:v${String(fromVersion).padStart(6, '0')}:${i}`, {
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

/** What a receipt's signature is over: its fields but the signature, as canonical JSON. */
export const receiptMessage = (id: string, body: Omit<ReceiptView, 'id' | 'signature'>) =>
  canonicalJson({ id, ...body })

/**
 * What a receipt is stored with: the server's keyed seal (HMAC-SHA256) over its content, cheap to
 * make in the transaction that writes it. Handed out, a receipt carries the Ed25519 signature
 * instead (receiptView), made only after this seal shows the stored receipt is the one written —
 * so a changed record is never signed, and writing money costs no public-key signature.
 */
export function sign(ports: Ports, id: string, body: Omit<ReceiptView, 'id' | 'signature'>): string {
  return ports.secrets.keyedHash('receipt', receiptMessage(id, body))
}

/** The receipt as the borrower gets it, Ed25519-signed; a stored receipt whose seal fails is signed as no one's. */
export function receiptView(ports: Ports, id: string, d: ReceiptDoc): ReceiptView {
  const body: Omit<ReceiptView, 'id' | 'signature'> = {
    loanId: d.loanId,
    kind: d.kind,
    amountFen: d.amountFen,
    breakdown: d.breakdown,
    at: d.at,
    ...(d.paymentId ? { paymentId: d.paymentId } : {}),
    ...(d.channel ? { channel: d.channel } : {}),
  }
  const genuine = sign(ports, id, body) === d.signature
  if (!genuine) ports.log.error('receipt_seal_failed', { receipt: id })
  return { id, ...body, signature: genuine ? ports.secrets.sign(receiptMessage(id, body)) : 'unverified' }
}
