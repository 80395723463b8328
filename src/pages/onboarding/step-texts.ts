// What each onboarding step's page says about itself: what the step is for, and — when something
// stands before it — what it does and why it needs its consent (see StepGate).
import type { StepBlockedTexts } from '../../components/step-page'

export const STEP_TEXTS: Record<
  'realName' | 'bankCard' | 'payScore' | 'face',
  { subtitle?: string; blocked: StepBlockedTexts }
> = {
  realName: {
    subtitle:
      '通过持牌身份核验服务比对公安记录。姓名和身份证号加密保存，只在查询征信、人脸核身时解密，页面只显示脱敏形式（如 1****************8）。',
    blocked: { doing: '进行实名认证', consent: '实名认证需要你先同意用户协议和隐私政策。' },
  },
  bankCard: {
    subtitle:
      '绑定一张本人名下的借记卡（储蓄卡），用于放款和还款。卡号只保存尾号和加密标识，姓名和身份证号仅用于核对、不会保存。',
    blocked: { doing: '绑定银行卡', consent: '绑定银行卡需要你单独授权使用金融信息（用于向银行核验银行卡）。' },
  },
  payScore: {
    blocked: { doing: '授权微信支付分', consent: '查询微信支付分授权状态需要你单独授权使用金融信息。' },
  },
  face: {
    blocked: {
      doing: '进行人脸核身',
      consent: '人脸核身需要你单独同意“生物识别信息单独授权”。',
      consentNote: '你之前没有同意这项授权。它只用于需要人脸核身的产品；不保存人脸图像或特征，只保存核验结果与时间。',
    },
  },
}
