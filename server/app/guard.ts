// The one way a use case reaches its caller: the caller's record once what the action needs is in
// place, or the typed refusal that says what is missing — checked in one order for every action:
// operator, the required agreements, the real-name check, a separate consent, the sealed legal
// identity, a fresh face pass. No use case checks these by hand.
import { fail, ok, type ApiResult } from '../../src/api'
import { agreementsCurrent, hasCurrent, type AgreementKind } from '../../src/domain/agreements'
import type { Doc, Ports } from '../ports'
import { COLLECTIONS } from '../schema'
import { requireIdentity, type LegalIdentity } from './identity'
import { loadUser, newUser, type UserDoc } from './users'
import type { FaceSessionDoc } from './verification'

export interface Needs {
  /** Someone listed in the operators collection (the borrower-side operator of merchant codes). */
  operator?: true
  /** The user agreement and privacy policy at their current versions (default: needed). */
  agreements?: boolean
  /** The real-name check done. */
  identity?: true
  /** A separate consent given at its current version (biometric, financial data). */
  consent?: AgreementKind
  /**
   * The legal identity opened, for a use case that must send it: `true` requires the real-name
   * check; 'if-verified' opens it when there is one (the pre-check runs before it too).
   */
  legal?: true | 'if-verified'
  /** A face pass from a session started after this time (epoch ms): the new-device check. */
  freshFaceAfter?: number
}

export interface Caller {
  openid: string
  /** The stored record, or a new one for a caller who has none yet (only when no need requires one). */
  user: UserDoc
  doc: Doc<UserDoc> | null
  /** Present when `legal` was asked for. */
  legal?: LegalIdentity
}

export async function requireUser(ports: Ports, openid: string, needs: Needs = {}): Promise<ApiResult<Caller>> {
  // An operator action, not a user's record: refusing it openly does not reveal anyone's ids.
  if (needs.operator && (await ports.store.get(COLLECTIONS.operators, openid)) === null) return fail('FORBIDDEN')
  const doc = await loadUser(ports.store, openid)
  const user = doc?.data ?? newUser(openid, ports.clock.now())
  if ((needs.agreements ?? true) && !agreementsCurrent(user.agreements)) return fail('AGREEMENTS_REQUIRED')
  if ((needs.identity || needs.legal === true) && !user.identity) return fail('STEP_REQUIRED', { detail: 'realName' })
  if (needs.consent && !hasCurrent(user.agreements, needs.consent))
    return fail('CONSENT_REQUIRED', { detail: needs.consent })
  let legal: LegalIdentity | undefined
  if (needs.legal && user.identity) {
    const opened = requireIdentity(ports, user)
    if (!opened.ok) return opened
    legal = opened.data
  }
  if (needs.freshFaceAfter !== undefined && !(await freshFacePass(ports, openid, needs.freshFaceAfter)))
    return fail('FACE_REQUIRED')
  return ok({ openid, user, doc, ...(legal ? { legal } : {}) })
}

/**
 * A pass from a face session the caller started after `after` (epoch ms): what the new-device
 * check before a drawdown accepts. A pass from a session started before the event that asked for
 * it — an old one, replayed — does not count.
 */
async function freshFacePass(ports: Ports, openid: string, after: number): Promise<boolean> {
  // Newest first: the sessions started after `after` (strictly: started at the same moment is not after).
  const sessions = await ports.store.query<FaceSessionDoc>(COLLECTIONS.faceSessions, {
    index: 'byOpenid',
    eq: openid,
    gte: after + 1,
    order: 'desc',
    limit: 100,
  })
  return sessions.some((s) => s.data.result === 'passed')
}
