// The onboarding steps that ask providers about the person: binding a debit card, the pay-score
// authorization (its token, then its state), and face verification v2. Nothing biometric is stored, and neither the
// card number nor the ID number: the holder re-enters name and ID, checked against the hashes.
import { fail, ok, type ApiResult, type OnboardingStatus, type PayScoreStart } from '../../src/api'
import { checkDebitCard } from '../../src/domain/bank-card'
import { faceOutcome, isOutSeqNo } from '../../src/domain/face'
import { checkIdNumber } from '../../src/domain/id-card'
import { normalizeMobile, normalizeName } from '../../src/domain/person'
import type { Ports } from '../ports'
import { statusOf } from './onboarding'
import { COLLECTIONS } from '../schema'
import { sealIdentity } from './identity'
import type { PayScoreReading } from '../../src/domain/pay-score'
import { readPayScore } from './pay-score'
import { requireUser } from './guard'
import { changeUser, loadUser, type UserDoc } from './users'
import type { UseCase } from './use-case'

/** A fresh id a provider accepts as its request number: ≤ 32 of [0-9A-Za-z_-], unique. */
function providerId(ports: Ports, prefix: string): string {
  return ports.ids
    .next(prefix)
    .replace(/[^0-9A-Za-z_-]/g, '')
    .slice(0, 32)
}

/** Name + ID typed again must be the verified person's (compared as keyed hashes). */
function sameHolder(ports: Ports, user: UserDoc, name: string, idNumber: string): boolean {
  const id = user.identity!
  const nameOk = id.nameHash ? id.nameHash === ports.secrets.keyedHash('name', name) : true
  return nameOk && id.idHash === ports.secrets.keyedHash('id-number', idNumber)
}

function holderInput(rawName: string, rawId: string, now: number) {
  const name = normalizeName(rawName)
  const id = checkIdNumber(rawId, now)
  return id.ok ? { name, idNumber: id.idNumber } : null
}

export const bindCard: UseCase<'onboarding', 'bindCard'> = async (ports, openid, input) => {
  const now = ports.clock.now()
  const card = checkDebitCard(input.cardNumber)
  if (!card.ok) {
    if (card.problem === 'NOT_DEBIT') return fail('CARD_NOT_DEBIT', { field: 'cardNumber', detail: card.bin?.bank })
    if (card.problem === 'UNKNOWN_BIN') return fail('CARD_BANK_UNSUPPORTED', { field: 'cardNumber' })
    return fail('CARD_INVALID', { field: 'cardNumber', detail: card.problem })
  }
  const mobile = normalizeMobile(input.mobile)
  if (!mobile) return fail('MOBILE_INVALID', { field: 'mobile' })
  const holder = holderInput(input.name, input.idNumber, now)
  if (!holder) return fail('ID_NUMBER_INVALID', { field: 'idNumber' })
  const caller = await requireUser(ports, openid, { identity: true, consent: 'financialDataConsent' })
  if (!caller.ok) return caller
  const user = caller.data.user
  if (!sameHolder(ports, user, holder.name, holder.idNumber)) return fail('CARD_HOLDER_MISMATCH', { field: 'name' })

  const token = ports.secrets.keyedHash('card', card.number)
  if (!(user.cards ?? []).some((c) => c.token === token)) {
    const check = await ports.cards.verify({ ...holder, cardNumber: card.number, mobile })
    if (check.result === 'UNAVAILABLE') {
      ports.log.warn('card_verifier_unavailable', { detail: check.detail })
      return fail('CARD_SERVICE_UNAVAILABLE')
    }
    if (check.result === 'MISMATCH') {
      // The attempt is a fact the rules use (IDENTITY_CARD_FAILED) until a card verifies.
      await changeUser(ports.store, openid, now, (u) =>
        (u.cards ?? []).length > 0
          ? { stop: null }
          : { write: { ...u, card: { status: 'failed', at: now } }, result: null },
      )
      return fail('IDENTITY_CARD_FAILED', { field: 'cardNumber' })
    }
  }
  const saved = await changeUser<UserDoc>(ports.store, openid, now, (u) => {
    if ((u.cards ?? []).some((c) => c.token === token)) return { stop: u }
    const next: UserDoc = {
      ...u,
      card: { status: 'verified', at: now },
      cards: [...(u.cards ?? []), { token, bank: card.bin.bank, last4: card.last4, boundAt: now }],
    }
    return { write: next, result: next }
  })
  return saved.ok ? ok(statusOf(saved.result, now)) : fail('CONFLICT')
}

