// The person's rights over their data (PIPL): see what is held, export it, and delete it —
// except what open loans legally need, which is kept and named with the reason.
import { profileDocId } from './published'
import { fail, ok, type ApiResult, type ConsentView, type DeleteResult, type Purpose } from '../../src/api'
import { isClosed } from '../../src/domain/loan'
import type { Doc, Ports, Store } from '../ports'
import type { LoanDoc } from './loans/index'
import type { CreditConsentRecord } from './credit-consents'
import { view, type ReceiptDoc } from './loans/index'
import { receiptView } from './loans/records'
import type { ConsentDoc } from './onboarding'
import type { FaceSessionDoc } from './verification'
import { COLLECTIONS } from '../schema'
import { paymentView, type PaymentDoc } from './payments'
import { changeUser, loadUser, payScoreOf } from './users'
import { lineHistory, lineView, type LineChangeDoc, type LineDoc } from './lines'
import { requireUser } from './guard'
import { pseudonymise, RETAINED } from './retention'
import { contractsOf, contractView } from './contracts'

/** A drawdown began while the account was being deleted: its loan needs the account. */
const LOAN_STARTED = '刚刚有一笔借款正在处理：删除已停止，借款所需的记录都还在。请在借款结清后再删除。'

/** Why a deleted account's loan records stay, and for how long. */
const RETENTION_WHY = (years: number) =>
  `出借机构须在借款结清后保存合同与交易记录 ${years} 年（《个人信息保护法》第十九条、金融监管的档案保存要求）；期满后由系统自动删除。你不能删除这些记录，出借机构也不会再用于营销或新的审批。`

async function all<T>(store: Store, collection: string, index: string, openid: string): Promise<Doc<T>[]> {
  return store.query<T>(collection, { index, eq: openid, limit: 1000 })
}

export async function consents(ports: Ports, openid: string): Promise<ApiResult<ConsentView[]>> {
  const [agreements, credit, lines] = await Promise.all([
    all<ConsentDoc>(ports.store, COLLECTIONS.consents, 'byOpenid', openid),
    all<CreditConsentRecord>(ports.store, COLLECTIONS.creditConsents, 'byOpenid', openid),
    all<LineDoc>(ports.store, COLLECTIONS.lines, 'byOpenid', openid),
  ])
  // Automatic debit: each time it was turned on or off, from its line's history (kept, never deleted).
  const debits: ConsentView[] = []
  for (const l of lines)
    for (const c of await lineHistory(ports.store, l.id))
      if (c.reason === 'AUTO_DEBIT_ON' || c.reason === 'AUTO_DEBIT_OFF')
        debits.push({ kind: 'autoDebit', product: l.data.line.product, at: c.at, on: c.reason === 'AUTO_DEBIT_ON' })
  return ok(
    [
      ...debits,
      // Automatic debit's withdrawals are in its line history (above); every other one is its own record.
      ...agreements
        .filter((c) => c.data.kind !== 'autoDebit')
        .map((c) => ({
          kind: c.data.kind as Exclude<ConsentDoc['kind'], 'autoDebit'>,
          ...(c.data.withdrawn ? { withdrawn: true } : { version: c.data.version }),
          at: c.data.acceptedAt,
        })),
      ...credit.map((c) => ({
        kind: 'creditQuery' as const,
        product: c.data.product,
        purpose: c.data.purpose as Purpose | 'credit-line',
        at: c.data.at,
        usedBy: c.data.usedBy,
      })),
    ].sort((a, b) => a.at - b.at),
  )
}

