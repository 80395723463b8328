// The console's one way to the server: POST the envelope to the console function with the
// operator's bearer token. Types come from the contract (src/api/console); no server code here.
import type { ApiResult } from '../../src/api/errors'
import { CONSOLE_CONTRACT, type ConsoleAction, type ConsoleOutput, type ConsoleRequest } from '../../src/api/console'

/** The console function's address: the local cloud's /api/console, or the HTTP access service's route (set at build time). */
const ENDPOINT: string = (import.meta as { env?: Record<string, string> }).env?.VITE_CONSOLE_API || '/api/console'
const TOKEN_KEY = 'kaitong.console.token'

export const session = {
  get: () => sessionStorage.getItem(TOKEN_KEY),
  set: (t: string) => sessionStorage.setItem(TOKEN_KEY, t),
  clear: () => sessionStorage.removeItem(TOKEN_KEY),
}

let onSignedOut: () => void = () => undefined
/** What happens when the server says the session is gone (expired, revoked, disabled). */
export function whenSignedOut(f: () => void) {
  onSignedOut = f
}

function requestId(): string {
  const bytes = new Uint8Array(12)
  crypto.getRandomValues(bytes)
  return 'c' + Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')
}

export async function call<A extends ConsoleAction>(
  action: A,
  data: ConsoleRequest<A>,
): Promise<ApiResult<ConsoleOutput<A>>> {
  const token = session.get()
  let res: Response
  try {
    res = await fetch(ENDPOINT, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ action, data, ...(CONSOLE_CONTRACT[action].mutating ? { requestId: requestId() } : {}) }),
    })
  } catch {
    return { ok: false, error: { code: 'NETWORK_ERROR', message: '网络连接失败，请检查网络后重试。' } }
  }
  const body = (await res.json().catch(() => null)) as ApiResult<ConsoleOutput<A>> | null
  if (!body) return { ok: false, error: { code: 'INTERNAL', message: '服务暂时出错，请稍后重试。' } }
  if (!body.ok && body.error.code === 'UNAUTHENTICATED' && action !== 'console.signIn') {
    session.clear()
    onSignedOut()
  }
  return body
}
