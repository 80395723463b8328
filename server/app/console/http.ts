// The console function behind WeChat Cloud's HTTP access service: an HTTP event in, an HTTP answer
// out. The body is the envelope `{ action, data, requestId }`; the operator's token comes from the
// Authorization header only. Answers carry CORS headers for the console's own origin.
import type { ApiResult } from '../../../src/api'
import type { ConsoleMain } from './main'

interface HttpEvent {
  httpMethod?: unknown
  headers?: Record<string, unknown>
  body?: unknown
  isBase64Encoded?: unknown
}

export interface HttpAnswer {
  statusCode: number
  headers: Record<string, string>
  body: string
}

const STATUS: Record<string, number> = { UNAUTHENTICATED: 401, FORBIDDEN: 403, NOT_FOUND: 404, INTERNAL: 500 }

export function consoleHttp(main: ConsoleMain, origin: () => string) {
  return async (event: unknown): Promise<HttpAnswer> => {
    const e = (typeof event === 'object' && event !== null ? event : {}) as HttpEvent
    const headers: Record<string, string> = {
      'content-type': 'application/json; charset=utf-8',
      'cache-control': 'no-store',
      ...(origin()
        ? {
            'access-control-allow-origin': origin(),
            'access-control-allow-headers': 'authorization, content-type',
            'access-control-allow-methods': 'POST, OPTIONS',
            vary: 'origin',
          }
        : {}),
    }
    if (e.httpMethod === 'OPTIONS') return { statusCode: 204, headers, body: '' }
    const answer = (result: ApiResult<unknown>): HttpAnswer => ({
      statusCode: result.ok ? 200 : (STATUS[result.error.code] ?? 200),
      headers,
      body: JSON.stringify(result),
    })
    if (e.httpMethod !== 'POST') return answer({ ok: false, error: { code: 'NOT_FOUND', message: '请使用 POST。' } })
    let envelope: unknown
    try {
      const raw = typeof e.body === 'string' ? e.body : ''
      const text = e.isBase64Encoded === true ? Buffer.from(raw, 'base64').toString('utf8') : raw
      envelope = text === '' ? {} : JSON.parse(text)
    } catch {
      return answer({ ok: false, error: { code: 'BAD_ENVELOPE', message: '请求体不是合法的 JSON。' } })
    }
    const auth = Object.entries(e.headers ?? {}).find(([k]) => k.toLowerCase() === 'authorization')?.[1]
    const token = typeof auth === 'string' && auth.startsWith('Bearer ') ? auth.slice(7).trim() : undefined
    return answer(await main(envelope, { OPERATOR_TOKEN: token }))
  }
}
