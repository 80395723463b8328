// WeChat's own APIs as the weapp tests stub them: each call is checked against the parameters
// WeChat documents for it (developers.weixin.qq.com/miniprogram/dev/api/…) — every required one
// present with its type, nothing WeChat does not know — before the stub plays the answer the test
// chose (success, failure, or the user's cancel). A call the real WeChat would reject fails here.
type Kind = 'string' | 'number' | 'boolean' | 'object' | 'string[]' | 'function'

interface Params {
  required: Record<string, Kind>
  optional?: Record<string, Kind>
  /** A documented string parameter's allowed values. */
  oneOf?: Record<string, readonly string[]>
}

/** The documented parameters of the calls the mini-program makes (the callbacks are allowed on all). */
export const DOCUMENTED: Record<string, Params> = {
  // api/payment/wx.requestPayment
  requestPayment: {
    required: { timeStamp: 'string', nonceStr: 'string', package: 'string', signType: 'string', paySign: 'string' },
    oneOf: { signType: ['MD5', 'HMAC-SHA256', 'RSA'] },
  },
  // api/open-api/subscribe-message/wx.requestSubscribeMessage (entityIds is Alipay's, not WeChat's)
  requestSubscribeMessage: { required: { tmplIds: 'string[]' } },
  // api/navigate/wx.openBusinessView (WeChat Pay score: businessType wxpayScoreEnable)
  openBusinessView: { required: { businessType: 'string' }, optional: { extraData: 'object', envVersion: 'string' } },
  // api/open-api/face/wx.requestFacialVerify (base library 3.8.12; no Promise style)
  requestFacialVerify: { required: { verifyId: 'string' } },
  // api/network/download/wx.downloadFile
  downloadFile: { required: { url: 'string' }, optional: { header: 'object', timeout: 'number', filePath: 'string' } },
  // api/file/wx.openDocument
  openDocument: {
    required: { filePath: 'string' },
    optional: { showMenu: 'boolean', fileType: 'string' },
    oneOf: { fileType: ['doc', 'docx', 'xls', 'xlsx', 'ppt', 'pptx', 'pdf'] },
  },
  // api/cloud/wx.cloud.callFunction (Taro's runtime sends the same object)
  callFunction: { required: { name: 'string' }, optional: { data: 'object', config: 'object', slow: 'boolean' } },
}

const CALLBACKS = ['success', 'fail', 'complete']

const isKind = (v: unknown, kind: Kind) =>
  kind === 'string[]'
    ? Array.isArray(v) && v.every((x) => typeof x === 'string' && x !== '')
    : kind === 'object'
      ? typeof v === 'object' && v !== null && !Array.isArray(v)
      : kind === 'string'
        ? typeof v === 'string' && v !== ''
        : typeof v === kind

/** Throws, naming the call and the parameter, unless `o` is what WeChat documents for `name`. */
export function checkDocumented(name: keyof typeof DOCUMENTED, o: unknown): void {
  const spec = DOCUMENTED[name]
  if (typeof o !== 'object' || o === null) throw new Error(`wx.${name}: takes one object`)
  const given = o as Record<string, unknown>
  for (const [k, kind] of Object.entries(spec.required))
    if (!isKind(given[k], kind)) throw new Error(`wx.${name}: ${k} is required (${kind})`)
  for (const [k, v] of Object.entries(given)) {
    if (CALLBACKS.includes(k)) {
      if (v !== undefined && typeof v !== 'function') throw new Error(`wx.${name}: ${k} must be a function`)
      continue
    }
    const kind = spec.required[k] ?? spec.optional?.[k]
    if (!kind) throw new Error(`wx.${name}: ${k} is not a parameter WeChat documents`)
    if (v !== undefined && !isKind(v, kind)) throw new Error(`wx.${name}: ${k} must be ${kind}`)
    const allowed = spec.oneOf?.[k]
    if (allowed && !allowed.includes(v as string))
      throw new Error(`wx.${name}: ${k} must be one of ${allowed.join(', ')}`)
  }
}
