// 人工审核 with four eyes (Fineract's maker-checker): a first reviewer's decision is a proposal; a
// different reviewer confirms it, and only then does anything change — a line opens or is refused,
// a drawdown is paid out or refused and its reservation given back — in one transaction with the
// case, so of two confirmations sent together exactly one decides. Nobody reviews a case about
// their own borrower account.
import { fail, ok, type ApiResult } from '../../../src/api'
import type { ConsoleInput, Proposal, ReviewDetail, ReviewSummary } from '../../../src/api/console'
import { PRODUCT_NAMES } from '../../../src/domain/catalog'
import { transition as lineTransition } from '../../../src/domain/line'
import { isReasonCode, reason } from '../../../src/domain/reasons'
import type { Doc, Ports } from '../../ports'
import { COLLECTIONS } from '../../schema'
import type { ReviewCaseDoc } from '../explain'
import { lineId, notifyBorrower, writeLine, type LineDoc } from '../lines'
import type { LoanDoc } from '../loans/docs'
import { countFunnel } from '../funnel'
import { applyLoanEvent } from '../loans/lifecycle'
import { startPayout } from '../payouts'
import type { MessageDoc } from '../reminders'
import { loadUser } from '../users'
import { historyOf } from './borrowers'
import { maskOpenid } from './mask'
import type { OperatorCaller } from './operators'

/** Why the rules sent a case to a person, in the reviewer's words. */
const CASE_REASONS: Record<string, string> = {
  'risk.thinFile': '征信记录较短（信用历史不足规则要求的月数）：开通转人工审核',
  'risk.manualReview': '单笔借款超过人工审核金额（5 万元）：转人工审核',
  'risk.deviceFace': '新设备或异地登录：通过后仍须借款人再次人脸核身才放款',
}

const CASE_STATES = ['waiting', 'approved', 'refused', 'expired'] as const

const summary = (d: Doc<ReviewCaseDoc>, now: number): ReviewSummary => ({
  caseId: d.id,
  kind: d.data.kind,
  product: d.data.product,
  state: d.data.state,
  borrower: maskOpenid(d.data.openid),
  amountFen: d.data.amountFen ?? null,
  requestedAt: d.data.requestedAt,
  expiresAt: d.data.expiresAt,
  ageMs: Math.max(0, (d.data.decidedAt ?? now) - d.data.requestedAt),
  proposal: d.data.proposal ?? null,
})

/** The queue: waiting cases oldest first; or the decided ones, newest first. */
export async function list(
  ports: Ports,
  _caller: OperatorCaller,
  input: ConsoleInput<'reviews.list'>,
): Promise<ApiResult<ReviewSummary[]>> {
  const now = ports.clock.now()
  if ((input.state ?? 'waiting') === 'waiting') {
    const docs = await ports.store.query<ReviewCaseDoc>(COLLECTIONS.reviewCases, {
      index: 'byState',
      eq: 'waiting',
      limit: 200,
    })
    return ok(docs.map((d) => summary(d, now)))
  }
  const decided = await Promise.all(
    CASE_STATES.filter((s) => s !== 'waiting').map((state) =>
      ports.store.query<ReviewCaseDoc>(COLLECTIONS.reviewCases, {
        index: 'byState',
        eq: state,
        order: 'desc',
        limit: 100,
      }),
    ),
  )
  return ok(
    decided
      .flat()
      .sort((a, b) => b.data.requestedAt - a.data.requestedAt)
      .slice(0, 100)
      .map((d) => summary(d, now)),
  )
}

export async function get(
  ports: Ports,
  _caller: OperatorCaller,
  input: ConsoleInput<'reviews.get'>,
): Promise<ApiResult<ReviewDetail>> {
  const doc = await ports.store.get<ReviewCaseDoc>(COLLECTIONS.reviewCases, input.caseId)
  return doc ? ok(await detail(ports, doc)) : fail('NOT_FOUND', { field: 'caseId' })
}

async function detail(ports: Ports, d: Doc<ReviewCaseDoc>): Promise<ReviewDetail> {
  const now = ports.clock.now()
  const [user, history] = await Promise.all([
    loadUser(ports.store, d.data.openid).then((u) => u?.data),
    historyOf(ports, d.data.openid, 20),
  ])
  return {
    ...summary(d, now),
    note: d.data.note,
    evaluation: {
      ruleSetVersion: d.data.decision.ruleSetVersion,
      score: d.data.decision.score,
      reasons: d.data.decision.reasons.map((code) => ({
        code,
        title: CASE_REASONS[code] ?? (isReasonCode(code) ? reason(code).title : code),
      })),
    },
    profile: {
      name: user?.identity?.nameMasked ?? '（未实名）',
      idNumber: user?.identity?.idMasked ?? '',
      mobile: user?.identity?.mobileMasked ?? '',
      verifiedAt: user?.identity?.verifiedAt ?? null,
      entryMerchant: user?.entryMerchant ?? null,
    },
    history,
    decidedAt: d.data.decidedAt,
    outcome: d.data.outcome,
    confirmedBy: d.data.confirmedBy ?? null,
  }
}

