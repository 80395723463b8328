// The user document: agreements and the verified identity, stored only in masked and hashed form.
import type { AgreementRecord } from '../../src/domain/agreements'
import type { PayScoreAuthorization, PayScoreReading } from '../../src/domain/pay-score'
import type { Doc, Sealed, Store } from '../ports'
import { COLLECTIONS } from '../schema'

export interface StoredIdentity {
  nameMasked: string
  /** Keyed hash of the legal name: later steps check the holder against it. */
  nameHash?: string
  idMasked: string
  /** Keyed hash of the normalized ID number: look-up without decrypting anything. */
  idHash: string
  /**
   * The legal name and ID number, sealed (AES-256-GCM, key outside the database): opened only by
   * the use cases that must send them (identity.ts). Absent on records verified before they were
   * kept; the next real-name or face step seals them.
   */
  legal?: { name: Sealed; idNumber: Sealed }
  mobileMasked: string
  /** The last four digits (the masked form shows them too): what operators search a borrower by. */
  mobileLast4?: string
  mobileHash: string
  birthYear: number
  /** 'YYYY-MM-DD': the lending age rule (18–60) is checked again at every decision. */
  birthDate: string
  verifiedAt: number
}

export interface UserDoc {
  openid: string
  createdAt: number
  agreements: AgreementRecord
  identity: StoredIdentity | null
  /** The merchant whose code the user first arrived through (attribution). */
  entryMerchant: string | null
  /** Set by the card-binding and face-verification steps (the lifecycle issue). */
  card?: { status: 'verified' | 'failed'; at: number }
  /** Bound debit cards: a keyed-hash token and the last four digits, never the number. */
  cards?: Array<{ token: string; bank: string; last4: string; boundAt: number }>
  /** The latest face verdict and the session it came from (a session's verdict is written once). */
  face?: { status: 'passed' | 'failed'; at: number; verifyId?: string }
  /** One-time subscribe-message grants left, per template id (one send uses one). */
  grants?: Record<string, number>
  /**
   * What WeChat Pay said of the person's authorization, and the lender's assessment against the
   * threshold, when last asked (never a score, never the client's word). Records from before the
   * two were kept apart hold `{ state, at }`: read them through payScoreOf.
   */
  payScore?: PayScoreReading & { at: number }
}

/**
 * The recorded pay score, from either shape. Records from before the two were kept apart hold
 * WeChat Pay's raw authorization_state (`{ state }`, from the real adapter): that said nothing
 * about the threshold, so it reads as "authorized or not, not assessed" until asked again.
 */
export function payScoreOf(user: UserDoc): PayScoreReading | null {
  const p = user.payScore as (UserDoc['payScore'] & { state?: PayScoreAuthorization }) | undefined
  if (!p) return null
  if (p.authorization) return { authorization: p.authorization, meetsThreshold: p.meetsThreshold }
  return { authorization: p.state ?? 'NONE', meetsThreshold: null }
}

export function newUser(openid: string, now: number): UserDoc {
  return { openid, createdAt: now, agreements: {}, identity: null, entryMerchant: null }
}

export function loadUser(store: Store, openid: string): Promise<Doc<UserDoc> | null> {
  return store.get<UserDoc>(COLLECTIONS.users, openid)
}

export type Mutation<R> = { write: UserDoc; result: R } | { stop: R }

/**
 * Read-modify-write of one user's document with compare-and-set, retried on a lost race.
 * `change` is pure and may run more than once; it sees the latest stored document.
 */
export async function changeUser<R>(
  store: Store,
  openid: string,
  now: number,
  change: (user: UserDoc) => Mutation<R>,
  attempts = 5,
): Promise<{ ok: true; result: R } | { ok: false; reason: 'CONFLICT' }> {
  for (let i = 0; i < attempts; i++) {
    const current = await loadUser(store, openid)
    const outcome = change(current ? current.data : newUser(openid, now))
    if ('stop' in outcome) return { ok: true, result: outcome.stop }
    const saved = current
      ? await store.update(COLLECTIONS.users, openid, current.version, outcome.write)
      : await store.insert(COLLECTIONS.users, openid, outcome.write)
    if (saved.ok) return { ok: true, result: outcome.result }
  }
  return { ok: false, reason: 'CONFLICT' }
}
