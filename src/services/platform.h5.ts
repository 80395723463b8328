// The browser platform: the local cloud (same origin: it serves this build) over fetch, with the dev sign-in token in local storage.
import Taro from '@tarojs/taro'
import type { ApiResult } from '../api'
import { ERRORS } from '../api/errors'
import type { Persona, Platform, WireEnvelope } from './platform-types'
import { showSheet } from './sim-sheet'

const TOKEN_KEY = 'kaitong.devToken'

function token(): string {
  try {
    return (Taro.getStorageSync(TOKEN_KEY) as string) || ''
  } catch {
    return ''
  }
}

async function post(path: string, body: unknown, auth: boolean): Promise<ApiResult<unknown>> {
  try {
    const headers: Record<string, string> = { 'content-type': 'application/json' }
    if (auth) headers.authorization = `Bearer ${token()}`
    const res = await fetch(`${path}`, { method: 'POST', headers, body: JSON.stringify(body) })
    const json = (await res.json()) as ApiResult<unknown>
    if (res.status === 401) Taro.removeStorageSync(TOKEN_KEY)
    return json
  } catch {
    return { ok: false, error: { code: 'NETWORK_ERROR', message: ERRORS.NETWORK_ERROR } }
  }
}

export const platform: Platform = {
  send: (fn: string, envelope: WireEnvelope) => post(`/api/${encodeURIComponent(fn)}`, envelope, true),
  entryScene(params) {
    if (params.scene) return params.scene
    // A code opened as https://…/?scene=m%3Dcafe01#/pages/index/index carries it before the hash.
    return new URLSearchParams(window.location.search).get('scene') ?? undefined
  },
  needsSignIn: () => token() === '',
  async personas(): Promise<Persona[]> {
    try {
      const res = await fetch(`/__dev/personas`)
      const json = (await res.json()) as ApiResult<Persona[]>
      return json.ok ? json.data : []
    } catch {
      return []
    }
  },
  async signIn(user: string) {
    const result = (await post('/__dev/signin', { user }, false)) as ApiResult<{ token: string; openid: string }>
    if (!result.ok) return result
    Taro.setStorageSync(TOKEN_KEY, result.data.token)
    return { ok: true, data: { openid: result.data.openid } }
  },
  signOut: () => Taro.removeStorageSync(TOKEN_KEY),
  async openPayScore(_token: string) {
    const choice = await showSheet({
      testId: 'sim-pay-score',
      title: '微信支付分 · 授权',
      body: '同意后，“开通”可以向微信支付查询你是否达到该服务的支付分要求；只得到“达到/未达到”，看不到分数。',
      choices: [
        { value: 'returned', label: '同意授权', primary: true },
        { value: 'cancelled', label: '暂不授权' },
      ],
    })
    return choice
  },
  async runFace(verifyId: string) {
    const outcome = await showSheet({
      testId: 'sim-face',
      title: '人脸核身（模拟）',
      body: '真机上这里是微信的人脸核身页面。选择一种结果，服务端会像查询微信一样查询它。',
      choices: [
        { value: 'pass', label: '模拟：核身通过', primary: true },
        { value: 'fail', label: '模拟：核身不通过' },
        { value: 'timeout', label: '模拟：超时' },
        { value: 'cancel', label: '模拟：取消' },
      ],
    })
    const set = await post(`/__dev/face/${encodeURIComponent(verifyId)}`, { outcome }, true)
    if (!set.ok) return 'unavailable'
    return outcome === 'cancel' ? 'cancelled' : 'finished'
  },
  async requestPayment({ paymentId }) {
    // The browser build runs against the local cloud, whose WeChat Pay is simulated (or the
    // stand-in's cloud pay): the sheet pays the order the server made, by its number.
    const outcome = await showSheet({
      testId: 'sim-payment',
      title: '微信支付（模拟）',
      body: '真机上这里是微信支付的付款页面。选择一种结果：付款后，服务端像微信支付一样收到回调，并向微信支付查询确认。',
      choices: [
        { value: 'success', label: '模拟：确认支付', primary: true },
        { value: 'fail', label: '模拟：支付失败' },
        { value: 'cancel', label: '模拟：取消支付' },
      ],
    })
    if (outcome === 'cancel') return 'cancelled'
    const paid = await post(`/__dev/payments/${encodeURIComponent(paymentId)}`, { outcome }, true)
    return paid.ok && outcome === 'success' ? 'paid' : 'failed'
  },
  reminderTemplateIds: () => ['tpl_local_due', 'tpl_local_overdue'],
  async requestSubscribe(templateIds: string[]) {
    const choice = await showSheet({
      testId: 'sim-subscribe',
      title: '“开通”申请向你发送以下消息',
      body: '还款提醒（到期前与逾期后）。每次允许只能发送一条；不允许也可以在消息中心查看。',
      choices: [
        { value: 'accept', label: '允许', primary: true },
        { value: 'reject', label: '拒绝' },
      ],
    })
    if (choice !== 'accept') return []
    // What WeChat records when a person allows: one send per template (the stand-in refuses 43101 without
    // it). A shared demo has no dev endpoints and its outbox needs no grant: 允许 is still 允许 there.
    const granted = await post('/__dev/subscribe', { templateIds }, true)
    return granted.ok || granted.error.code === 'DEV_DISABLED' ? templateIds : []
  },
}
