// How the records on 我的数据 are named for the user.

export const CONSENT_KIND_NAMES: Record<string, string> = {
  userAgreement: '《用户协议》',
  privacyPolicy: '《隐私政策》',
  biometricConsent: '生物识别信息单独授权',
  financialDataConsent: '金融信息单独授权',
  creditQuery: '征信查询授权',
  autoDebit: '自动扣款授权',
}

/** The server's collection names in a deletion result. */
export const RECORD_NAMES: Record<string, string> = {
  users: '账户资料（实名信息、银行卡、授权状态）',
  userFields: '账户资料中可删除的部分（协议记录、来源商户）',
  consents: '协议与单独授权记录',
  creditConsents: '征信查询授权记录',
  loans: '已结束的借款',
  receipts: '电子凭证',
  payments: '付款记录（微信支付与自动扣款）',
  audit: '操作审计记录',
  events: '预审等事件记录',
  faceSessions: '人脸核身会话（不含图像）',
  requests: '请求记录',
  lines: '额度',
  lineChanges: '额度记录',
  messages: '消息中心的消息',
  reminders: '还款提醒的发送记录',
}
