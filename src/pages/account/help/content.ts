// What the help page says, drawn from the domain's data (reasons, rule set, reminder plan,
// cooling-off) so the page cannot drift from what the rules actually do.
import { startingProfile, type CreditProfile } from '../../../domain/credit-profile'
import { DEFAULT_APR_CAP_PERCENT } from '../../../domain/pricing'
import { REASONS, type Reason, type ReasonCode } from '../../../domain/reasons'
import { QUIET_FROM_HOUR, QUIET_UNTIL_HOUR, SEND_HOUR } from '../../../domain/reminders'
import { evaluate, type Tip } from '../../../domain/rules'
import { DEFAULT_RULE_SET, type Dimension } from '../../../domain/rule-set'

/** Every reason code, in the order the domain lists them. */
export const ALL_REASONS: Reason[] = (Object.keys(REASONS) as ReasonCode[]).map((code) => ({
  code,
  title: REASONS[code].title,
  fix: REASONS[code].fix,
}))

/**
 * A person with none of the habits the tips ask for: the rules engine gives them every tip.
 * Asking the engine (not copying its texts) keeps the list and the effect periods in step with
 * the rule set.
 */
const STARTING_PROFILE: CreditProfile = startingProfile()

/** Every limit-growth tip (提额) with its expected effect period, without duplicates. */
export function growthTips(): Tip[] {
  // `now` only dates hard inquiries, and this profile has none.
  const evaluation = evaluate(STARTING_PROFILE, DEFAULT_RULE_SET, 0)
  const seen = new Map<string, Tip>()
  for (const p of evaluation.products) for (const t of p.tips) if (!seen.has(t.id)) seen.set(t.id, t)
  return [...seen.values()]
}

const adj = DEFAULT_RULE_SET.adjustments
const permilleText = (p: number) => String(p / 1000)

export const GROWTH_NOTES: string[] = [
  `医疗、教育类支付在消费维度中分别按 ${permilleText(adj.medicalWeightPermille)} 倍、${permilleText(adj.educationWeightPermille)} 倍计算。`,
  `在其他机构的授信超过年收入的 ${DEFAULT_RULE_SET.gates.maxDebtToIncomePermille / 1000} 倍时，额度提升会暂停，直到降低为止。`,
  '提额建议只是提高评分的方法，不保证一定提额；最终额度以每次评估结果为准。',
]

export const DIMENSION_TEXTS: Record<Dimension, { title: string; uses: string }> = {
  credit: {
    title: '征信记录',
    uses: `逾期记录、近${DEFAULT_RULE_SET.gates.hardInquiryWindowMonths}个月征信查询次数、负债（开通额度时经单独授权查询一次；借款不再硬查询）`,
  },
  activity: { title: '账户活跃', uses: '账户使用时长、红包次数、公益参与、小程序使用天数（只用汇总次数）' },
  consumption: { title: '消费特征', uses: '每月支付笔数、线下支付占比、商户类别数' },
  assets: { title: '资产证明', uses: '理财余额与持有时间、保险保费' },
}

export const DIMENSION_WEIGHTS = DEFAULT_RULE_SET.weights

export const REMINDER_TEXT = {
  when: `到期前3天、前1天、到期当天，以及逾期后第1、3、7天，在北京时间 ${SEND_HOUR}:00 左右提醒`,
  quiet: `${QUIET_FROM_HOUR}:00 至次日 ${String(QUIET_UNTIL_HOUR).padStart(2, '0')}:00 不发送任何提醒`,
}

export const APR_CAP_PERCENT = DEFAULT_APR_CAP_PERCENT
