// Onboarding use cases: where the user is, accepting agreements, and the real-name check.
import { fail, ok, type ApiResult, type OnboardingStatus } from '../../src/api'
import { checkIdNumber, checkLendingAge } from '../../src/domain/id-card'
import { publishedRules } from './published'
import {
  AGREEMENT_KINDS,
  AGREEMENT_VERSIONS,
  REQUIRED_AGREEMENTS,
  agreementsCurrent,
  type AgreementKind,
} from '../../src/domain/agreements'
import { completedSteps, nextStep, type JourneyFacts } from '../../src/domain/journey'
import {
  isLegalName,
  maskIdNumber,
  maskMobile,
  maskName,
  normalizeMobile,
  normalizeName,
} from '../../src/domain/person'
import type { Ports } from '../ports'
import { COLLECTIONS } from '../schema'
import { identityKept, requireIdentity, sealIdentity } from './identity'
import { requireUser } from './guard'
import { changeUser, payScoreOf, type StoredIdentity, type UserDoc } from './users'
import type { UseCase } from './use-case'

export interface ConsentDoc {
  openid: string
  /** An agreement or separate consent; 'reminders' and 'autoDebit' only as withdrawals. */
  kind: AgreementKind | 'reminders' | 'autoDebit'
  version: string
  /** When it was given — or, for a withdrawal, withdrawn. */
  acceptedAt: number
  /** A withdrawal (account.withdrawConsent): kept beside the acceptance it ends, never deleted. */
  withdrawn?: true
}

export function statusOf(user: UserDoc, now: number): OnboardingStatus {
  // A record verified before the legal identity was kept goes back to the real-name step (its form
  // seals the identity again); it is not a new verification.
  const facts: JourneyFacts = {
    agreements: user.agreements,
    identityVerified: user.identity !== null && identityKept(user),
    cardBound: (user.cards ?? []).length > 0,
    payScoreAsked: user.payScore !== undefined,
    facePassed: user.face?.status === 'passed',
  }
  const id = user.identity
  return {
    next: nextStep(facts),
    completed: completedSteps(facts),
    agreements: user.agreements,
    currentVersions: { ...AGREEMENT_VERSIONS },
    identity: id
      ? {
          name: id.nameMasked,
          idNumber: id.idMasked,
          mobile: id.mobileMasked,
          verifiedAt: id.verifiedAt,
          recheck: !identityKept(user),
        }
      : null,
    cards: (user.cards ?? []).map(({ bank, last4, boundAt }) => ({ bank, last4, boundAt })),
    payScore: payScoreOf(user),
    face: user.face?.status ?? null,
    serverTime: now,
  }
}

export async function status(ports: Ports, openid: string): Promise<ApiResult<OnboardingStatus>> {
  const caller = await requireUser(ports, openid, { agreements: false })
  if (!caller.ok) return caller
  return ok(statusOf(caller.data.user, ports.clock.now()))
}

export const acceptAgreements: UseCase<'onboarding', 'acceptAgreements'> = async (ports, openid, input) => {
  const accepted = new Map<AgreementKind, string>()
  for (const item of input.accepted) {
    if (!(AGREEMENT_KINDS as string[]).includes(item.kind)) {
      return fail('INVALID_INPUT', { field: 'accepted', detail: `UNKNOWN_KIND:${item.kind.slice(0, 40)}` })
    }
    const kind = item.kind as AgreementKind
    if (item.version !== AGREEMENT_VERSIONS[kind]) {
      return fail('AGREEMENT_VERSION_OUTDATED', { field: 'accepted', detail: kind })
    }
    accepted.set(kind, item.version)
  }
  const now = ports.clock.now()
  const saved = await changeUser<UserDoc | 'MISSING'>(ports.store, openid, now, (user) => {
    const agreements = { ...user.agreements }
    for (const [kind, version] of accepted) {
      if (agreements[kind]?.version !== version) agreements[kind] = { version, acceptedAt: now }
    }
    if (!agreementsCurrent(agreements)) return { stop: 'MISSING' }
    const next = { ...user, agreements }
    return { write: next, result: next }
  })
  if (!saved.ok) return fail('CONFLICT')
  const user = saved.result
  if (user === 'MISSING') {
    return fail('AGREEMENTS_REQUIRED', { field: 'accepted', detail: REQUIRED_AGREEMENTS.join(',') })
  }
  // The consent log keeps each acceptance once, with its time: a (kind, version) accepted again
  // after a withdrawal is a new acceptance, beside the first and the withdrawal.
  for (const [kind, version] of accepted) {
    const acceptedAt = user.agreements[kind]?.acceptedAt ?? now
    const doc = { openid, kind, version, acceptedAt }
    const first = await ports.store.insert<ConsentDoc>(COLLECTIONS.consents, `${openid}:${kind}:${version}`, doc)
    if (!first.ok) {
      const existing = await ports.store.get<ConsentDoc>(COLLECTIONS.consents, `${openid}:${kind}:${version}`)
      if (existing && existing.data.acceptedAt !== acceptedAt)
        await ports.store.insert<ConsentDoc>(COLLECTIONS.consents, `${openid}:${kind}:${version}:${acceptedAt}`, doc)
    }
  }
  return ok(statusOf(user, now))
}

