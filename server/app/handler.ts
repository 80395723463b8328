// The cloud functions' shared entry: envelope → caller → input schema → idempotency → use case.
// The same code runs in WeChat Cloud and in the local cloud; only the ports differ.
import * as v from 'valibot'
import { CONTRACT, Envelope, fail, type ActionName, type ApiResult, type FunctionName } from '../../src/api'
import { TransactionConflict, type Doc, type Ports } from '../ports'
import * as account from './account'
import * as cardDebits from './card-debits'
import * as credit from './credit'
import * as contracts from './contracts'
import * as explain from './explain'
import { withdrawConsent } from './consent-withdrawal'
import * as merchants from './merchants'
import { canonicalJson } from './canonical-json'
import * as lines from './lines'
import * as loans from './loans/index'
import * as onboarding from './onboarding'
import * as payments from './payments'
import * as reminders from './reminders'
import * as verification from './verification'
import { COLLECTIONS } from '../schema'
import type { RequestRef, UseCase } from './use-case'

export type { UseCase }

/** The server's action table: a use case that takes or returns the wrong shape does not compile. */
export type ActionTable = { [F in FunctionName]: { [A in ActionName<F>]: UseCase<F, A> } }

const ACTIONS: ActionTable = {
  merchants: { resolve: merchants.resolveMerchant, createCode: merchants.createCode },
  onboarding: {
    status: (ports, openid) => onboarding.status(ports, openid),
    acceptAgreements: onboarding.acceptAgreements,
    verifyIdentity: onboarding.verifyIdentity,
    bindCard: verification.bindCard,
    startPayScore: (ports, openid) => verification.startPayScore(ports, openid),
    authorizePayScore: (ports, openid) => verification.authorizePayScore(ports, openid),
    startFace: verification.startFace,
    confirmFace: verification.confirmFace,
  },
  reminders: {
    grant: reminders.grant,
    inbox: (ports, openid) => reminders.inbox(ports, openid),
    read: reminders.read,
  },
  account: {
    export: (ports, openid) => account.exportData(ports, openid),
    delete: (ports, openid) => account.deleteData(ports, openid),
    consents: (ports, openid) => account.consents(ports, openid),
    withdrawConsent,
  },
  loans: {
    apply: loans.apply,
    list: (ports, openid) => loans.list(ports, openid),
    get: loans.get,
    drawdown: loans.drawdown,
    cancel: payments.cancel,
    repay: payments.repay,
    previewRepayment: loans.previewRepayment,
    receipts: loans.receipts,
    verifyReceipt: loans.verifyReceipt,
  },
  payments: { get: payments.get, list: payments.list },
  credit: {
    precheck: (ports, openid) => credit.precheck(ports, openid),
    offers: (ports, openid) => credit.offers(ports, openid),
    explain: explain.explain,
    requestReview: explain.requestReview,
  },
  contracts: {
    preview: contracts.preview,
    list: contracts.list,
    get: contracts.get,
    pdf: contracts.pdf,
  },
  lines: {
    consent: lines.consent,
    open: lines.open,
    autoDebit: cardDebits.setAutoDebit,
    get: lines.get,
    list: (ports, openid) => lines.list(ports, openid, {}),
    history: lines.history,
  },
}

/** Every `<function>.<action>` the server implements (tests check it against the contract). */
export function serverActionNames(): string[] {
  return (Object.keys(ACTIONS) as FunctionName[]).flatMap((fn) => Object.keys(ACTIONS[fn]).map((a) => `${fn}.${a}`))
}

/** How the runtime names the caller: WeChat's getWXContext().OPENID, or the local cloud's signed session. */
export type WhoIs = (event: unknown, context: unknown) => string | null

export interface RequestDoc {
  openid: string
  fn: string
  action: string
  inputHash: string
  state: 'pending' | 'done'
  claimedAt: number
  /** The stored success, answered again on a retry. */
  response: unknown
}

export type Main = (event: unknown, context: unknown) => Promise<ApiResult<unknown>>

