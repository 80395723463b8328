// At most one effect per (caller, requestId): the claim, the stored first response, the retry that
// finds it. Borrower actions (handler.ts) and console actions (console/main.ts) run through it.
import { fail, type ApiResult } from '../../src/api'
import type { Doc, Ports } from '../ports'
import { COLLECTIONS } from '../schema'
import { canonicalJson } from './canonical-json'
import type { RequestRef } from './use-case'

export interface RequestDoc {
  openid: string
  fn: string
  action: string
  inputHash: string
  /** `released`: its run threw; the next copy takes it over at once, keeping `since`. */
  state: 'pending' | 'done' | 'released'
  claimedAt: number
  /**
   * When the request was first claimed, kept by every takeover: what the request makes is named
   * by it (a drawdown's loan id starts with it, so new loans sort by time). Absent on claims made
   * before it was kept.
   */
  since?: number
  /** The stored success, answered again on a retry. */
  response: unknown
}

/** A claim older than this belongs to a run that died; a retry may take it over. */
export const STALE_CLAIM_MS = 30_000

/**
 * At most one effect per (caller, requestId). The request is claimed (insert-unique) before the
 * use case runs, so two concurrent copies never both run it; the first successful response is
 * stored and answered again on every retry. A failure of a fresh claim removes it, so nothing of a
 * rejected request stays behind and a retry runs again. A claim left by a process that died is taken over
 * once it is STALE_CLAIM_MS old; one whose run threw (it may have written something) is kept as
 * released and taken over by the next copy at once. `run` is given the request as claimed.
 */
export async function once(
  ports: Ports,
  req: { openid: string; fn: string; action: string; requestId: string; input: unknown },
  run: (request: RequestRef) => Promise<ApiResult<unknown>>,
  /** What of a success is kept for a retry (a secret shown once is not kept). */
  kept: (result: ApiResult<unknown>) => ApiResult<unknown> = (r) => r,
): Promise<ApiResult<unknown>> {
  const id = `${req.openid}:${req.requestId}`
  const inputHash = ports.secrets.keyedHash('request', `${req.fn}.${req.action}:${canonicalJson(req.input)}`)
  for (let attempt = 0; attempt < 3; attempt++) {
    const now = ports.clock.now()
    const fresh: RequestDoc = {
      openid: req.openid,
      fn: req.fn,
      action: req.action,
      inputHash,
      state: 'pending',
      claimedAt: now,
      since: now,
      response: null,
    }
    let claim: Doc<RequestDoc>
    /** Taken over from an earlier run, which may have written something under the claim's names. */
    let takenOver = false
    const inserted = await ports.store.insert<RequestDoc>(COLLECTIONS.requests, id, fresh)
    if (inserted.ok) {
      claim = inserted.doc
    } else {
      const seen = await ports.store.get<RequestDoc>(COLLECTIONS.requests, id)
      if (!seen) continue
      if (seen.data.inputHash !== inputHash) return fail('IDEMPOTENCY_CONFLICT')
      if (seen.data.state === 'done') return seen.data.response as ApiResult<unknown>
      if (seen.data.state === 'pending' && now - seen.data.claimedAt < STALE_CLAIM_MS) {
        // A concurrent copy of this request is running: answer as it does, if it finishes soon.
        const settled = await waitForSettled(ports, id, seen.version)
        if (settled === null) return fail('REQUEST_IN_PROGRESS')
        if (settled === 'released') continue
        return settled.response as ApiResult<unknown>
      }
      const taken = await ports.store.update<RequestDoc>(COLLECTIONS.requests, id, seen.version, {
        ...seen.data,
        state: 'pending',
        claimedAt: now,
      })
      if (!taken.ok) continue
      claim = taken.doc
      takenOver = true
    }
    let result: ApiResult<unknown>
    try {
      result = await run({ requestId: req.requestId, since: claim.data.since, retry: takenOver })
    } catch (error) {
      // What it wrote before it threw (a loan, say) is found again by a retry under the same names.
      await release(ports, id, claim).catch(() => undefined)
      throw error
    }
    // A failure releases the claim: rejected input leaves nothing behind, and a retry runs again —
    // under the first claim's time when the claim was taken over (an earlier run may have written).
    if (!result.ok) {
      if (takenOver) await release(ports, id, claim)
      else await ports.store.remove(COLLECTIONS.requests, id, claim.version)
    } else
      await ports.store.update<RequestDoc>(COLLECTIONS.requests, id, claim.version, {
        ...claim.data,
        state: 'done',
        response: kept(result),
      })
    return result
  }
  return fail('CONFLICT')
}

/** Lets go of a claim but keeps it (its `since`): the next copy takes it over at once. */
async function release(ports: Ports, id: string, claim: Doc<RequestDoc>): Promise<void> {
  await ports.store.update<RequestDoc>(COLLECTIONS.requests, id, claim.version, { ...claim.data, state: 'released' })
}

/**
 * Polls a claimed request until its holder settles it (bounded: about 1.3 s of wall time):
 * the stored success, 'released' when the holder failed and let go, or null on timeout.
 */
async function waitForSettled(ports: Ports, id: string, fromVersion: number): Promise<RequestDoc | 'released' | null> {
  for (let delay = 5; delay <= 640; delay *= 2) {
    await new Promise((resolve) => setTimeout(resolve, delay))
    const doc = await ports.store.get<RequestDoc>(COLLECTIONS.requests, id)
    if (!doc || doc.data.state === 'released') return 'released'
    if (doc.version !== fromVersion && doc.data.state === 'done') return doc.data
  }
  return null
}
