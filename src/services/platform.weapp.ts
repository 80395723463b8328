// The WeChat platform: cloud functions through wx.cloud; the runtime itself names the user.
import Taro from '@tarojs/taro'
import type { ApiResult } from '../api'
import { ERRORS } from '../api/errors'
import type { Platform, WireEnvelope } from './platform-types'

export const platform: Platform = {
  async send(fn: string, envelope: WireEnvelope): Promise<ApiResult<unknown>> {
    try {
      const res = await Taro.cloud.callFunction({ name: fn, data: envelope as unknown as Record<string, unknown> })
      return res.result as ApiResult<unknown>
    } catch {
      return { ok: false, error: { code: 'NETWORK_ERROR', message: ERRORS.NETWORK_ERROR } }
    }
  },
  entryScene: (params) => params.scene,
  needsSignIn: () => false,
  personas: async () => [],
  signIn: async () => ({ ok: true, data: { openid: '' } }),
  signOut: () => undefined,
  async openPayScore(token: string) {
    try {
      // WeChat Pay's own page, opened with the token the server got from 商户预授权.
      await Taro.openBusinessView({ businessType: 'wxpayScoreEnable', extraData: { apply_permissions_token: token } })
      return 'returned'
    } catch {
      return 'cancelled'
    }
  },
  runFace(verifyId: string) {
    const wxApi = (globalThis as unknown as { wx?: Record<string, unknown> }).wx
    const request = wxApi?.requestFacialVerify as
      ((o: { verifyId: string; success: () => void; fail: (e: { errCode?: number }) => void }) => void) | undefined
    if (!request) return Promise.resolve('unavailable' as const)
    return new Promise((resolve) => {
      request({
        verifyId,
        success: () => resolve('finished'),
        // 90100: the user left the camera page. Any other code still ends with the server's query.
        fail: (e) => resolve(e?.errCode === 90100 ? 'cancelled' : 'finished'),
      })
    })
  },
  requestPayment({ request }) {
    if (request.provider !== 'wechatPay') return Promise.resolve('failed' as const)
    const wxApi = (globalThis as unknown as { wx?: Record<string, unknown> }).wx
    const pay = wxApi?.requestPayment as
      | ((o: {
          timeStamp: string
          nonceStr: string
          package: string
          signType: string
          paySign: string
          success: () => void
          fail: (e: { errMsg?: string }) => void
        }) => void)
      | undefined
    if (!pay) return Promise.resolve('failed' as const)
    const { provider: _provider, ...params } = request
    return new Promise((resolve) => {
      pay({
        ...params,
        success: () => resolve('paid'),
        // 'requestPayment:fail cancel': the payer closed the sheet.
        fail: (e) => resolve(/cancel/.test(e?.errMsg ?? '') ? 'cancelled' : 'failed'),
      })
    })
  },
  reminderTemplateIds: () => [KAITONG_TEMPLATE_DUE, KAITONG_TEMPLATE_OVERDUE].filter((t) => t !== ''),
  async requestSubscribe(templateIds: string[]) {
    try {
      // WeChat documents tmplIds only (Taro's type also asks for Alipay's entityIds, which WeChat does not know).
      const options = { tmplIds: templateIds } as Parameters<typeof Taro.requestSubscribeMessage>[0]
      const res = (await Taro.requestSubscribeMessage(options)) as unknown as Record<string, string>
      return templateIds.filter((t) => res[t] === 'accept')
    } catch {
      return []
    }
  },
}
