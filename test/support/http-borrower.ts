// The onboarding journey over the API, shared by the reliability tests and benchmarks: agreements
// (at their current versions), the real-name check and a bound debit card.
import { AGREEMENT_KINDS, AGREEMENT_VERSIONS } from '../../src/domain/onboarding'

/** Every agreement and consent at its current version. */
export const CURRENT_AGREEMENTS: Array<{ kind: string; version: string }> = AGREEMENT_KINDS.map((kind) => ({
  kind,
  version: AGREEMENT_VERSIONS[kind],
}))

export type ApiCall = (fn: string, action: string, data: unknown) => Promise<{ ok: boolean; data?: any; error?: any }>

/** Returns whether the identity verified and the card bound (callers decide what failure means). */
export async function onboardOverHttp(
  call: ApiCall,
  person: { name: string; idNumber: string; mobile: string },
  cardNumber: string,
): Promise<{ verified: boolean; bound: boolean }> {
  await call('onboarding', 'acceptAgreements', { accepted: CURRENT_AGREEMENTS })
  const verified = (
    await call('onboarding', 'verifyIdentity', { name: person.name, idNumber: person.idNumber, mobile: person.mobile })
  ).ok
  if (!verified) return { verified, bound: false }
  const bound = (
    await call('onboarding', 'bindCard', {
      cardNumber,
      mobile: person.mobile,
      name: person.name,
      idNumber: person.idNumber,
    })
  ).ok
  return { verified, bound }
}
