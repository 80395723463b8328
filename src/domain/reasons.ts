// Why opening fails (PRODUCT.md §5): each reason code with what the user sees and how to fix it.

export const REASONS = {
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
    title: '近6个月征信查询次数过多',
    fix: '自最近一次查询起等待6个月，并按时偿还现有借款。',
  },
  LOW_ACTIVITY: {
    title: '每月支付笔数少于15笔',
    fix: '在真实场景中日常使用微信支付（缴费、餐饮、购物），约每天3笔。',
  },
  NOT_INVITED: {
    title: '微粒贷仅限受邀用户开通',
    fix: '没有申请入口；下方的提额建议可以提高受邀机会。',
  },
  DEBT_RATIO_HIGH: {
    title: '其他机构授信超过年收入的3倍',
    fix: '在其降低之前，额度提升将暂停。',
  },
  PURPOSE_REFUSED: {
    title: '借款用途不符合规定（股票、虚拟币等投资）',
    fix: '借款不得用于投资。',
  },
  AGE_OUT_OF_RANGE: {
    title: '年龄不在18至60周岁之间',
    fix: '借款人须年满18周岁且未满61周岁。',
  },
  CREDIT_SCORE_LOW: {
    title: '综合评分未达到该产品的要求',
    fix: '查看下方各维度得分：按时还款、多在真实场景使用微信支付、保持稳定的理财资产都会提高评分。',
  },
  AMOUNT_OVER_LIMIT: {
    title: '申请金额超过可用额度',
    fix: '请在额度范围内申请，或按提额建议提高额度后再申请。',
  },
  IDENTITY_NOT_VERIFIED: {
    title: '尚未完成实名认证',
    fix: '请先完成实名认证。',
  },
} as const

export type ReasonCode = keyof typeof REASONS

export interface Reason {
  code: ReasonCode
  title: string
  fix: string
}

export function reason(code: ReasonCode, fix?: string): Reason {
  return { code, title: REASONS[code].title, fix: fix ?? REASONS[code].fix }
}
