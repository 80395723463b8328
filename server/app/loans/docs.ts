// What the loan use cases store: the credit-query consents, the loans with their jobs' index
// fields, the receipts, the journal entries and the audit entries — and how a caller reaches their own loan.
import type { Purpose, ReceiptView } from '../../../src/api'
import type { JournalEntry } from '../../../src/domain/journal'
import { inRepayment, type Loan, type LoanState } from '../../../src/domain/loan'
import type { Doc, Ports } from '../../ports'
import { COLLECTIONS } from '../../schema'

export interface LoanDoc {
  openid: string
  loan: Loan
  purpose: Purpose
  merchant: string | null
  /** The line it draws on (lines/<openid>:<product>). */
  lineId: string
  /** Loans made before lines existed were each applied for with their own credit-query consent. */
  consentId?: string
  /** Derived on every write, for the jobs' indexes (see trackOf). */
  track: LoanTrack
}

export interface LoanTrack {
  /** 1 while the overdue job should look at it (disbursed or repaying). */
  watch: 0 | 1
  /** 1 while reminders are due for it (disbursed, repaying or overdue). */
  remind: 0 | 1
  /** 1 while its payout waits for the lender's gateway (disbursing): the payout job looks at it. */
  payout?: 0 | 1
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
    payout: loan.state === 'disbursing' ? 1 : 0,
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

/**
 * A journal entry as stored. It names the loan, never the person: the books are the lender's and
 * never change, so a person's deletion leaves them whole and takes nothing of theirs with them.
 */
export type JournalDoc = JournalEntry

export type AuditAction =
  'apply' | 'approve' | 'review' | 'refuse' | 'disburse' | 'payout' | 'cancel' | 'repay' | 'overdue'

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

/** The caller's own loan; anyone else's is indistinguishable from none (ids cannot be probed). */
export async function ownLoan(ports: Ports, openid: string, loanId: string): Promise<Doc<LoanDoc> | null> {
  const doc = await ports.store.get<LoanDoc>(COLLECTIONS.loans, loanId)
  return doc && doc.data.openid === openid ? doc : null
}
