// The review queue's cases for what the rules send to a person: a line's opening and a drawdown
// over the manual-review amount. Each is written in the transaction that sends it to review, so a
// line or loan in review always has its case (the console decides it; the line job expires it).
import type { ProductId } from '../../src/domain/catalog'
import { REVIEW_TTL_MS } from '../../src/domain/line'
import type { Ports, StoreTx } from '../ports'
import { COLLECTIONS } from '../schema'
import type { ReviewCaseDoc } from './explain'

export const reviewCaseIdFor = (ports: Ports, key: string) =>
  `C_${ports.secrets.keyedHash('review-subject', key).slice(0, 24)}`

export async function openReviewCase(
  ports: Ports,
  tx: StoreTx,
  c: {
    openid: string
    product: ProductId
    kind: 'line' | 'drawdown'
    subjectId: string
    /** What names this review once (a line's opening: the line and its consent; a drawdown: its loan). */
    key: string
    amountFen: number
    ruleSetVersion: string
    score: number | null
    reasons: string[]
    /** A drawdown that needs face again before its payout (new device, distant sign-in). */
    faceBeforePayout?: boolean
    now: number
  },
): Promise<void> {
  const doc: ReviewCaseDoc = {
    openid: c.openid,
    product: c.product,
    kind: c.kind,
    subjectId: c.subjectId,
    amountFen: c.amountFen,
    state: 'waiting',
    note: '',
    requestedAt: c.now,
    expiresAt: c.now + REVIEW_TTL_MS,
    decidedAt: null,
    outcome: null,
    decision: { ruleSetVersion: c.ruleSetVersion, score: c.score ?? 0, reasons: c.reasons },
    proposal: null,
    trail: [],
    confirmedBy: null,
    ...(c.faceBeforePayout ? { faceBeforePayout: true } : {}),
  }
  await tx.create<ReviewCaseDoc>(COLLECTIONS.reviewCases, reviewCaseIdFor(ports, c.key), doc)
}
