// Every error code the cloud functions return, with the message a person can act on. The figures
// in them (ages, lengths, time limits) come from the domain that enforces them.
import { COOLING_OFF_HOURS, CREDIT_CONSENT_MINUTES } from '../domain/agreements'
import { CARD_DIGITS, LENDING_AGE, MOBILE_DIGITS, NAME_LENGTH } from '../domain/figures'

export const ERRORS = {
  BAD_ENVELOPE: '请求格式不正确：需要 { action, data, requestId }。',
  UNKNOWN_FUNCTION: '没有这个云函数。',
  UNKNOWN_ACTION: '这个云函数没有该操作。',
  INVALID_INPUT: '输入不完整或格式不正确。',
  REQUEST_ID_REQUIRED: '该操作需要 requestId，以便安全重试。',
  IDEMPOTENCY_CONFLICT: '同一个 requestId 已用于不同的请求内容，请换一个新的 requestId。',
  UNAUTHENTICATED: '未识别到登录身份，请重新进入小程序。',
  NAME_INVALID: `请填写身份证上的姓名（${NAME_LENGTH.min}–${NAME_LENGTH.max}个汉字）。`,
  ID_NUMBER_INVALID: '身份证号码不正确，请核对后重新输入。',
  AGE_NOT_ELIGIBLE: `借款人年龄需在${LENDING_AGE.min}至${LENDING_AGE.max}周岁之间。`,
  MOBILE_INVALID: `请填写${MOBILE_DIGITS}位中国大陆手机号码。`,
  IDENTITY_MISMATCH: '姓名与身份证号码不一致，请核对后重试。',
  IDENTITY_SERVICE_UNAVAILABLE: '实名认证服务暂时不可用，请稍后重试，已填写的信息不会丢失。',
  IDENTITY_RECHECK_REQUIRED:
    '请在实名认证页再输入一次姓名和身份证号：我们需要重新确认并加密保存你的实名信息，之后即可继续。',
  IDENTITY_ALREADY_VERIFIED: '您已完成实名认证，如需更换身份信息请联系客服。',
  AGREEMENTS_REQUIRED: '请先阅读并同意用户协议、隐私政策及各项单独授权。',
  AGREEMENT_VERSION_OUTDATED: '协议已更新，请阅读最新版本后再同意。',
  CONSENT_REQUIRED: '该操作需要您单独授权使用金融信息（支付与征信数据），可在协议页开启。',
  IDENTITY_BOUND_ELSEWHERE: '该身份证已在另一个微信账号完成实名认证，如有疑问请联系客服。',
  CARD_INVALID: `银行卡号不正确（应为${CARD_DIGITS.min}–${CARD_DIGITS.max}位数字，且最后一位校验码须正确），请对照卡面核对后重新输入。`,
  CARD_NOT_DEBIT: '还款需要本人的借记卡（储蓄卡），信用卡不能用于还款。',
  CARD_BANK_UNSUPPORTED:
    '暂时无法识别这张卡的发卡银行（卡号的前几位或位数不在我们的卡BIN表中）：请对照卡面核对卡号；卡号无误的话，请换一张其他银行的借记卡。',
  CARD_HOLDER_MISMATCH: '持卡人须是已实名认证的本人：姓名或身份证号与实名信息不一致。',
  IDENTITY_CARD_FAILED: '银行卡验证未通过：请核对卡号和银行预留手机号，或联系发卡银行。',
  CARD_SERVICE_UNAVAILABLE: '银行卡验证服务暂时不可用，请稍后重试。',
  PAY_SCORE_UNAVAILABLE: '暂时无法查询微信支付分授权状态，请稍后重试。',
  FACE_SERVICE_UNAVAILABLE: '人脸核身服务暂时不可用，请稍后重试。',
  FACE_CANCELLED: '人脸核身已取消，可以随时重新开始。',
  FACE_TIMEOUT: '人脸核身超时，请重新开始并尽快完成。',
  FACE_NOT_FINISHED: '尚未完成人脸核身，请先完成验证。',
  FACE_SESSION_USED: '这次人脸核身已经确认过，不能再次使用，请重新开始人脸核身。',
  FACE_SESSION_EXPIRED: '这次人脸核身已过期，请重新开始人脸核身。',
  IDENTITY_FACE_FAILED: '人脸核身未通过：请在光线充足处重试，正对镜头，摘下帽子和眼镜。',
  PURPOSE_REFUSED:
    '借款不得用于投资（股票、虚拟币等）或购房、债券、期货、金融衍生品、资管产品、固定资产和股本权益性投资，也不能转入证券或虚拟币账户：请选择其他借款用途。未做任何征信查询。',
  CONSENT_INVALID: `请在开通额度时授权征信查询（每次查询单独授权，${CREDIT_CONSENT_MINUTES}分钟内有效，只能用一次）。`,
  UNKNOWN_PRODUCT: '没有这个产品。',
  INVALID_AMOUNT: '金额须为正的整数分。',
  AMOUNT_OUT_OF_RANGE: '借款金额超出该产品的范围。',
  MODE_NOT_OFFERED: '该产品不提供这种还款方式。',
  TERM_NOT_OFFERED: '该产品不提供这个期限。',
  RATE_OUT_OF_RANGE: '日利率超出该产品的范围。',
  APR_OVER_CAP: '该方案的年化利率超过上限，不予提供。',
  INVALID_CAP: '年化利率上限无效。',
  INVALID_DATE: '时间无效。',
  COOLING_OFF_EXPIRED: `已超过放款后${COOLING_OFF_HOURS}小时的冷静期，不能取消；可以随时提前还款。`,
  CANCEL_AFTER_REPAYMENT: '已有还款的借款不能取消，可以提前还清。',
  LOAN_CLOSED: '该借款已结束。',
  OVERPAYMENT: '还款金额超过应还总额。',
  PAYMENT_UNAVAILABLE: '微信支付暂时无法下单，借款没有任何变化：请稍后再试。',
  PAYMENT_PENDING: '上一笔付款刚刚到账：请先查看借款的最新情况，再决定是否继续还款。',
  INVALID_TRANSITION: '借款当前状态不允许该操作。',
  NOTHING_OVERDUE: '没有逾期的期次。',
  NOT_DUE: '还未到处理的时间。',
  NO_ACTIVE_LINE: '尚未开通该产品的额度（或额度已到期）：请先开通，开通时查询一次征信，之后借款不再硬查询。',
  LINE_FROZEN: '有一期还款已逾期，额度已冻结：还清逾期款项后自动恢复，即可继续借款。',
  LINE_EXCEEDED: '借款金额超过可用额度（已借未还的本金占用额度，还款后恢复）：请减少金额。',
  LINE_ALREADY_OPEN: '该产品已经开通（或正在审核），不需要再次开通。',
  FACE_REQUIRED: '检测到新设备或异地登录：放款前请再次完成人脸核身。',
  CONTRACT_REQUIRED: '请先阅读合同，确认无误后点“同意并签署”：签署后才能继续。',
  CONTRACT_CHANGED: '合同内容有变化（额度、利率、期限或日期已更新）：请重新阅读最新的合同后再签署。',
  CONTRACT_FIGURES_REQUIRED: '借款合同需要借款金额、期限、还款方式和用途，请先选好借款方案。',
  REVIEW_ALREADY_REQUESTED: '已经申请了人工复核，正在等待处理：处理结果会通知你，无需重复申请。',
  NOTHING_TO_REVIEW: '该产品当前没有被自动拒绝的决定，不需要人工复核。',
  TEMPLATE_UNKNOWN: '没有这个订阅消息模板。',
  STEP_REQUIRED: '请先完成前面的步骤。',
  REQUEST_IN_PROGRESS: '该请求正在处理中，请稍候再查看结果。',
  CONFLICT: '数据刚被其他操作修改，请重试。',
  FORBIDDEN: '仅运营人员可以执行该操作。',
  SIGN_IN_FAILED: '用户名、密码或动态验证码不正确。连续失败 5 次，账号将锁定 15 分钟。',
  OPERATOR_LOCKED: '连续登录失败次数过多，账号已锁定 15 分钟：请稍后再试，或请管理员协助。',
  OPERATOR_EXISTS: '该用户名已被使用，请换一个。',
  FOUR_EYES_REQUIRED: '这条审核意见是你提出的：须由另一位审核员确认（四眼原则）。',
  OWN_CASE: '这是你本人借款账户的审核案件，不能由你审核：请交给其他审核员。',
  CASE_CLOSED: '该审核案件已经结束（已决定或已过期），无需再处理。',
  NOT_FOUND: '没有找到该资源。',
  PAYLOAD_TOO_LARGE: '请求内容过大。',
  DEV_DISABLED: '开发工具接口仅在本地模式下可用。',
  NETWORK_ERROR: '网络连接失败，请检查网络后重试。',
  STATEMENT_UNAVAILABLE: '渠道的对账单暂时取不到（微信支付在次日上午生成前一天的账单）：请稍后再试，账上没有任何变化。',
  INTERNAL: '服务暂时出错，请稍后重试。',
} as const

