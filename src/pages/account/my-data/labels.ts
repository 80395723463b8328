// How the records on 我的数据 are named for the user, and what withdrawing an optional consent
// stops, said before the borrower confirms it.
import type { WithdrawableConsent } from '../../../api'

export const CONSENT_KIND_NAMES: Record<string, string> = {
  userAgreement: '《用户协议》',
  privacyPolicy: '《隐私政策》',
  biometricConsent: '生物识别信息单独授权',
  financialDataConsent: '金融信息单独授权',
  creditQuery: '征信查询授权',
  autoDebit: '自动扣款授权',
  reminders: '还款提醒（订阅消息）',
}

/**
 * Each optional consent: its name on the withdrawal card, what it is for, and where it is given
 * (again). What stops without it is the domain's list (src/domain/withdrawal.ts), the server's too.
 */
export const WITHDRAW_TEXTS: Record<WithdrawableConsent, { name: string; what: string; where: string }> = {
  biometricConsent: {
    name: '生物识别（人脸核身）',
    what: '用于人脸核身，核对是你本人在操作；人脸图像从不保存。',
    where: '可以在“阅读并同意”页勾选生物识别信息单独授权。',
  },
  financialDataConsent: {
    name: '金融信息',
    what: '用于预审、开通（授信审批）和借款时评估你的资料。',
    where: '可以在“阅读并同意”页勾选金融信息单独授权。',
  },
  autoDebit: {
    name: '自动扣款',
    what: '到期日从你绑定的银行卡自动扣款。',
    where: '可以在开通时勾选，或在额度页打开“自动扣款”。',
  },
  reminders: {
    name: '还款提醒',
    what: '还款日前通过微信订阅消息提醒你。',
    where: '借款批准或还款后，可以点“订阅还款提醒”。',
  },
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
