// The pay score as the use cases read it: WeChat Pay's authorization, then — only for an authorized
// person — the lender's assessment against the rule set's threshold. Neither ever yields a score.
import type { PayScoreReading } from '../../src/domain/pay-score'
import { publishedRules } from './published'
import type { Ports, Subject } from '../ports'

/**
 * Asks WeChat Pay, then the assessment. WeChat Pay not answering throws; the assessment not
 * answering is null. The assessment is told whom by openid and keyed hash only: it needs no name
 * and no ID number.
 */
export async function readPayScore(
  ports: Ports,
  subject: Pick<Subject, 'openid' | 'idHash'>,
): Promise<PayScoreReading> {
  const authorization = await ports.payScore.authorization(subject.openid)
  if (authorization !== 'AVAILABLE') return { authorization, meetsThreshold: null }
  try {
    return {
      authorization,
      meetsThreshold: await ports.payScore.assess(
        { openid: subject.openid, idHash: subject.idHash },
        (await publishedRules(ports)).gates.payScoreThreshold,
      ),
    }
  } catch (error) {
    ports.log.warn('pay_score_assessment_failed', { error: error instanceof Error ? error.message : String(error) })
    return { authorization, meetsThreshold: null }
  }
}

/** The same for a decision that must not fail because of it: no answer is "unconfirmed" (null). */
export async function readPayScoreOrNull(
  ports: Ports,
  subject: Pick<Subject, 'openid' | 'idHash'>,
): Promise<PayScoreReading | null> {
  try {
    return await readPayScore(ports, subject)
  } catch (error) {
    ports.log.warn('pay_score_unavailable', { error: error instanceof Error ? error.message : String(error) })
    return null
  }
}
