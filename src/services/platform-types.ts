// What each platform (WeChat, browser) provides to the app: how to reach the cloud and who is signed in.
import type { ApiResult } from '../api'

export interface WireEnvelope {
  action: string
  data: Record<string, unknown>
  requestId?: string
}

export interface Persona {
  user: string
  summary: string
}

export interface Platform {
  /** Sends one envelope to a cloud function; never throws (network trouble is NETWORK_ERROR). */
  send(fn: string, envelope: WireEnvelope): Promise<ApiResult<unknown>>
  /** The merchant scene the page was opened with, as delivered (still URL-encoded in WeChat). */
  entryScene(params: Record<string, string | undefined>): string | undefined
  /** In WeChat the runtime names the user; in the browser a dev sign-in stands in. */
  needsSignIn(): boolean
  personas(): Promise<Persona[]>
  signIn(user: string): Promise<ApiResult<{ openid: string }>>
  signOut(): void
}
