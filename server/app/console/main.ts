// The console cloud function's entry: envelope → operator session → role → input schema →
// idempotency → action, the same pipeline as the borrower's functions with an operator instead of
// a borrower. Every call that names a console action, allowed or refused, is written to the
// append-only operator audit log.
import * as v from 'valibot'
import { Envelope, fail, type ApiResult, type ErrorCode } from '../../../src/api'
import {
  CONSOLE_CONTRACT,
  mayCall,
  type ConsoleAction,
  type ConsoleInput,
  type ConsoleOutput,
  type Role,
} from '../../../src/api/console'
import { TransactionConflict, type Ports } from '../../ports'
import { COLLECTIONS } from '../../schema'
import { once } from '../once'
import * as books from './books'
import * as borrowers from './borrowers'
import * as merchants from './merchants'
import * as operators from './operators'
import * as reviews from './reviews'
import * as versions from './versions'
import * as whitelist from './whitelist'
import { searchAudit } from './audit'
import type { OperatorCaller } from './operators'

export type ConsoleHandler<A extends ConsoleAction> = (
  ports: Ports,
  caller: OperatorCaller,
  input: ConsoleInput<A>,
) => Promise<ApiResult<ConsoleOutput<A>>>

type Handlers = { [A in Exclude<ConsoleAction, 'console.signIn'>]: ConsoleHandler<A> }

const HANDLERS: Handlers = {
  'console.signOut': async (ports, caller) => {
    await operators.revokeSession(ports, caller.sessionId)
    return { ok: true, data: { signedOut: true } }
  },
  'console.me': async (ports, caller) => {
    const doc = await operators.getOperator(ports, caller.username)
    return doc ? { ok: true, data: operators.operatorView(doc.data) } : fail('UNAUTHENTICATED')
  },
  'operators.list': operators.list,
  'operators.create': (ports, caller, input) =>
    operators.createOperator(ports, input, caller.username, 'await-second-admin'),
  'operators.setEnabled': (ports, caller, input) =>
    operators.setEnabled(ports, input.username, input.enabled, caller.username),
  'reviews.list': reviews.list,
  'reviews.get': reviews.get,
  'reviews.decide': reviews.decide,
  'versions.list': versions.list,
  'versions.draft': versions.draft,
  'versions.simulate': versions.simulate,
  'versions.publish': versions.publish,
  'borrowers.search': borrowers.search,
  'loans.timeline': borrowers.timeline,
  'merchants.list': merchants.list,
  'merchants.create': merchants.create,
  'merchants.setEnabled': merchants.setEnabled,
  'merchants.code': merchants.code,
  'merchants.funnel': merchants.funnel,
  'whitelist.list': whitelist.list,
  'whitelist.add': whitelist.add,
  'whitelist.remove': whitelist.remove,
  'books.trialBalance': books.trialBalance,
  'books.account': books.account,
  'books.reconciliation': books.reconciliation,
  'reminders.stats': books.reminderStats,
  'audit.search': searchAudit,
}

/** What the audit log keeps of a console call. */
export interface OperatorAuditDoc {
  /** Always 1: the index over all of it by time. */
  all: 1
  at: number
  /** The operator's username (for a sign-in, the username tried). */
  actor: string
  role: Role | null
  action: string
  /** 'ok', or the error code it was refused with. */
  outcome: string
  /** What it was about (a case, a merchant, a loan), never a secret. */
  subject: string
  /** The reason the operator gave, for the actions that take one (a review, a whitelist change). */
  reason?: string
}

/** How the runtime hands over the operator's bearer token (HTTP access service / the local gateway). */
export type TokenOf = (event: unknown, context: unknown) => string | undefined

export const tokenFromContext: TokenOf = (_event, context) => {
  const t = (context as { OPERATOR_TOKEN?: unknown } | null)?.OPERATOR_TOKEN
  return typeof t === 'string' ? t : undefined
}

export type ConsoleMain = (event: unknown, context: unknown) => Promise<ApiResult<unknown>>

