// WeChat Pay score (微信支付分), as a lender can honestly know it. WeChat Pay never tells a merchant
// the score or why a person failed: it reports only whether the person has authorized the
// merchant's pay-score service. Whether the person meets a threshold (≥ 600 for WE2000 and
// 小鹅花钱) is the lender's own assessment, asked of the lender's gateway. The two are kept apart
// so that "authorized" is never read as "score ≥ 600".

/**
 * WeChat Pay's authorization_state for our service, plus NONE for its 404 ORDER_NOT_EXIST — the
 * normal answer for a person who never authorized (its FAQ says so), not an error.
 * - AVAILABLE: authorized. It does NOT mean the score reaches any threshold.
 * - UNAVAILABLE: authorized once, then withdrawn (its FAQ: "用户授权过后解除授权…UNAVAILABLE").
 * - UNBINDUSER: pre-authorization only (商户预授权, "仅完成预授权"), never completed in WeChat Pay's page.
 * - NONE: never authorized.
 */
export type PayScoreAuthorization = 'AVAILABLE' | 'UNAVAILABLE' | 'UNBINDUSER' | 'NONE'

/** What was learnt when last asked: WeChat Pay's authorization, and the assessment (null: not asked, or no answer). */
export interface PayScoreReading {
  authorization: PayScoreAuthorization
  meetsThreshold: boolean | null
}

/** What the rules see: the authorization and the lender's assessment, together. */
export type PayScoreStanding =
  /** Authorized, and the lender's assessment says the threshold is met. */
  | 'MEETS_THRESHOLD'
  /** Authorized, and the assessment says it is not. */
  | 'BELOW_THRESHOLD'
  /** Not authorized (never, withdrawn, or not completed): nothing can be assessed. */
  | 'NOT_AUTHORIZED'
  /** WeChat Pay or the lender's gateway did not answer: not known now, ask again later. */
  | 'UNCONFIRMED'
export const PAY_SCORE_STANDINGS: PayScoreStanding[] = [
  'MEETS_THRESHOLD',
  'BELOW_THRESHOLD',
  'NOT_AUTHORIZED',
  'UNCONFIRMED',
]

/** The standing from WeChat Pay's authorization and the lender's assessment (null: not asked, or no answer). */
export function payScoreStanding(
  authorization: PayScoreAuthorization | null,
  meetsThreshold: boolean | null,
): PayScoreStanding {
  if (authorization === null) return 'UNCONFIRMED'
  if (authorization !== 'AVAILABLE') return 'NOT_AUTHORIZED'
  if (meetsThreshold === null) return 'UNCONFIRMED'
  return meetsThreshold ? 'MEETS_THRESHOLD' : 'BELOW_THRESHOLD'
}
