// What withdrawing each optional consent stops, and how to give it again: one list, said by the
// page before the borrower confirms and by the server's answer after (PIPL art. 15).

/** The optional consents a borrower can withdraw where they gave them. */
export const WITHDRAWABLE = ['biometricConsent', 'financialDataConsent', 'autoDebit', 'reminders'] as const
export type WithdrawableConsent = (typeof WITHDRAWABLE)[number]

/** What stops working when each consent is withdrawn, and how to give it again: the page and the answer say it. */
export const WITHDRAWAL_EFFECTS: Record<WithdrawableConsent, { stops: string[]; again: string }> = {
  biometricConsent: {
    stops: [
      '不再进行人脸核身：需要人脸核身的产品（小鹅花钱）暂不能开通或借款；新设备或异地登录后的借款需要核身，也会暂停。',
      '已完成的核身只保留结果和时间（从不保存图像），用于已发生的借款。',
    ],
    again: '需要时在“协议与授权”页重新同意《生物识别信息单独授权》即可恢复。',
  },
  financialDataConsent: {
    stops: [
      '不再读取支付分、支付记录和征信软查询：预审、开通额度、借款和绑定银行卡都会先请你重新授权。',
      '额度的定期复审暂停（不会因此调低额度）；已借的款项照常还款。',
    ],
    again: '需要时在“协议与授权”页重新同意《金融信息单独授权》即可恢复。',
  },
  autoDebit: {
    stops: ['所有额度的自动扣款都已关闭：到期需要你自己在小程序中还款，逾期会产生逾期费用。'],
    again: '可在额度页重新开启自动扣款（每次开启都会再次征得你的同意）。',
  },
  reminders: {
    stops: ['不再发送微信订阅消息提醒；还款提醒仍会出现在小程序的消息中心。'],
    again: '在借款页点“订阅还款提醒”即可重新订阅。',
  },
}