export function createConsoleMain(getPorts: () => Ports, tokenOf: TokenOf = tokenFromContext): ConsoleMain {
  return async function main(event, context) {
    const envelope = v.safeParse(Envelope, event)
    if (!envelope.success) return fail('BAD_ENVELOPE')
    const { action: name, data, requestId } = envelope.output
    if (!Object.prototype.hasOwnProperty.call(CONSOLE_CONTRACT, name))
      return fail('UNKNOWN_ACTION', { detail: `console.${name.slice(0, 64)}` })
    const action = name as ConsoleAction
    const spec = CONSOLE_CONTRACT[action]
    const token = tokenOf(event, context)
    if (action !== 'console.signIn' && !token)
      return fail('UNAUTHENTICATED', { message: '请先登录运营后台（Authorization: Bearer <operator token>）。' })
    let ports: Ports | undefined
    try {
      ports = getPorts()
      const p = ports
      if (action === 'console.signIn') {
        const input = v.safeParse(spec.input, data)
        if (!input.success) {
          const result = invalid(input.issues)
          const tried = (data as { username?: unknown }).username
          await audit(p, typeof tried === 'string' ? tried.slice(0, 32) : '(none)', null, action, result, '')
          return result
        }
        const signIn = input.output as ConsoleInput<'console.signIn'>
        const result = await operators.signIn(p, signIn)
        await audit(p, signIn.username.slice(0, 32), null, action, result, '')
        return result
      }
      const caller = await operators.sessionOperator(p, token)
      if (!caller) {
        // A token that names no live session (expired, signed out, forged): refused, and written down.
        const refused = fail('UNAUTHENTICATED', { message: '请先登录运营后台（会话已过期或已退出）。' })
        await audit(p, '(no session)', null, action, refused, '')
        return refused
      }
      if (!mayCall(caller.role, action)) {
        const refused = fail('FORBIDDEN', { message: `你的角色无权执行该操作（${action}）。` })
        await audit(p, caller.username, caller.role, action, refused, subjectOf(data))
        return refused
      }
      const input = v.safeParse(spec.input, data)
      if (!input.success) {
        const result = invalid(input.issues)
        await audit(p, caller.username, caller.role, action, result, '')
        return result
      }
      const handler = HANDLERS[action as keyof Handlers] as unknown as ConsoleHandler<ConsoleAction>
      const run = () => handler(p, caller, input.output as never) as Promise<ApiResult<unknown>>
      let result: ApiResult<unknown>
      if (!spec.mutating) result = await run()
      else if (!requestId) result = fail('REQUEST_ID_REQUIRED')
      else
        result = await once(
          p,
          { openid: `operator:${caller.username}`, fn: 'console', action, requestId, input: input.output },
          run,
          action === 'operators.create' ? withoutSecret : undefined,
        )
      const given = (input.output as { reason?: unknown }).reason
      await audit(p, caller.username, caller.role, action, result, subjectOf(input.output), given)
      return result
    } catch (error) {
      if (error instanceof TransactionConflict) return fail('CONFLICT')
      ;(ports?.log ?? console).error('console_unhandled', {
        action,
        error: error instanceof Error ? (error.stack ?? error.message) : String(error),
      })
      return fail('INTERNAL')
    }
  }
}

/** A created operator's TOTP secret is answered once: a retry of the same request answers without it. */
function withoutSecret(result: ApiResult<unknown>): ApiResult<unknown> {
  if (!result.ok) return result
  return { ok: true, data: { ...(result.data as object), totpSecret: '', otpauth: '' } }
}

function invalid(issues: readonly v.BaseIssue<unknown>[]): ApiResult<never> {
  const field = issues[0]?.path?.map((p) => String(p.key)).join('.') || '(root)'
  return fail('INVALID_INPUT', { field, message: `输入不正确：${issues[0].message}` })
}

/** The case, loan, merchant or operator a call is about: what an auditor searches by. */
function subjectOf(input: unknown): string {
  if (typeof input !== 'object' || input === null) return ''
  const i = input as Record<string, unknown>
  for (const k of ['caseId', 'loanId', 'merchantCode', 'username', 'versionId', 'openid', 'account', 'product'])
    if (typeof i[k] === 'string') return `${k}=${(i[k] as string).slice(0, 64)}`
  return ''
}

async function audit(
  ports: Ports,
  actor: string,
  role: Role | null,
  action: string,
  result: ApiResult<unknown>,
  subject: string,
  reason?: unknown,
): Promise<void> {
  const outcome: string = result.ok ? 'ok' : (result.error.code as ErrorCode)
  await ports.store.insert<OperatorAuditDoc>(COLLECTIONS.operatorAudit, ports.ids.next('oa'), {
    all: 1,
    at: ports.clock.now(),
    actor,
    role,
    action,
    outcome,
    subject,
    ...(typeof reason === 'string' ? { reason: reason.slice(0, 200) } : {}),
  })
}