/**
 * 商户预授权: the token that opens WeChat Pay's own authorization page. It proves nothing about
 * the user's choice; authorizePayScore asks WeChat Pay for that afterwards.
 */
export async function startPayScore(ports: Ports, openid: string): Promise<ApiResult<PayScoreStart>> {
  const caller = await requireUser(ports, openid, { identity: true, consent: 'financialDataConsent' })
  if (!caller.ok) return caller
  // authorization_code: 1–32 characters, unique per merchant.
  const outRequestNo = providerId(ports, 'ps')
  try {
    return ok({ token: await ports.payScore.permissionToken(openid, outRequestNo) })
  } catch (error) {
    ports.log.warn('pay_score_token_failed', { error: error instanceof Error ? error.message : String(error) })
    return fail('PAY_SCORE_UNAVAILABLE')
  }
}

/**
 * Asks WeChat Pay whether the person has authorized our pay-score service (a 404 there is "never
 * authorized", not a failure) and, if so, asks the lender's assessment whether the threshold is
 * met. The client's word is never asked. WeChat Pay not answering: PAY_SCORE_UNAVAILABLE.
 */
export async function authorizePayScore(ports: Ports, openid: string): Promise<ApiResult<OnboardingStatus>> {
  const now = ports.clock.now()
  const caller = await requireUser(ports, openid, { identity: true, consent: 'financialDataConsent' })
  if (!caller.ok) return caller
  let reading: PayScoreReading
  try {
    reading = await readPayScore(ports, { openid, idHash: caller.data.user.identity!.idHash })
  } catch (error) {
    ports.log.warn('pay_score_unavailable', { error: error instanceof Error ? error.message : String(error) })
    return fail('PAY_SCORE_UNAVAILABLE')
  }
  const saved = await changeUser(ports.store, openid, now, (u) => {
    const next = { ...u, payScore: { ...reading, at: now } }
    return { write: next, result: next }
  })
  return saved.ok ? ok(statusOf(saved.result, now)) : fail('CONFLICT')
}

/** A face session: WeChat's ids and times only — nothing biometric, nothing about the person's identity. */
export interface FaceSessionDoc {
  openid: string
  outSeqNo: string
  startedAt: number
  expiresAt: number
  /** null while open; once finished (passed, failed, cancelled, timed out) it is never confirmed again. */
  result: FaceSessionResult | null
  confirmedAt?: number
}

export type FaceSessionResult = 'passed' | 'failed' | 'cancelled' | 'timeout'

export const startFace: UseCase<'onboarding', 'startFace'> = async (ports, openid, input) => {
  const now = ports.clock.now()
  const holder = holderInput(input.name, input.idNumber, now)
  if (!holder) return fail('ID_NUMBER_INVALID', { field: 'idNumber' })
  const caller = await requireUser(ports, openid, { identity: true, consent: 'biometricConsent' })
  if (!caller.ok) return caller
  if (!sameHolder(ports, caller.data.user, holder.name, holder.idNumber))
    return fail('CARD_HOLDER_MISMATCH', { field: 'name', message: '姓名或身份证号与实名信息不一致。' })
  const outSeqNo = providerId(ports, 'f')
  if (!isOutSeqNo(outSeqNo)) throw new Error(`ids.next gave an unusable out_seq_no: ${outSeqNo}`)
  let started: Awaited<ReturnType<Ports['face']['start']>>
  try {
    started = await ports.face.start({ outSeqNo, openid, certName: holder.name, certNo: holder.idNumber })
  } catch (error) {
    ports.log.warn('face_start_failed', { error: error instanceof Error ? error.message : String(error) })
    return fail('FACE_SERVICE_UNAVAILABLE')
  }
  // Verified before the legal identity was kept: the person just typed name and ID again and
  // both matched their keyed hashes, so they are sealed now (confirmFace needs them for WeChat's
  // cert_hash). A record without a name hash cannot vouch for a typed name: it is asked to redo
  // the real-name check instead (confirmFace answers IDENTITY_RECHECK_REQUIRED).
  const identity = caller.data.user.identity
  if (identity && !identity.legal && identity.nameHash === ports.secrets.keyedHash('name', holder.name)) {
    const legal = sealIdentity(ports.secrets, openid, holder)
    const sealed = await changeUser(ports.store, openid, now, (u) =>
      u.identity && !u.identity.legal
        ? { write: { ...u, identity: { ...u.identity, legal } }, result: true }
        : { stop: false },
    )
    if (!sealed.ok) return fail('CONFLICT')
  }
  const expiresAt = now + started.expiresInSec * 1000
  await ports.store.insert<FaceSessionDoc>(COLLECTIONS.faceSessions, started.verifyId, {
    openid,
    outSeqNo,
    startedAt: now,
    expiresAt,
    result: null,
  })
  return ok({ verifyId: started.verifyId, expiresAt })
}

