// The agreements and separate consents (PIPL): their versions, which are required, and whether a
// person's acceptances are current.

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
