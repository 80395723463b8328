// How the contracts read on screen: their kinds' names, and a signature shortened for the eye.
import type { ContractKind } from '../api'

export const CONTRACT_KIND_NAMES: Record<ContractKind, string> = {
  line: '授信合同',
  drawdown: '借款合同',
}

/** 'ed25519:k1:AbCd…' → its scheme and key id with the first 16 characters of the signature. */
export function signatureText(signature: string): string {
  const parts = signature.split(':')
  if (parts.length < 3) return signature.length > 24 ? `${signature.slice(0, 24)}…` : signature
  const sig = parts.slice(2).join(':')
  return `${parts[0]}（密钥 ${parts[1]}）${sig.slice(0, 16)}${sig.length > 16 ? '…' : ''}`
}