export function createMain(fn: FunctionName, getPorts: () => Ports, whoIs: WhoIs): Main {
  const actions = ACTIONS[fn] as unknown as Record<
    string,
    (p: Ports, o: string, i: unknown, r?: RequestRef) => Promise<ApiResult<unknown>>
  >
  const contract = CONTRACT[fn] as Record<string, { mutating: boolean; input: v.GenericSchema }>
  return async function main(event, context) {
    const envelope = v.safeParse(Envelope, event)
    if (!envelope.success) return fail('BAD_ENVELOPE', { detail: issuePath(envelope.issues) })
    const { action, data, requestId } = envelope.output
    const spec = Object.prototype.hasOwnProperty.call(contract, action) ? contract[action] : undefined
    if (!spec) return fail('UNKNOWN_ACTION', { detail: `${fn}.${action.slice(0, 64)}` })
    const openid = whoIs(event, context)
    if (!openid) return fail('UNAUTHENTICATED')
    const input = v.safeParse(spec.input, data)
    if (!input.success) {
      return fail('INVALID_INPUT', {
        field: issuePath(input.issues),
        message: `输入不正确：${input.issues[0].message}`,
      })
    }
    let ports: Ports | undefined
    try {
      ports = getPorts()
      const run = () => actions[action](ports!, openid, input.output, requestId ? { requestId } : undefined)
      if (!spec.mutating) return await run()
      if (!requestId) return fail('REQUEST_ID_REQUIRED')
      return await once(ports, { openid, fn, action, requestId, input: input.output }, run)
    } catch (error) {
      // A transaction that kept meeting other writers wrote nothing: a conflict to retry, not a fault.
      if (error instanceof TransactionConflict) return fail('CONFLICT')
      const log = ports?.log ?? console
      log.error('unhandled', {
        fn,
        action,
        error: error instanceof Error ? (error.stack ?? error.message) : String(error),
      })
      return fail('INTERNAL')
    }
  }
}

/** A claim older than this belongs to a run that died; a retry may take it over. */
export const STALE_CLAIM_MS = 30_000

/**
 * At most one effect per (caller, requestId). The request is claimed (insert-unique) before the
 * use case runs, so two concurrent copies never both run it; the first successful response is
 * stored and answered again on every retry. A failure removes the claim, so nothing of a rejected
 * request stays behind and a retry runs again. A claim left by a process that died is taken over
 * once it is STALE_CLAIM_MS old.
 */
async function once(
  ports: Ports,
  req: { openid: string; fn: string; action: string; requestId: string; input: unknown },
  run: () => Promise<ApiResult<unknown>>,
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
      response: null,
    }
    let claim: Doc<RequestDoc>
    const inserted = await ports.store.insert<RequestDoc>(COLLECTIONS.requests, id, fresh)
    if (inserted.ok) {
      claim = inserted.doc
    } else {
      const seen = await ports.store.get<RequestDoc>(COLLECTIONS.requests, id)
      if (!seen) continue
      if (seen.data.inputHash !== inputHash) return fail('IDEMPOTENCY_CONFLICT')
      if (seen.data.state === 'done') return seen.data.response as ApiResult<unknown>
      if (now - seen.data.claimedAt < STALE_CLAIM_MS) {
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
    }
    let result: ApiResult<unknown>
    try {
      result = await run()
    } catch (error) {
      await ports.store.remove(COLLECTIONS.requests, id, claim.version)
      throw error
    }
    // A failure releases the claim: rejected input leaves nothing behind, and a retry runs again.
    if (!result.ok) await ports.store.remove(COLLECTIONS.requests, id, claim.version)
    else
      await ports.store.update<RequestDoc>(COLLECTIONS.requests, id, claim.version, {
        ...claim.data,
        state: 'done',
        response: result,
      })
    return result
  }
  return fail('CONFLICT')
}

/**
 * Polls a claimed request until its holder settles it (bounded: about 1.3 s of wall time):
 * the stored success, 'released' when the holder failed and let go, or null on timeout.
 */
async function waitForSettled(ports: Ports, id: string, fromVersion: number): Promise<RequestDoc | 'released' | null> {
  for (let delay = 5; delay <= 640; delay *= 2) {
    await new Promise((resolve) => setTimeout(resolve, delay))
    const doc = await ports.store.get<RequestDoc>(COLLECTIONS.requests, id)
    if (!doc) return 'released'
    if (doc.version !== fromVersion && doc.data.state === 'done') return doc.data
  }
  return null
}

function issuePath(issues: readonly v.BaseIssue<unknown>[]): string {
  const path = issues[0]?.path?.map((p) => String(p.key)).join('.')
  return path || '(root)'
}