/**
 * A reviewer's decision: the first is a proposal; a second, different reviewer who agrees confirms
 * it and the decision takes effect; one who disagrees makes theirs the proposal, for a third (or the
 * first) to confirm.
 */
export async function decide(
  ports: Ports,
  caller: OperatorCaller,
  input: ConsoleInput<'reviews.decide'>,
): Promise<ApiResult<ReviewDetail>> {
  const now = ports.clock.now()
  const doc = await ports.store.get<ReviewCaseDoc>(COLLECTIONS.reviewCases, input.caseId)
  if (!doc) return fail('NOT_FOUND', { field: 'caseId' })
  if (caller.borrowerOpenid !== null && caller.borrowerOpenid === doc.data.openid) return fail('OWN_CASE')
  if (doc.data.state !== 'waiting') return fail('CASE_CLOSED')
  // Past its 7 days it is over, whether or not the review job has been round yet.
  if (now >= doc.data.expiresAt) return closeStale(ports, doc.id)
  const mine: Proposal = { by: caller.username, decision: input.decision, reason: input.reason, at: now }
  const proposal = doc.data.proposal ?? null
  if (proposal && proposal.by === caller.username) return fail('FOUR_EYES_REQUIRED')
  if (!proposal || proposal.decision !== input.decision) {
    const proposed = await ports.store.update<ReviewCaseDoc>(COLLECTIONS.reviewCases, doc.id, doc.version, {
      ...doc.data,
      proposal: mine,
      trail: [...(doc.data.trail ?? []), { ...mine, step: 'propose' }],
    })
    if (!proposed.ok) return fail('CONFLICT')
    return ok(await detail(ports, proposed.doc))
  }
  // Confirmed: the case and what it decides, in one transaction.
  const approve = input.decision === 'approve'
  const outcome = `${approve ? '审核通过' : '审核未通过'}：${proposal.reason}（${proposal.by} 提出，${caller.username} 确认）`
  const done = await decideInTx(() =>
    ports.store.transact(async (tx) => {
      const current = await tx.get<ReviewCaseDoc>(COLLECTIONS.reviewCases, doc.id)
      if (!current || current.data.state !== 'waiting') return 'closed' as const
      if (current.data.proposal?.by !== proposal.by || current.data.proposal.decision !== input.decision)
        return 'changed' as const
      const c = current.data
      let effect: 'payout' | 'held' | 'line' | 'none' = 'none'
      if (c.kind === 'line') {
        const line = await tx.get<LineDoc>(COLLECTIONS.lines, c.subjectId ?? lineId(c.openid, c.product))
        if (!line || line.data.line.state !== 'review') return 'stale' as const
        const p = line.data.proposal
        // Approval opens the line at what the rules proposed: without a proposal there is nothing to approve.
        if (approve && !p) return 'stale' as const
        const t =
          approve && p
            ? lineTransition(
                line.data.line,
                { type: 'APPROVE', limitFen: p.limitFen, dailyRatePpm: p.dailyRatePpm },
                now,
              )
            : lineTransition(line.data.line, { type: 'REFUSE', reasons: [`人工审核：${proposal.reason}`] }, now)
        if (!t.ok) return 'stale' as const
        await writeLine(tx, line.id, line, { ...line.data, line: t.line, proposal: null })
        effect = 'line'
      } else if (c.kind === 'drawdown') {
        const loanId = c.subjectId ?? ''
        const loan = await tx.get<LoanDoc>(COLLECTIONS.loans, loanId)
        if (!loan || loan.data.loan.state !== 'review') return 'stale' as const
        if (approve) {
          // Money goes out only from a line that can still lend: frozen (an installment overdue) or
          // no longer open, the approval waits — the case stays open for a refusal or a later look.
          const line = loan.data.lineId ? await tx.get<LineDoc>(COLLECTIONS.lines, loan.data.lineId) : null
          if (line && line.data.line.state === 'frozen') return 'frozen' as const
          if (line && line.data.line.state !== 'active') return 'no-line' as const
          const a = await applyLoanEvent(ports, tx, c.openid, loanId, { type: 'APPROVE' }, now)
          if (!a?.ok) return 'stale' as const
          // A drawdown that needed face again (a new device, a distant sign-in) is approved and held:
          // the borrower's own fresh face verification releases it, as without a review.
          if (c.faceBeforePayout) effect = 'held'
          else {
            const d = await applyLoanEvent(ports, tx, c.openid, loanId, { type: 'DISBURSE' }, now)
            // The approval is written already in this transaction: throwing rolls it back with the rest.
            if (!d?.ok) throw new StaleCase()
            effect = 'payout'
          }
        } else {
          const r = await applyLoanEvent(
            ports,
            tx,
            c.openid,
            loanId,
            { type: 'REFUSE', reasons: ['REVIEW_REFUSED'] },
            now,
          )
          if (!r?.ok) return 'stale' as const
        }
      }
      await tx.update<ReviewCaseDoc>(COLLECTIONS.reviewCases, current.id, current.version, {
        ...c,
        state: approve ? 'approved' : 'refused',
        decidedAt: now,
        outcome,
        confirmedBy: caller.username,
        trail: [...(c.trail ?? []), { ...mine, step: 'confirm' }],
      })
      return effect
    }),
  )
  if (done === 'closed') return fail('CASE_CLOSED')
  if (done === 'changed') return fail('CONFLICT', { message: '另一位审核员刚刚改变了这条审核意见：请刷新后再看。' })
  if (done === 'stale') return closeStale(ports, doc.id)
  if (done === 'frozen')
    return fail('LINE_FROZEN', {
      message: '借款人的额度已冻结（有逾期未还）：现在不能放款，可以拒绝，或待额度恢复后再确认。',
    })
  if (done === 'no-line')
    return fail('NO_ACTIVE_LINE', { message: '借款人的额度已不在有效期内：不能放款，请拒绝该借款。' })
  const c = doc.data
  if (done === 'payout') {
    await startPayout(ports, c.openid, c.subjectId ?? '')
    await countFunnel(ports, c.openid, 'firstDrawdown')
  }
  if (done === 'line') {
    await notifyBorrower(ports, c.openid, c.product, approve ? 'REVIEW_APPROVED' : 'REVIEW_REFUSED', now)
    if (approve) await countFunnel(ports, c.openid, 'lineOpened')
  } else await tellBorrower(ports, doc.id, c, approve, proposal.reason, done === 'held', now)
  const after = await ports.store.get<ReviewCaseDoc>(COLLECTIONS.reviewCases, doc.id)
  return ok(await detail(ports, after!))
}

