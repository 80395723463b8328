// Dev sign-in for the local cloud: stands in for WeChat's identity with an HMAC-signed token.
import crypto from 'node:crypto'
import { DEV_OPENID_PREFIX } from '../adapters/simulators'

export const DEV_USER = /^[a-z0-9_-]{1,32}$/

export function devOpenid(user: string): string {
  return DEV_OPENID_PREFIX + user
}

export class DevSessions {
  constructor(private readonly key: Buffer) {}

  issue(openid: string, now: number): string {
    const payload = Buffer.from(JSON.stringify({ openid, iat: now })).toString('base64url')
    return `${payload}.${this.sign(payload)}`
  }

  /** The openid a token names, or null when it is missing, malformed or not signed by us. */
  verify(token: string | undefined): string | null {
    if (!token) return null
    const [payload, sig, extra] = token.split('.')
    if (!payload || !sig || extra !== undefined) return null
    const expected = Buffer.from(this.sign(payload))
    const given = Buffer.from(sig)
    if (given.length !== expected.length || !crypto.timingSafeEqual(given, expected)) return null
    try {
      const { openid } = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { openid?: unknown }
      return typeof openid === 'string' && openid.length > 0 ? openid : null
    } catch {
      return null
    }
  }

  private sign(payload: string): string {
    return crypto.createHmac('sha256', this.key).update(payload).digest('base64url')
  }
}