export type ErrorCode = keyof typeof ERRORS

export interface ApiError {
  code: ErrorCode
  message: string
  /** The input field the error is about, when there is one. */
  field?: string
  /** A finer reason under the code, e.g. CHECK_DIGIT under ID_NUMBER_INVALID. */
  detail?: string
}

export type ApiResult<T> = { ok: true; data: T } | { ok: false; error: ApiError }

/** Refusals the agreements page fixes: a required text, its new version, or a separate consent. */
export function fixedByAgreements(error: Pick<ApiError, 'code'> | null | undefined): boolean {
  return (
    error?.code === 'AGREEMENTS_REQUIRED' ||
    error?.code === 'AGREEMENT_VERSION_OUTDATED' ||
    error?.code === 'CONSENT_REQUIRED'
  )
}

export function apiError(
  code: ErrorCode,
  extra: Omit<ApiError, 'code' | 'message'> & { message?: string } = {},
): ApiError {
  const { message, ...rest } = extra
  return { code, message: message ?? ERRORS[code], ...rest }
}

export function fail<T = never>(code: ErrorCode, extra?: Parameters<typeof apiError>[1]): ApiResult<T> {
  return { ok: false, error: apiError(code, extra) }
}

export function ok<T>(data: T): ApiResult<T> {
  return { ok: true, data }
}