/** Everything held about the caller, as shown to them: masked forms, never hashes or secrets. */
export async function exportData(ports: Ports, openid: string): Promise<ApiResult<Record<string, unknown>>> {
  const now = ports.clock.now()
  const caller = await requireUser(ports, openid, { agreements: false })
  if (!caller.ok) return caller
  const u = caller.data.doc?.data
  const [loans, receipts, payments, audit, consentList, messages, lines] = await Promise.all([
    all<LoanDoc>(ports.store, COLLECTIONS.loans, 'byOpenid', openid),
    all<ReceiptDoc>(ports.store, COLLECTIONS.receipts, 'byOpenid', openid),
    all<PaymentDoc>(ports.store, COLLECTIONS.payments, 'byOpenid', openid),
    all<Record<string, unknown>>(ports.store, COLLECTIONS.audit, 'byOpenid', openid),
    consents(ports, openid),
    all<Record<string, unknown>>(ports.store, COLLECTIONS.messages, 'byOpenid', openid),
    all<LineDoc>(ports.store, COLLECTIONS.lines, 'byOpenid', openid),
  ])
  return ok({
    exportedAt: now,
    identity: u?.identity
      ? {
          name: u.identity.nameMasked,
          idNumber: u.identity.idMasked,
          mobile: u.identity.mobileMasked,
          birthYear: u.identity.birthYear,
          verifiedAt: u.identity.verifiedAt,
        }
      : null,
    agreements: u?.agreements ?? {},
    cards: (u?.cards ?? []).map(({ bank, last4, boundAt }) => ({ bank, last4, boundAt })),
    payScore: u ? payScoreOf(u) : null,
    face: u?.face ?? null,
    entryMerchant: u?.entryMerchant ?? null,
    consents: consentList.ok ? consentList.data : [],
    loans: loans.map((l) => ({ ...view(l.data.loan, now), purpose: l.data.purpose, merchant: l.data.merchant })),
    receipts: receipts.map((r) => receiptView(ports, r.id, r.data)),
    payments: payments.map((p) => ({ ...paymentView(p.data, now), request: undefined })),
    audit: audit.map((a) => ({ ...a.data, openid: undefined })),
    messages: messages.map((m) => ({ id: m.id, ...m.data, openid: undefined })),
    lines: await Promise.all(
      lines.map(async (l) => ({ ...lineView(l.data), history: await lineHistory(ports.store, l.id) })),
    ),
    // The signed contracts in full, each with the server-signed record that checks it.
    contracts: (await contractsOf(ports, openid)).map((d) => contractView(ports, d)),
  })
}

/**
 * Deletes the caller's data. With an open loan, what that loan legally needs stays — the
 * verified identity, the repayment card, the loan, its receipts and audit entries and the
 * credit-query consents behind it — and the answer says so.
 */