/** A decision that cannot be completed after part of it was written: thrown, so its transaction writes nothing. */
class StaleCase extends Error {}

async function decideInTx<R>(run: () => Promise<R>): Promise<R | 'stale'> {
  try {
    return await run()
  } catch (error) {
    if (error instanceof StaleCase) return 'stale'
    throw error
  }
}

/** The line or loan the case was about is no longer in review (expired, cancelled): the case ends with it. */
async function closeStale(ports: Ports, caseId: string): Promise<ApiResult<ReviewDetail>> {
  const doc = await ports.store.get<ReviewCaseDoc>(COLLECTIONS.reviewCases, caseId)
  if (doc && doc.data.state === 'waiting')
    await ports.store.update<ReviewCaseDoc>(COLLECTIONS.reviewCases, caseId, doc.version, {
      ...doc.data,
      state: 'expired',
      decidedAt: ports.clock.now(),
      outcome: '审核对象已不在审核中（已过期或已取消），案件随之结束。',
    })
  return fail('CASE_CLOSED')
}

/** The borrower's message for a drawdown or a requested review, decided. */
async function tellBorrower(
  ports: Ports,
  caseId: string,
  c: ReviewCaseDoc,
  approved: boolean,
  why: string,
  held: boolean,
  now: number,
): Promise<void> {
  const what = c.kind === 'drawdown' ? '借款' : '人工复核'
  const body =
    c.kind === 'drawdown'
      ? approved
        ? held
          ? '人工审核已通过。检测到新设备或异地登录：请在借款详情页再次完成人脸核身，通过后即放款。'
          : '人工审核已通过，借款正在放款到你绑定的银行卡。'
        : `人工审核未通过：${why}。预留的额度已退回，可以调整金额后再借。`
      : approved
        ? `人工复核认为这次自动拒绝应当重新评估：${why}。复核本身不开通额度：请补充或更新信息后重新预审、开通；结果仍相同时可联系客服。`
        : `人工复核维持原来的决定：${why}。`
  await ports.store.insert<MessageDoc>(COLLECTIONS.messages, `review:${caseId}:decided`, {
    openid: c.openid,
    loanId: c.kind === 'drawdown' ? (c.subjectId ?? '') : '',
    kind: `review:${approved ? 'APPROVED' : 'REFUSED'}`,
    title: `${PRODUCT_NAMES[c.product]}：${what}${approved ? '已通过' : '未通过'}`,
    body,
    at: now,
    read: false,
  })
}