/**
 * The same person typing their identity again, for a record whose legal identity was not kept
 * (verified before it was) or can no longer be opened: the name must match the keyed hash — or,
 * where none was kept, the identity service again — and then both are sealed anew.
 */
async function recheckIdentity(
  ports: Ports,
  openid: string,
  user: UserDoc,
  typed: { name: string; idNumber: string },
  now: number,
): Promise<ApiResult<OnboardingStatus>> {
  const nameHash = ports.secrets.keyedHash('name', typed.name)
  if (user.identity!.nameHash === undefined) {
    const check = await ports.identity.verify(typed.name, typed.idNumber)
    if (check.result === 'MISMATCH') return fail('IDENTITY_MISMATCH', { field: 'name' })
    if (check.result === 'UNAVAILABLE') {
      ports.log.warn('identity_unavailable', { detail: check.detail })
      return fail('IDENTITY_SERVICE_UNAVAILABLE')
    }
  } else if (user.identity!.nameHash !== nameHash) return fail('IDENTITY_MISMATCH', { field: 'name' })
  const legal = sealIdentity(ports.secrets, openid, typed)
  const sealed = await changeUser<UserDoc>(ports.store, openid, now, (u) => {
    if (!u.identity || u.identity.idHash !== user.identity!.idHash) return { stop: u }
    const next = { ...u, identity: { ...u.identity, nameHash, legal } }
    return { write: next, result: next }
  })
  if (!sealed.ok) return fail('CONFLICT')
  ports.log.info('identity_resealed', { reason: user.identity!.legal ? 'UNREADABLE' : 'NOT_KEPT' })
  return ok(statusOf(sealed.result, now))
}

export const verifyIdentity: UseCase<'onboarding', 'verifyIdentity'> = async (ports, openid, input) => {
  const now = ports.clock.now()
  const name = normalizeName(input.name)
  if (!isLegalName(name)) return fail('NAME_INVALID', { field: 'name' })
  const id = checkIdNumber(input.idNumber, now)
  if (!id.ok) return fail('ID_NUMBER_INVALID', { field: 'idNumber', detail: id.problem })
  // The band the credit rules apply (the rule set's gates), so the real-name check never admits an age they refuse.
  const ageProblem = checkLendingAge(id.birth, now, (await publishedRules(ports)).gates)
  if (ageProblem) return fail('AGE_NOT_ELIGIBLE', { field: 'idNumber', detail: ageProblem })
  const mobile = normalizeMobile(input.mobile)
  if (!mobile) return fail('MOBILE_INVALID', { field: 'mobile' })

  const caller = await requireUser(ports, openid)
  if (!caller.ok) return caller
  const existing = caller.data.user
  const idHash = ports.secrets.keyedHash('id-number', id.idNumber)
  if (existing.identity) {
    // Repeating the same identity is harmless; replacing it is not self-service.
    if (existing.identity.idHash !== idHash) return fail('IDENTITY_ALREADY_VERIFIED')
    if (requireIdentity(ports, existing).ok) return ok(statusOf(existing, now))
    return recheckIdentity(ports, openid, existing, { name, idNumber: id.idNumber }, now)
  }
  const holders = await ports.store.query<UserDoc>(COLLECTIONS.users, { index: 'byIdHash', eq: idHash, limit: 2 })
  if (holders.some((h) => h.id !== openid)) return fail('IDENTITY_BOUND_ELSEWHERE', { field: 'idNumber' })

  const check = await ports.identity.verify(name, id.idNumber)
  if (check.result === 'MISMATCH') return fail('IDENTITY_MISMATCH', { field: 'name' })
  if (check.result === 'UNAVAILABLE') {
    ports.log.warn('identity_unavailable', { detail: check.detail })
    return fail('IDENTITY_SERVICE_UNAVAILABLE')
  }

  const identity: StoredIdentity = {
    nameMasked: maskName(name),
    nameHash: ports.secrets.keyedHash('name', name),
    idMasked: maskIdNumber(id.idNumber),
    idHash,
    legal: sealIdentity(ports.secrets, openid, { name, idNumber: id.idNumber }),
    mobileMasked: maskMobile(mobile),
    mobileLast4: mobile.slice(-4),
    mobileHash: ports.secrets.keyedHash('mobile', mobile),
    birthYear: id.birth.year,
    birthDate: `${id.birth.year}-${String(id.birth.month).padStart(2, '0')}-${String(id.birth.day).padStart(2, '0')}`,
    verifiedAt: now,
  }
  const saved = await changeUser<UserDoc>(ports.store, openid, now, (user) => {
    if (user.identity) return { stop: user }
    const next = { ...user, identity }
    return { write: next, result: next }
  })
  if (!saved.ok) return fail('CONFLICT')
  if (saved.result.identity?.idHash !== idHash) return fail('IDENTITY_ALREADY_VERIFIED')
  return ok(statusOf(saved.result, now))
}
