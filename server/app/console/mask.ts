// What operators see of a borrower: never a raw ID, card or full openid in a list.

/** oDev_abcdef123 → oDev…f123: enough to tell two borrowers apart, not to act as one. */
export function maskOpenid(openid: string): string {
  return openid.length <= 8 ? `${openid.slice(0, 2)}…` : `${openid.slice(0, 4)}…${openid.slice(-4)}`
}
