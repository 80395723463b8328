// The WeChat platform: cloud functions through wx.cloud; the runtime itself names the user.
import Taro from '@tarojs/taro'
import { ERRORS, type ApiResult } from '../api'
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
}
