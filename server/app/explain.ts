// Automated decisions explained, and a person's review on request (PIPL art. 24): credit.explain
// gives each dimension's score, weight and contribution and every rule evaluated, with its id,
// version and fix; credit.requestReview opens a review case for an automated refusal, which waits
// — visibly — for the console's reviewers and, like every review, ends by itself after 7 days.
import { fail, ok, type Explanation, type ReviewCaseView } from '../../src/api'
import type { Proposal, ReviewKind } from '../../src/api/console'
import { PRODUCT_NAMES, type ProductId } from '../../src/domain/catalog'
import { REVIEW_TTL_MS } from '../../src/domain/line'
import { reason, isReasonCode } from '../../src/domain/reasons'
import type { ProductDecision } from '../../src/domain/rules'
import { DIMENSIONS, type Dimension } from '../../src/domain/rule-set'
import { publishedRules } from './published'
import type { Doc, Ports } from '../ports'
import { COLLECTIONS } from '../schema'
import { softEvaluation } from './credit'
import { lineId, type LineDoc } from './lines'
import type { MessageDoc } from './reminders'
import type { UseCase } from './use-case'

export interface ReviewCaseDoc {
  openid: string
  product: ProductId
  /**
   * What the person is asked to look at: an automated refusal the borrower asked a person about,
   * a line the rules sent to a person, or a drawdown over the manual-review amount.
   */
  kind: ReviewKind
  /** The line (`<openid>:<product>`) or the loan the case decides; absent for a refusal. */
  subjectId?: string
  /** The drawdown's amount, or the limit the rules proposed for a line. */
  amountFen?: number | null
  /** A first reviewer's decision, waiting for a second reviewer to confirm it (four eyes). */
  proposal?: Proposal | null
  /** Every proposal and confirmation, in order. */
  trail?: Array<Proposal & { step: 'propose' | 'confirm' }>
  confirmedBy?: string | null
  /** A drawdown that needed face again before its payout: approved, it is held for the borrower's fresh face pass. */
  faceBeforePayout?: boolean
  state: ReviewCaseView['state']
  note: string
  requestedAt: number
  expiresAt: number
  decidedAt: number | null
  outcome: string | null
  /** The decision as it stood when the review was asked for: what the reviewer sees first. */
  decision: { ruleSetVersion: string; score: number; reasons: string[] }
}

const DIMENSION_NAMES: Record<Dimension, string> = {
  credit: '信用记录',
  activity: '账户活跃度',
  consumption: '消费情况',
  assets: '资产情况',
}

/** What each rule checks, in neutral words (its failure says why, with the fix, from its reason). */
const RULE_TITLES: Record<string, string> = {
  'identity.verified': '完成实名认证',
  'identity.age': '年龄在可借款的范围内',
  'card.ownDebit': '本人的借记卡验证通过',
  'invitation.whitelist': '获得该产品的邀请',
  'payscore.authorized': '授权微信支付分',
  'payscore.threshold': '微信支付分达到产品要求（只知是否达到，不知分数）',
  'face.verified': '人脸核身通过',
  'bureau.hardInquiries': '近期征信硬查询次数不超过上限',
  'activity.payments': '每月微信支付笔数达到要求',
  'score.minimum': '综合评分达到产品要求',
  'risk.debtRatio': '负债与收入之比在范围内（超过时不能提额）',
  'adjust.charity': '长期参与公益：综合分上调',
  'adjust.housingFund': '连续缴存公积金：利率优惠',
  'risk.manualReview': '大额借款转人工审核',
  'risk.deviceFace': '新设备或异地登录需再次人脸核身',
}

const view = (d: Doc<ReviewCaseDoc>): ReviewCaseView => ({
  caseId: d.id,
  product: d.data.product,
  state: d.data.state,
  note: d.data.note,
  requestedAt: d.data.requestedAt,
  expiresAt: d.data.expiresAt,
  decidedAt: d.data.decidedAt,
  outcome: d.data.outcome,
})

async function casesOf(ports: Ports, openid: string, product: ProductId): Promise<Array<Doc<ReviewCaseDoc>>> {
  const all = await ports.store.query<ReviewCaseDoc>(COLLECTIONS.reviewCases, {
    index: 'byOpenid',
    eq: openid,
    limit: 1000,
  })
  // The borrower's own requests: the line and drawdown reviews are the line's and the loan's to show.
  return all
    .filter((c) => c.data.product === product && c.data.kind === 'refusal')
    .sort((a, b) => a.data.requestedAt - b.data.requestedAt)
}

/** The product's decision on today's soft data (no hard inquiry), for the consented caller. */
async function decisionOf(ports: Ports, openid: string, product: ProductId, now: number) {
  const evaluated = await softEvaluation(ports, openid, now)
  if (!evaluated.ok) return evaluated
  return ok({ evaluation: evaluated.data, decision: evaluated.data.products.find((p) => p.product === product)! })
}

function rulesOf(d: ProductDecision): Explanation['rules'] {
  return d.rules.map((r) => {
    const why = r.code && isReasonCode(r.code) ? reason(r.code) : null
    return {
      id: r.id,
      version: r.version,
      passed: r.passed,
      title: RULE_TITLES[r.id] ?? why?.title ?? r.id,
      ...(r.passed || !why ? {} : { message: why.title, fix: why.fix }),
    }
  })
}

