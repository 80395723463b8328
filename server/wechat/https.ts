// A small JSON-over-HTTPS helper with a deadline, for the provider adapters.
import https from 'node:https'

export interface HttpsJsonRequest {
  method: 'GET' | 'POST'
  url: string
  headers?: Record<string, string>
  body?: string
  timeoutMs?: number
}

export interface HttpsJsonResponse {
  status: number
  json: unknown
  /** Response headers, lower-cased names (WeChat Pay's signature is carried in them). */
  headers?: Record<string, string>
  /** The body exactly as received: a signature is over these bytes, not over re-serialized JSON. */
  text?: string
}

export type HttpsSend = (req: HttpsJsonRequest) => Promise<HttpsJsonResponse>

export const httpsJson: HttpsSend = (req) =>
  new Promise((resolve, reject) => {
    const r = https.request(
      req.url,
      { method: req.method, headers: { accept: 'application/json', ...req.headers }, timeout: req.timeoutMs ?? 5000 },
      (res) => {
        const chunks: Buffer[] = []
        res.on('data', (c: Buffer) => chunks.push(c))
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8')
          const headers: Record<string, string> = {}
          for (const [k, v] of Object.entries(res.headers)) if (typeof v === 'string') headers[k.toLowerCase()] = v
          try {
            resolve({ status: res.statusCode ?? 0, json: text ? (JSON.parse(text) as unknown) : null, headers, text })
          } catch {
            reject(new Error(`non-JSON answer (${res.statusCode}) from ${new URL(req.url).host}`))
          }
        })
      },
    )
    r.on('timeout', () => r.destroy(new Error(`timeout calling ${new URL(req.url).host}`)))
    r.on('error', reject)
    if (req.body) r.write(req.body)
    r.end()
  })
