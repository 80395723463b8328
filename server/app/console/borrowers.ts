// 借款与用户: find a borrower (masked) by openid, by the last four digits of the mobile, or by a
// loan id; and a loan's whole timeline — its steps, payments, journal entries, receipts, reminders
// and contracts — in time order.
import { fail, ok, type ApiResult } from '../../../src/api'
import type { BorrowerHit, ConsoleInput, LoanTimeline, TimelineItem } from '../../../src/api/console'
import { ACCOUNTS, type JournalEntry } from '../../../src/domain/journal'
import type { Doc, Ports } from '../../ports'
import { COLLECTIONS } from '../../schema'
import type { ContractDoc } from '../contracts'
import type { LineDoc } from '../lines'
import type { AuditDoc, LoanDoc, ReceiptDoc } from '../loans/docs'
import type { PaymentDoc } from '../payments'
import type { ReminderClaim } from '../reminders'
import { loadUser, type UserDoc } from '../users'
import { maskOpenid } from './mask'
import type { OperatorCaller } from './operators'

const yuan = (fen: number) => `¥${(fen / 100).toFixed(2)}`

export async function search(
  ports: Ports,
  _caller: OperatorCaller,
  input: ConsoleInput<'borrowers.search'>,
): Promise<ApiResult<BorrowerHit[]>> {
  const q = input.query
  const openids = new Set<string>()
  if (/^\d{4}$/.test(q)) {
    const users = await ports.store.query<UserDoc>(COLLECTIONS.users, { index: 'byMobileLast4', eq: q, limit: 50 })
    for (const u of users) openids.add(u.id)
  } else {
    const loan = await ports.store.get<LoanDoc>(COLLECTIONS.loans, q)
    if (loan) openids.add(loan.data.openid)
    else if (await loadUser(ports.store, q)) openids.add(q)
  }
  const hits = await Promise.all([...openids].map((openid) => hitOf(ports, openid)))
  return ok(hits)
}

/** A borrower's lines and newest loans, as operators see them (no identity in them). */
export async function historyOf(
  ports: Ports,
  openid: string,
  loans = 50,
): Promise<Pick<BorrowerHit, 'lines' | 'loans'>> {
  const [lineDocs, loanDocs] = await Promise.all([
    ports.store.query<LineDoc>(COLLECTIONS.lines, { index: 'byOpenid', eq: openid, limit: 20 }),
    ports.store.query<LoanDoc>(COLLECTIONS.loans, { index: 'byOpenid', eq: openid, order: 'desc', limit: loans }),
  ])
  return {
    lines: lineDocs.map(({ data: { line } }) => ({
      product: line.product,
      state: line.state,
      limitFen: line.limitFen,
      inUseFen: line.inUseFen,
    })),
    loans: loanDocs.map(({ id, data: { loan } }) => ({
      loanId: id,
      product: loan.product,
      state: loan.state,
      amountFen: loan.amountFen,
      appliedAt: loan.appliedAt,
    })),
  }
}

async function hitOf(ports: Ports, openid: string): Promise<BorrowerHit> {
  const [user, history] = await Promise.all([loadUser(ports.store, openid), historyOf(ports, openid)])
  const identity = user?.data.identity ?? null
  return {
    borrower: maskOpenid(openid),
    name: identity?.nameMasked ?? '（未实名）',
    mobile: identity?.mobileMasked ?? '',
    verified: identity !== null,
    entryMerchant: user?.data.entryMerchant ?? null,
    ...history,
  }
}

export async function timeline(
  ports: Ports,
  _caller: OperatorCaller,
  input: ConsoleInput<'loans.timeline'>,
): Promise<ApiResult<LoanTimeline>> {
  const doc = await ports.store.get<LoanDoc>(COLLECTIONS.loans, input.loanId)
  if (!doc) return fail('NOT_FOUND', { field: 'loanId' })
  const { openid, loan } = doc.data
  const ofLoan = <T extends { loanId?: string }>(docs: Array<Doc<T>>) =>
    docs.filter((d) => d.data.loanId === input.loanId)
  const [audit, payments, journal, receipts, reminders, contracts] = await Promise.all([
    ports.store.query<AuditDoc>(COLLECTIONS.audit, { index: 'byOpenid', eq: openid, limit: 1000 }).then(ofLoan),
    ports.store.query<PaymentDoc>(COLLECTIONS.payments, { index: 'byLoan', eq: input.loanId, limit: 500 }),
    ports.store.query<JournalEntry>(COLLECTIONS.journal, { index: 'byLoan', eq: input.loanId, limit: 1000 }),
    ports.store.query<ReceiptDoc>(COLLECTIONS.receipts, { index: 'byLoan', eq: input.loanId, limit: 500 }),
    ports.store
      .query<ReminderClaim>(COLLECTIONS.reminders, { index: 'byOpenid', eq: openid, limit: 1000 })
      .then(ofLoan),
    ports.store.query<ContractDoc>(COLLECTIONS.contracts, { index: 'byOpenid', eq: openid, limit: 200 }),
  ])
  const items: TimelineItem[] = [
    ...audit.map((a) => ({
      at: a.data.at,
      kind: 'event' as const,
      title: `${a.data.action} → ${a.data.state}`,
      detail: `${yuan(a.data.amountFen)}；规则 ${a.data.versions.ruleSet}，产品目录 ${a.data.versions.catalog}`,
    })),
    ...payments.map((p) => ({
      at: p.data.payment.createdAt,
      kind: 'payment' as const,
      title: `${p.data.payment.purpose}（${p.data.payment.channel ?? 'wechatPay'}）→ ${p.data.payment.state}`,
      detail: `${yuan(p.data.payment.amountFen)}，已收 ${yuan(p.data.payment.receivedFen)}${p.data.payment.failure ? `；${p.data.payment.failure}` : ''}`,
    })),
    ...journal.map((j) => ({
      at: j.data.at,
      kind: 'journal' as const,
      title: j.data.type,
      detail: j.data.postings
        .map((p) => `${p.side === 'debit' ? '借' : '贷'} ${ACCOUNTS[p.account].name} ${yuan(p.amountFen)}`)
        .join('；'),
    })),
    ...receipts.map((r) => ({
      at: r.data.at,
      kind: 'receipt' as const,
      title: `电子凭证：${r.data.kind}`,
      detail: `${r.id}，${yuan(r.data.amountFen)}`,
    })),
    ...reminders.map((r) => ({
      at: r.data.claimedAt,
      kind: 'reminder' as const,
      title: `提醒：${r.data.kind}（第 ${r.data.n} 期）`,
      detail: r.data.state === 'sent' ? '订阅消息已发送' : r.data.state === 'inbox' ? '已放入消息中心' : '发送中',
    })),
    ...contracts
      .filter((c) => c.data.record.subject === input.loanId)
      .map((c) => ({
        at: c.data.record.signedAt,
        kind: 'contract' as const,
        title: `已签署：${c.data.title}`,
        detail: `${c.data.record.templateVersion}，SHA-256 ${c.data.record.sha256.slice(0, 16)}…`,
      })),
  ].sort((a, b) => a.at - b.at)
  return ok({
    loanId: input.loanId,
    borrower: maskOpenid(openid),
    product: loan.product,
    state: loan.state,
    amountFen: loan.amountFen,
    items,
    journal: journal.map((j) => j.data),
  })
}
