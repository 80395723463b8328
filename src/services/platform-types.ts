// What each platform (WeChat, browser) provides to the app: how to reach the cloud and who is signed in.
import type { ApiResult } from '../api'
import type { PaymentRequest } from '../domain/payment'

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
  /**
   * WeChat Pay's own pay-score authorization page (wx.openBusinessView). Resolves when the user
   * comes back; what they chose is asked of the server, never taken from this answer. `token`
   * is the apply_permissions_token the server obtained (商户预授权).
   */
  openPayScore(token: string): Promise<'returned' | 'cancelled'>
  /**
   * Face verification for a server-issued verifyId (wx.requestFacialVerify). 'finished' means the
   * camera step ended, not that it passed: only the server's confirmFace says that.
   */
  runFace(verifyId: string): Promise<'finished' | 'cancelled' | 'unavailable'>
  /**
   * WeChat Pay's payment sheet for a server-made order (wx.requestPayment). 'paid' means the
   * sheet said so, which proves nothing: only the server, asking WeChat Pay, says it was paid.
   */
  requestPayment(payment: { paymentId: string; request: PaymentRequest }): Promise<'paid' | 'failed' | 'cancelled'>
  /** The lender's reminder templates (subscribe messages). */
  reminderTemplateIds(): string[]
  /** wx.requestSubscribeMessage, from a tap: resolves with the template ids the user accepted. */
  requestSubscribe(templateIds: string[]): Promise<string[]>
}