export async function deleteData(ports: Ports, openid: string): Promise<ApiResult<DeleteResult>> {
  const store = ports.store
  const loans = await all<LoanDoc>(store, COLLECTIONS.loans, 'byOpenid', openid)
  // Applied, in review, approved or in repayment: the loan still needs its records.
  const open = loans.filter((l) => !isClosed(l.data.loan.state))
  // Money in flight (a payment not yet confirmed, or money still owed back): nothing is deleted
  // until it has landed, so that it is applied or refunded to the person it came from.
  const payments = await all<PaymentDoc>(store, COLLECTIONS.payments, 'byOpenid', openid)
  if (payments.some((p) => p.data.watch !== 0))
    return fail('PAYMENT_PENDING', {
      message: '还有一笔付款正在确认或退款中：完成后（最多约 2 小时）再删除，以免款项无法入账或退回。',
    })
  const deleted: Record<string, number> = {}
  const remove = async (collection: string, docs: Array<Doc<unknown>>) => {
    for (const d of docs)
      if (await store.remove(collection, d.id, d.version)) deleted[collection] = (deleted[collection] ?? 0) + 1
  }
  // The lender's books stay whatever happens: they name loans, never the person, and are not changed.
  const kept: DeleteResult['kept'] = [
    {
      what: '放款与还款的记账分录（只有借款编号、金额和时间，不含您的姓名、证件或联系方式）',
      why: '出借机构的会计账簿依法保存（会计档案保管期限 30 年），不能删改；其中没有能识别您的信息。',
      until: null,
    },
  ]
  await remove(COLLECTIONS.events, await all(store, COLLECTIONS.events, 'byOpenid', openid))
  // The profile kept for simulating rule drafts goes too.
  const profileKept = await store.get(COLLECTIONS.decisionProfiles, profileDocId(ports, openid))
  if (profileKept) await remove(COLLECTIONS.decisionProfiles, [profileKept])
  // A loan held for face verification needs the pass from a session started after it: those stay.
  const heldSince = Math.min(...open.map((l) => l.data.loan.appliedAt))
  const sessions = await all<FaceSessionDoc>(store, COLLECTIONS.faceSessions, 'byOpenid', openid)
  await remove(
    COLLECTIONS.faceSessions,
    sessions.filter((s) => s.data.startedAt <= heldSince),
  )
  await remove(COLLECTIONS.requests, await all(store, COLLECTIONS.requests, 'byOpenid', openid))
  await remove(COLLECTIONS.reviewCases, await all(store, COLLECTIONS.reviewCases, 'byOpenid', openid))
  // The message center goes in every case; the reminder claims (one per loan, due date and kind,
  // so nothing is sent twice) stay while a loan is open.
  await remove(COLLECTIONS.messages, await all(store, COLLECTIONS.messages, 'byOpenid', openid))
  if (open.length === 0) {
    await remove(COLLECTIONS.reminders, await all(store, COLLECTIONS.reminders, 'byOpenid', openid))
    // The lines first, each only while nothing is drawn on it or being opened: a drawdown at the
    // same moment either landed first (then this stops, and the loan keeps everything it needs) or
    // finds no line. The transaction on the line is what keeps the two apart.
    const lines = await all<LineDoc>(store, COLLECTIONS.lines, 'byOpenid', openid)
    for (const l of lines) {
      const gone = await store.transact(async (tx) => {
        const current = await tx.get<LineDoc>(COLLECTIONS.lines, l.id)
        if (!current) return true
        if (current.data.line.inUseFen > 0 || current.data.openingWith) return false
        return tx.remove(COLLECTIONS.lines, l.id, current.version)
      })
      if (!gone) return fail('CONFLICT', { message: LOAN_STARTED })
      deleted[COLLECTIONS.lines] = (deleted[COLLECTIONS.lines] ?? 0) + 1
    }
    const since = await all<LoanDoc>(store, COLLECTIONS.loans, 'byOpenid', openid)
    if (since.some((l) => !isClosed(l.data.loan.state))) return fail('CONFLICT', { message: LOAN_STARTED })
    // Each line's history, a page at a time until none is left — its automatic-debit consents kept
    // first in the consent log (a consent's record is never deleted with its line).
    for (const l of lines)
      for (;;) {
        const page = await store.query<LineChangeDoc>(COLLECTIONS.lineChanges, {
          index: 'byLine',
          eq: l.id,
          gte: 0,
          limit: 1000,
        })
        if (page.length === 0) break
        for (const c of page)
          if (c.data.reason === 'AUTO_DEBIT_ON' || c.data.reason === 'AUTO_DEBIT_OFF')
            await store.insert<ConsentDoc>(COLLECTIONS.consents, `${openid}:autoDebit:${c.id}`, {
              openid,
              kind: 'autoDebit',
              version: l.data.line.product,
              acceptedAt: c.data.at,
              ...(c.data.reason === 'AUTO_DEBIT_OFF' ? { withdrawn: true as const } : {}),
            })
        await remove(COLLECTIONS.lineChanges, page)
      }
    // What the law keeps goes to a pseudonym for the retention period; the identity goes now.
    const closedAt = loans.map((l) => l.data.loan.closedAt ?? 0).filter((t) => t > 0)
    const retained = await pseudonymise(ports, openid, closedAt.length > 0 ? Math.max(...closedAt) : null)
    // One entry for all of it: what, how many of each, why, and the day it goes.
    if (retained)
      kept.push({
        what: `${RETAINED.filter(({ collection }) => retained.counts[collection])
          .map(({ collection, what }) => `${what} ${retained.counts[collection]} 条`)
          .join('；')}。均已去标识化：不再与你的微信账号关联，不含身份证号和手机号。`,
        why: RETENTION_WHY(ports.settings.retentionYears),
        until: retained.until,
      })
    const user = await loadUser(store, openid)
    if (user) await remove(COLLECTIONS.users, [user])
  } else {
    const ids = open.map((l) => l.id).join(', ')
    kept.push(
      {
        what: `未结清借款 ${ids} 及其合同、电子凭证、付款记录、审计记录（已结清的借款记录一并保留）`,
        why: `借款存续期间依法须保留合同与交易记录；结清后可再次申请删除，届时去标识化保存 ${ports.settings.retentionYears} 年后删除。`,
        until: null,
      },
      {
        what: '实名信息（姓名和身份证号加密保存，另有脱敏形式与加密摘要）与还款银行卡（尾号）',
        why: '用于存续借款的还款与身份核验。',
        until: null,
      },
      { what: '征信查询授权记录', why: '每次征信查询的授权须与查询记录一同保存。', until: null },
      { what: '额度及额度记录', why: '存续借款占用额度；结清后随账户一并删除。', until: null },
      {
        what: '申请之后的人脸核身记录（只有结果与时间，不含图像）',
        why: '需要再次核身的借款，放款前要用申请之后的核身结果。',
        until: null,
      },
    )
    // Everything else on the user record goes; identity and cards stay for the open loans.
    // Compare-and-set, retried: a concurrent write (an application reserving the line) is kept.
    const existing = await loadUser(store, openid)
    const trimmed = await changeUser(store, openid, ports.clock.now(), (u) =>
      // Only the document that was there: never create one while deleting.
      !existing || u.createdAt !== existing.data.createdAt
        ? { stop: false }
        : {
            write: {
              openid: u.openid,
              createdAt: u.createdAt,
              identity: u.identity,
              cards: u.cards,
              card: u.card,
              agreements: {},
              entryMerchant: null,
            },
            result: true,
          },
    )
    if (trimmed.ok && trimmed.result) deleted.userFields = 1
  }
  ports.log.info('account_deleted', { openids: 1, kept: kept.length })
  return ok({ deleted, kept })
}
