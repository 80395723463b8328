// The onboarding journey over the API, shared by the reliability tests and benchmarks: agreements
// (at their current versions), the real-name check and a bound debit card.
import { AGREEMENT_KINDS, AGREEMENT_VERSIONS } from '../../src/domain/agreements'

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

/** A fresh requestId for one call over HTTP (a retry would re-send the same one). */
export function freshRequestId(prefix = 'r'): string {
  return `${prefix}${Math.random().toString(16).slice(2)}xx`
}

/** Opens the product's line once (its consent, then the opening): the line the server decided. */
export async function openLineOverHttp(
  call: ApiCall,
  product = 'we2000',
): Promise<{ ok: boolean; data?: any; error?: any }> {
  const consent = await call('lines', 'consent', { product })
  if (!consent.ok) return consent
  // The line contract, read and signed: its hash goes with the opening.
  const contract = await call('contracts', 'preview', { kind: 'line', product })
  if (!contract.ok) return contract
  return call('lines', 'open', { product, consentId: consent.data.consentId, contractSha256: contract.data.sha256 })
}

/** A drawdown against the product's line (we2000 unless named), opening it first if it is not open yet: the loan the server made. */
export async function borrowOverHttp(
  call: ApiCall,
  loan: { product?: string; amountFen: number; termMonths: number; mode: 'equal-installment' | 'equal-principal' },
): Promise<{ ok: boolean; data?: any; error?: any }> {
  const product = loan.product ?? 'we2000'
  const line = await call('lines', 'get', { product })
  if (!line.ok || line.data.state !== 'active') {
    const opened = await openLineOverHttp(call, product)
    if (!opened.ok) return opened
  }
  const drawdown = { ...loan, product, purpose: 'consumption' }
  return call('loans', 'apply', { ...drawdown, contractSha256: await signedNote(call, drawdown) })
}

/** The drawdown note for these figures, previewed and signed: its hash (undefined when it cannot be shown). */
export async function signedNote(call: ApiCall, drawdown: Record<string, unknown>): Promise<string | undefined> {
  const contract = await call('contracts', 'preview', { kind: 'drawdown', ...drawdown })
  return contract.ok ? (contract.data.sha256 as string) : undefined
}
