// Face verification v2 outcomes: only errcode 0 with verify_ret 10000 is a pass. The client's
// success callback means "finished", never "passed".

export type FaceOutcome = 'PASSED' | 'FAILED' | 'CANCELLED' | 'TIMEOUT' | 'NOT_FINISHED'

const CANCELLED = new Set([90002, 90003, 90004, 90005, 90006])
const TIMEOUT = new Set([90017, 90107])

export function faceOutcome(errcode: number, verifyRet: number | undefined): FaceOutcome {
  // A non-zero errcode is the service's own answer (no result yet, or a mismatch of the session's data).
  if (errcode !== 0 || verifyRet === undefined) return 'NOT_FINISHED'
  if (verifyRet === 10000) return 'PASSED'
  if (CANCELLED.has(verifyRet)) return 'CANCELLED'
  if (TIMEOUT.has(verifyRet)) return 'TIMEOUT'
  return 'FAILED'
}

/** out_seq_no: 5–32 of [0-9A-Za-z_-], unique per appid. */
export function isOutSeqNo(s: string): boolean {
  return /^[0-9A-Za-z_-]{5,32}$/.test(s)
}
