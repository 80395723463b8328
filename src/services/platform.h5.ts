// The browser platform: the local cloud (same origin: it serves this build) over fetch, with the dev sign-in token in local storage.
import Taro from '@tarojs/taro'
import { ERRORS, type ApiResult } from '../api'
import type { Persona, Platform, WireEnvelope } from './platform-types'

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
}
