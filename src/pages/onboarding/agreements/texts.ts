// What each agreement and consent says, in brief; versions and which are required come from the domain.
import { COOLING_OFF_HOURS, type AgreementKind } from '../../../domain/agreements'

export const AGREEMENT_TEXTS: Record<AgreementKind, { title: string; summary: string }> = {
  userAgreement: {
    title: '《用户协议》',
    summary: `说明本服务的内容、你的权利义务、借款的取消（${COOLING_OFF_HOURS}小时冷静期）与还款规则。`,
  },
  privacyPolicy: {
    title: '《隐私政策》',
    summary:
      '只收集开通所必需的信息：姓名和身份证号加密保存、只在查询征信和核身时解密，银行卡号只保存尾号和加密摘要；不读取聊天内容、聊天频率或关注的账号。你可以查看、导出和删除你的数据。',
  },
  biometricConsent: {
    title: '生物识别信息单独授权',
    summary:
      '仅在需要人脸核身的产品（如小鹅花钱）使用；不保存人脸图像或特征，只保存核验结果与时间。可不授权，其他产品不受影响。',
  },
  financialDataConsent: {
    title: '金融信息单独授权',
    summary:
      '用于预审和申请：读取微信支付分授权状态（微信支付不提供分数），由放贷机构评估是否达到产品要求；近30天支付笔数；以你的姓名和身份证号向征信机构做软查询（不产生查询记录）。可以不同意，但不同意就无法预审、绑卡核验和申请任何产品。每次正式征信查询还会单独征得你的同意。',
  },
}