/**
 * The server's verdict on one face session. A session is confirmed at most once, only before its
 * expiresAt and only by the caller who started it: the session is closed with compare-and-set
 * before anything else changes, so a replayed or concurrent confirm answers FACE_SESSION_USED and
 * records nothing. An unfinished session stays open for the person to finish.
 */
export const confirmFace: UseCase<'onboarding', 'confirmFace'> = async (ports, openid, input) => {
  const now = ports.clock.now()
  const session = await ports.store.get<FaceSessionDoc>(COLLECTIONS.faceSessions, input.verifyId)
  // Another user's session is indistinguishable from none: ids cannot be probed.
  if (!session || session.data.openid !== openid) return fail('NOT_FOUND', { field: 'verifyId' })
  if (session.data.result !== null) return finishClosed(ports, openid, input.verifyId, session.data)
  if (now >= session.data.expiresAt) return fail('FACE_SESSION_EXPIRED', { field: 'verifyId' })
  const caller = await requireUser(ports, openid, { agreements: false, legal: true })
  if (!caller.ok) return caller
  const legal = caller.data.legal!
  let answer: { errcode: number; verifyRet?: number }
  try {
    answer = await ports.face.query({
      verifyId: input.verifyId,
      outSeqNo: session.data.outSeqNo,
      openid,
      certName: legal.name,
      certNo: legal.idNumber,
    })
  } catch (error) {
    ports.log.warn('face_query_failed', { error: error instanceof Error ? error.message : String(error) })
    return fail('FACE_SERVICE_UNAVAILABLE')
  }
  const outcome = faceOutcome(answer.errcode, answer.verifyRet)
  if (outcome === 'NOT_FINISHED') return fail('FACE_NOT_FINISHED', { detail: String(answer.errcode) })
  const result: FaceSessionResult =
    outcome === 'PASSED'
      ? 'passed'
      : outcome === 'CANCELLED'
        ? 'cancelled'
        : outcome === 'TIMEOUT'
          ? 'timeout'
          : 'failed'
  const closed = await ports.store.update<FaceSessionDoc>(COLLECTIONS.faceSessions, input.verifyId, session.version, {
    ...session.data,
    result,
    confirmedAt: now,
  })
  // A concurrent confirm of the same session closed it first: this one records nothing.
  if (!closed.ok) return fail('FACE_SESSION_USED', { field: 'verifyId' })
  return recordVerdict(ports, openid, input.verifyId, result, now)
}

/** What a closed session's verdict means for the person: a pass or failure goes on their record, once per session. */
async function recordVerdict(
  ports: Ports,
  openid: string,
  verifyId: string,
  result: FaceSessionResult,
  at: number,
): Promise<ApiResult<OnboardingStatus>> {
  if (result === 'cancelled') return fail('FACE_CANCELLED')
  if (result === 'timeout') return fail('FACE_TIMEOUT')
  const now = ports.clock.now()
  const saved = await changeUser<UserDoc>(ports.store, openid, now, (u) => {
    // A pass is kept; a later failed attempt does not undo it; the same session twice is a no-op.
    if ((u.face?.status === 'passed' && result === 'failed') || u.face?.verifyId === verifyId) return { stop: u }
    const next = { ...u, face: { status: result, at, verifyId } }
    return { write: next, result: next }
  })
  if (!saved.ok) return fail('CONFLICT')
  return result === 'passed' ? ok(statusOf(saved.result, now)) : fail('IDENTITY_FACE_FAILED')
}

/**
 * A confirm of a session already closed: FACE_SESSION_USED — unless its verdict never reached
 * the person's record (the first confirm closed the session, then lost every retry writing the
 * record and answered CONFLICT), in which case this finishes that one write. Nothing is decided
 * again from a closed session, so an old pass cannot be replayed into a new check.
 */
async function finishClosed(
  ports: Ports,
  openid: string,
  verifyId: string,
  session: FaceSessionDoc,
): Promise<ApiResult<OnboardingStatus>> {
  const face = (await loadUser(ports.store, openid))?.data.face
  const decisive = session.result === 'passed' || session.result === 'failed'
  const superseded = face !== undefined && (face.verifyId === verifyId || face.at >= (session.confirmedAt ?? 0))
  if (!decisive || superseded || session.confirmedAt === undefined)
    return fail('FACE_SESSION_USED', { field: 'verifyId' })
  return recordVerdict(ports, openid, verifyId, session.result!, session.confirmedAt)
}
