// The cloud functions' shared entry: envelope → caller → input schema → idempotency → use case.
// The same code runs in WeChat Cloud and in the local cloud; only the ports differ.
import * as v from 'valibot'
import {
  CONTRACT,
  Envelope,
  fail,
  type ActionName,
  type ActionOutput,
  type ApiResult,
  type FunctionName,
} from '../../src/api'
import type { FunnelStep } from '../../src/api/console'
import { countFunnel } from './funnel'
import { TransactionConflict, type Ports } from '../ports'
import * as account from './account'
import * as cardDebits from './card-debits'
import * as credit from './credit'
import * as contracts from './contracts'
import * as explain from './explain'
import { withdrawConsent } from './consent-withdrawal'
import * as merchants from './merchants'
import * as lines from './lines'
import * as loans from './loans/index'
import * as onboarding from './onboarding'
import * as payments from './payments'
import * as reminders from './reminders'
import * as verification from './verification'
import type { RequestRef, UseCase } from './use-case'
import { once } from './once'

export type { UseCase }

/** A use case whose success counts a step of the caller's merchant funnel (when `counts` says it does). */
function counted<F extends FunctionName, A extends ActionName<F>>(
  step: FunnelStep,
  run: UseCase<F, A>,
  counts: (data: ActionOutput<F, A>) => boolean = () => true,
): UseCase<F, A> {
  return async (ports, openid, input, request) => {
    const result = await run(ports, openid, input, request)
    if (result.ok && counts(result.data)) await countFunnel(ports, openid, step)
    return result
  }
}

/** The server's action table: a use case that takes or returns the wrong shape does not compile. */
export type ActionTable = { [F in FunctionName]: { [A in ActionName<F>]: UseCase<F, A> } }

const ACTIONS: ActionTable = {
  merchants: { resolve: merchants.resolveMerchant, createCode: merchants.createCode },
  onboarding: {
    status: (ports, openid) => onboarding.status(ports, openid),
    acceptAgreements: counted('agreements', onboarding.acceptAgreements),
    verifyIdentity: counted('realName', onboarding.verifyIdentity),
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
    // The first drawdown counts when its money is on the way (a review or a face hold counts when it is released).
    apply: counted('firstDrawdown', loans.apply, (r) => r.loan.state === 'disbursing' || r.loan.state === 'disbursed'),
    list: (ports, openid) => loans.list(ports, openid),
    get: loans.get,
    drawdown: counted('firstDrawdown', loans.drawdown, (l) => l.state === 'disbursing' || l.state === 'disbursed'),
    cancel: payments.cancel,
    repay: payments.repay,
    previewRepayment: loans.previewRepayment,
    receipts: loans.receipts,
    verifyReceipt: loans.verifyReceipt,
  },
  payments: { get: payments.get, list: payments.list },
  credit: {
    precheck: counted('precheck', (ports, openid) => credit.precheck(ports, openid)),
    offers: (ports, openid) => credit.offers(ports, openid),
    catalog: (ports, _openid, input) => credit.catalog(ports, input.version),
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
    open: counted('lineOpened', lines.open, (line) => line.state === 'active'),
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

export type { RequestDoc } from './once'

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
      const run = (request?: RequestRef) => actions[action](ports!, openid, input.output, request)
      if (!spec.mutating) return await run(requestId ? { requestId } : undefined)
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

function issuePath(issues: readonly v.BaseIssue<unknown>[]): string {
  const path = issues[0]?.path?.map((p) => String(p.key)).join('.')
  return path || '(root)'
}