/** The caller's line of the product, if its opening was refused. */
async function refusedLineOf(ports: Ports, openid: string, product: ProductId): Promise<LineDoc | null> {
  const d = await ports.store.get<LineDoc>(COLLECTIONS.lines, lineId(openid, product))
  return d && d.data.openid === openid && d.data.line.state === 'refused' ? d.data : null
}

export const explain: UseCase<'credit', 'explain'> = async (ports, openid, input) => {
  const now = ports.clock.now()
  const decided = await decisionOf(ports, openid, input.product, now)
  if (!decided.ok) return decided
  const { evaluation, decision } = decided.data
  const rules = await publishedRules(ports)
  const cases = await casesOf(ports, openid, input.product)
  const refusedLine = await refusedLineOf(ports, openid, input.product)
  return ok<Explanation>({
    product: input.product,
    ruleSetVersion: evaluation.ruleSetVersion,
    catalogVersion: evaluation.catalogVersion,
    eligible: decision.eligible,
    score: decision.score,
    dimensions: DIMENSIONS.map((dimension) => ({
      dimension,
      name: DIMENSION_NAMES[dimension],
      score: decision.dimensions[dimension].score,
      weight: rules.weights[dimension],
      contribution: decision.dimensions[dimension].contribution,
    })),
    rules: rulesOf(decision),
    refused: !decision.eligible
      ? { by: 'evaluation', reasons: decision.reasons }
      : refusedLine
        ? { by: 'line', reasons: refusedLine.reasons }
        : null,
    review: cases.length > 0 ? view(cases[cases.length - 1]) : null,
    evaluatedAt: now,
  })
}

export const requestReview: UseCase<'credit', 'requestReview'> = async (ports, openid, input) => {
  const now = ports.clock.now()
  const decided = await decisionOf(ports, openid, input.product, now)
  if (!decided.ok) return decided
  const { evaluation, decision } = decided.data
  const refusedLine = await refusedLineOf(ports, openid, input.product)
  // Only a refusal is a person's to review: today's decision, or the line's opening.
  if (decision.eligible && !refusedLine) return fail('NOTHING_TO_REVIEW')
  const cases = await casesOf(ports, openid, input.product)
  if (cases.some((c) => c.data.state === 'waiting')) return fail('REVIEW_ALREADY_REQUESTED')
  // Numbered per product: two requests at once make the same id, and the second is refused as a repeat.
  const caseId = `R_${ports.secrets.keyedHash('review-case', `${openid}:${input.product}`).slice(0, 20)}_${cases.length + 1}`
  const doc: ReviewCaseDoc = {
    openid,
    product: input.product,
    kind: 'refusal',
    state: 'waiting',
    note: input.note.trim(),
    requestedAt: now,
    expiresAt: now + REVIEW_TTL_MS,
    decidedAt: null,
    outcome: null,
    decision: {
      ruleSetVersion: evaluation.ruleSetVersion,
      score: decision.score,
      reasons: (decision.eligible ? (refusedLine?.reasons ?? []) : decision.reasons).map((r) => r.code),
    },
  }
  const made = await ports.store.insert<ReviewCaseDoc>(COLLECTIONS.reviewCases, caseId, doc)
  if (!made.ok) return fail('REVIEW_ALREADY_REQUESTED')
  return ok(view(made.doc))
}

/** The review job (the timer runs it): a case nobody decided in 7 days ends, and the borrower is told. */
export async function expireReviewCases(ports: Ports, limit = 100): Promise<{ expired: number }> {
  const now = ports.clock.now()
  const due = await ports.store.query<ReviewCaseDoc>(COLLECTIONS.reviewCases, {
    index: 'byState',
    eq: 'waiting',
    lt: now - REVIEW_TTL_MS + 1,
    limit,
  })
  let expired = 0
  for (const c of due) {
    if (now < c.data.expiresAt) continue
    const outcome =
      c.data.kind === 'refusal'
        ? '7 天内未完成人工复核，原有的自动决定不变：可以改进后重新预审，或再次申请人工复核。'
        : '7 天内未完成人工审核：按拒绝处理（REVIEW_EXPIRED），预留的额度已退回。'
    const done = await ports.store.update<ReviewCaseDoc>(COLLECTIONS.reviewCases, c.id, c.version, {
      ...c.data,
      state: 'expired',
      decidedAt: now,
      outcome,
    })
    if (!done.ok) continue
    expired++
    // A line's or a drawdown's review: the line job refuses it and tells the borrower.
    if (c.data.kind !== 'refusal') continue
    await ports.store.insert<MessageDoc>(COLLECTIONS.messages, `review:${c.id}:expired`, {
      openid: c.data.openid,
      loanId: '',
      kind: 'review:REVIEW_EXPIRED',
      title: `${PRODUCT_NAMES[c.data.product]}：人工复核已结束`,
      body: outcome,
      at: now,
      read: false,
    })
  }
  return { expired }
}
