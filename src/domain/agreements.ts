// The agreements and separate consents (PIPL): their versions, which are required, whether a
// person's acceptances are current, and the time limits they promise (cooling-off, a consent's life).

import { DAY_MS, HOUR_MS, MINUTE_MS } from './china-time'

/** 冷静期: cancel without reason or cost while now < disbursedAt + 24 h; at 24:00:00.000 it is closed. */
export const COOLING_OFF_MS = DAY_MS
export const COOLING_OFF_HOURS = COOLING_OFF_MS / HOUR_MS

/** A credit-inquiry consent covers one query and lapses this long after it is given. */
export const CREDIT_CONSENT_TTL_MS = 15 * MINUTE_MS
export const CREDIT_CONSENT_MINUTES = CREDIT_CONSENT_TTL_MS / MINUTE_MS

/** Agreement texts are versioned: a new version must be accepted again. */
export const AGREEMENT_VERSIONS = {
  userAgreement: '2026-11-01',
  // 2026-12-01: name and ID number kept encrypted and sent to the bureau; the pay score assessed by the lender.
  privacyPolicy: '2026-12-01',
  biometricConsent: '2026-11-01',
  financialDataConsent: '2026-12-01',
} as const

export type AgreementKind = keyof typeof AGREEMENT_VERSIONS
export const AGREEMENT_KINDS = Object.keys(AGREEMENT_VERSIONS) as AgreementKind[]

export interface AcceptedAgreement {
  version: string
  acceptedAt: number
}

export type AgreementRecord = Partial<Record<AgreementKind, AcceptedAgreement>>

/**
 * The user agreement and privacy policy are required to use the product at all. Biometric and
 * financial-data consents are separate (PIPL): refusing one blocks only what needs it.
 */
export const REQUIRED_AGREEMENTS: AgreementKind[] = ['userAgreement', 'privacyPolicy']

export function hasCurrent(agreements: AgreementRecord, kind: AgreementKind): boolean {
  return agreements[kind]?.version === AGREEMENT_VERSIONS[kind]
}

/** Every required text accepted at its current version; an outdated acceptance counts as none. */
export function agreementsCurrent(agreements: AgreementRecord): boolean {
  return REQUIRED_AGREEMENTS.every((kind) => hasCurrent(agreements, kind))
}
