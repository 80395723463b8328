// Why opening fails (docs/product-rules.md §3): each reason code with what the user sees and how
// to fix it. The thresholds in the texts (15 payments, 6 months, 3× income, 18–60) are the rule
// set's own: a lender's rule set reads right in its reasons.
import { DEFAULT_RULE_SET, type RuleSet } from './rule-set'

/** The reasons' texts for a rule set. */
export function reasonTexts(rules: RuleSet) {
  const g = rules.gates
  return {
    IDENTITY_FACE_FAILED: {
      title: '人脸核身未通过',
      fix: '请在光线充足处重试，正对镜头，摘下帽子和眼镜。',
    },
    IDENTITY_CARD_FAILED: {
      title: '银行卡验证未通过',
      fix: '请核对卡号和银行预留手机号，或联系发卡银行。',
    },
    SCORE_BELOW_THRESHOLD: {
      title: '微信支付分未达到该产品的要求',
      fix: '保持按时履约，日常消费多使用微信支付。',
    },
    PAY_SCORE_NOT_AUTHORIZED: {
      title: '尚未授权微信支付分',
      fix: '在“微信支付分”一步点“去授权”，在微信支付的页面完成授权；我们只会得知是否达到要求，不会得知分数。',
    },
    PAY_SCORE_UNCONFIRMED: {
      title: '暂时无法确认微信支付分是否达到要求',
      fix: '微信支付或放贷机构暂时没有答复，请稍后重新查询；不需要支付分的产品不受影响。',
    },
    TOO_MANY_HARD_INQUIRIES: {
      title: `近${g.hardInquiryWindowMonths}个月征信查询次数过多`,
      fix: `自最近一次查询起等待${g.hardInquiryWindowMonths}个月，并按时偿还现有借款。`,
    },
    LOW_ACTIVITY: {
      title: `每月支付笔数少于${g.minPaymentsPerMonth}笔`,
      fix: `在真实场景中日常使用微信支付（缴费、餐饮、购物），约每天${rules.growth.paymentsPerDay}笔。`,
    },
    NOT_INVITED: {
      title: '微粒贷仅限受邀用户开通',
      fix: '没有申请入口；下方的提额建议可以提高受邀机会。',
    },
    DEBT_RATIO_HIGH: {
      title: `其他机构授信超过年收入的${g.maxDebtToIncomePermille / 1000}倍`,
      fix: '在其降低之前，额度提升将暂停。',
    },
    PURPOSE_REFUSED: {
      title: '借款用途不符合规定（投资、购房等）',
      fix: '借款不得用于投资（股票、债券、期货、衍生品、资管产品、虚拟币、固定资产或股权）或购房。',
    },
    AGE_OUT_OF_RANGE: {
      title: `年龄不在${g.minAge}至${g.maxAge}周岁之间`,
      fix: `借款人须年满${g.minAge}周岁且未满${g.maxAge + 1}周岁。`,
    },
    CREDIT_SCORE_LOW: {
      title: '综合评分未达到该产品的要求',
      fix: '查看下方各维度得分：按时还款、多在真实场景使用微信支付、保持稳定的理财资产都会提高评分。',
    },
    OVERDUE_ELSEWHERE: {
      title: `在其他机构的借款逾期超过${rules.risk.postLoanMaxOverdueDays}天`,
      fix: '还清其他机构的逾期款项后再借款；本产品的额度仍然保留。',
    },
    IDENTITY_NOT_VERIFIED: {
      title: '尚未完成实名认证',
      fix: '请先完成实名认证。',
    },
  } satisfies Record<string, { title: string; fix: string }>
}

/** The reasons under the default rule set (what the UI shows; a decision carries its own texts). */
export const REASONS = reasonTexts(DEFAULT_RULE_SET)

export type ReasonCode = keyof typeof REASONS

/** Whether a stored code (a loan's reasons, a line change's detail) is one of the reason codes. */
export const isReasonCode = (code: string): code is ReasonCode => Object.prototype.hasOwnProperty.call(REASONS, code)

export interface Reason {
  code: ReasonCode
  title: string
  fix: string
}

const TEXTS = new WeakMap<RuleSet, typeof REASONS>()

/** A reason with its texts under `rules` (the default rule set unless a decision says otherwise). */
export function reason(code: ReasonCode, fix?: string, rules: RuleSet = DEFAULT_RULE_SET): Reason {
  let texts = rules === DEFAULT_RULE_SET ? REASONS : TEXTS.get(rules)
  if (!texts) TEXTS.set(rules, (texts = reasonTexts(rules)))
  return { code, title: texts[code].title, fix: fix ?? texts[code].fix }
}
