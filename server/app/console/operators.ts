// Operators: accounts with one role each, signed in with a password (argon2id) and a TOTP code;
// sessions that expire and can be revoked; lock-out after repeated failures. A session token is
// random and stored only as its keyed hash, so the database alone never signs anyone in.
import crypto from 'node:crypto'
import { hash as argonHash, verify as argonVerify } from '@node-rs/argon2'
import { generateSecret, generateURI, verify as totpVerify } from 'otplib'
import { fail, ok, type ApiResult } from '../../../src/api'
import { ROLES, type CreatedOperator, type OperatorView, type Role, type SignInResult } from '../../../src/api/console'
import type { Doc, Ports, Sealed } from '../../ports'
import { COLLECTIONS } from '../../schema'

export interface OperatorDoc {
  username: string
  role: Role
  /** argon2id (PHC string): never the password. */
  passwordHash: string
  /** The TOTP secret, sealed (the authenticator app holds the other copy). */
  totp: Sealed
  enabled: boolean
  createdAt: number
  createdBy: string
  /** A borrower account this operator also holds: they never review its cases. */
  borrowerOpenid: string | null
  failures: number
  lockedUntil: number
  lastSignInAt: number | null
  /** The TOTP time step last accepted: the same code is never accepted twice. */
  lastTotpStep: number
  /**
   * Who first enabled it: an operator an admin creates waits, disabled, for a second admin (four
   * eyes on accounts too — one admin alone cannot make the two reviewers that approve a loan).
   */
  activatedBy?: string | null
  /** When it was last disabled: sessions issued before then never answer again, even once it is enabled again. */
  disabledAt?: number | null
}

export interface SessionDoc {
  username: string
  issuedAt: number
  expiresAt: number
  revokedAt: number | null
}

/** A session lasts 8 hours (a working day), then signs in again. */
export const SESSION_MS = 8 * 3_600_000
/** Five failures in a row lock the account for 15 minutes. */
export const MAX_FAILURES = 5
export const LOCK_MS = 15 * 60_000
const TOTP_ISSUER = '开通运营后台'
/** argon2id at OWASP's second configuration (19 MiB, 2 passes). */
const ARGON = { memoryCost: 19_456, timeCost: 2, parallelism: 1 }

export const operatorView = (d: OperatorDoc): OperatorView => ({
  username: d.username,
  role: d.role,
  enabled: d.enabled,
  createdAt: d.createdAt,
  lastSignInAt: d.lastSignInAt,
})

const totpContext = (username: string) => `operator/${username}/totp`
const sessionId = (ports: Ports, token: string) => ports.secrets.keyedHash('operator-session', token)

/** Creates an operator; the TOTP secret is returned this once (for the authenticator app), never again. */
export async function createOperator(
  ports: Ports,
  input: {
    username: string
    role: Role
    password: string
    borrowerOpenid?: string
    totpSecret?: string
    /** The password's argon2id hash, when the caller has it already (the demo operators share one). */
    passwordHash?: string
  },
  by: string,
  /** 'await-second-admin': created by an admin in the console, it is enabled by another admin. */
  start: 'enabled' | 'await-second-admin' = 'enabled',
): Promise<ApiResult<CreatedOperator>> {
  const totpSecret = input.totpSecret ?? generateSecret()
  const doc: OperatorDoc = {
    username: input.username,
    role: input.role,
    passwordHash: input.passwordHash ?? (await argonHash(input.password, ARGON)),
    totp: ports.secrets.seal(totpContext(input.username), totpSecret),
    enabled: start === 'enabled',
    activatedBy: start === 'enabled' ? by : null,
    disabledAt: null,
    createdAt: ports.clock.now(),
    createdBy: by,
    borrowerOpenid: input.borrowerOpenid ?? null,
    failures: 0,
    lockedUntil: 0,
    lastSignInAt: null,
    lastTotpStep: 0,
  }
  const made = await ports.store.insert<OperatorDoc>(COLLECTIONS.operatorAccounts, input.username, doc)
  if (!made.ok) return fail('OPERATOR_EXISTS', { field: 'username' })
  return ok({
    operator: operatorView(doc),
    totpSecret,
    otpauth: generateURI({ issuer: TOTP_ISSUER, label: input.username, secret: totpSecret }),
  })
}

/**
 * Signs in: password and TOTP code both right, the account enabled and not locked. Every failure
 * answers the same SIGN_IN_FAILED (which of the three was wrong, or that the account is locked,
 * is not said) and counts toward the lock-out; an unknown username costs the same argon2 work,
 * so neither the answer nor its timing tells whether a username exists.
 */
export async function signIn(
  ports: Ports,
  input: { username: string; password: string; totp: string },
): Promise<ApiResult<SignInResult>> {
  const now = ports.clock.now()
  const found = await ports.store.get<OperatorDoc>(COLLECTIONS.operatorAccounts, input.username)
  if (!found) {
    await argonVerify(DUMMY_HASH, input.password).catch(() => false)
    return fail('SIGN_IN_FAILED')
  }
  // The attempt is counted before the password is checked, compare-and-set and retried: attempts
  // sent at once each take one of the five, and once they are spent none is even hashed.
  const counted = await countAttempt(ports, input.username, now)
  // Locked answers as any failure does: an unknown username never locks, so saying "locked" would
  // tell which usernames exist. The lock is in the log and the operator audit for the admins.
  if (counted === 'locked') {
    ports.log.warn('operator_sign_in_while_locked', { username: input.username })
    return fail('SIGN_IN_FAILED')
  }
  const doc = counted
  const passwordOk = await argonVerify(doc.data.passwordHash, input.password).catch(() => false)
  const step = await totpStep(ports, doc.data, input.totp, now)
  if (!doc.data.enabled || !passwordOk || step === null) return fail('SIGN_IN_FAILED')
  // Right: the count goes back to 0 and the code is spent (the same code at once again: a replay).
  for (let i = 0; i < 5; i++) {
    const current = i === 0 ? doc : await ports.store.get<OperatorDoc>(COLLECTIONS.operatorAccounts, doc.id)
    if (!current || current.data.lastTotpStep >= step) return fail('SIGN_IN_FAILED')
    const signedIn = await ports.store.update<OperatorDoc>(COLLECTIONS.operatorAccounts, doc.id, current.version, {
      ...current.data,
      failures: 0,
      lockedUntil: 0,
      lastSignInAt: now,
      lastTotpStep: step,
    })
    if (signedIn.ok)
      return ok({ ...(await devOperatorSession(ports, doc.id)), operator: operatorView(signedIn.doc.data) })
  }
  return fail('SIGN_IN_FAILED')
}

/**
 * One more attempt on the account: the stored count, with the lock once it reaches five — or
 * 'locked' when it is locked already (nothing is checked then).
 */
async function countAttempt(ports: Ports, username: string, now: number): Promise<Doc<OperatorDoc> | 'locked'> {
  for (;;) {
    const doc = await ports.store.get<OperatorDoc>(COLLECTIONS.operatorAccounts, username)
    if (!doc) return 'locked'
    if (doc.data.lockedUntil > now) return 'locked'
    const failures = doc.data.failures + 1
    const next = {
      ...doc.data,
      failures: failures >= MAX_FAILURES ? 0 : failures,
      lockedUntil: failures >= MAX_FAILURES ? now + LOCK_MS : 0,
    }
    const written = await ports.store.update<OperatorDoc>(COLLECTIONS.operatorAccounts, username, doc.version, next)
    if (written.ok) return written.doc
  }
}

/** The time step of a right code not used before (one step either side allowed for clock drift), or null. */
async function totpStep(ports: Ports, op: OperatorDoc, token: string, now: number): Promise<number | null> {
  let secret: string
  try {
    secret = ports.secrets.open(totpContext(op.username), op.totp)
  } catch {
    return null
  }
  const result = await totpVerify({
    secret,
    token,
    epoch: Math.floor(now / 1000),
    epochTolerance: 30,
    afterTimeStep: op.lastTotpStep,
  }).catch(() => null)
  if (!result || !result.valid) return null
  // A TOTP answer carries its time step (the HOTP-shaped type does not say so).
  const timeStep = (result as { timeStep?: unknown }).timeStep
  return typeof timeStep === 'number' ? timeStep : null
}

export interface OperatorCaller {
  username: string
  role: Role
  borrowerOpenid: string | null
  sessionId: string
}

/** A new session for `username`: a successful sign-in's last step (the local cloud's dev sign-in uses it alone). */
export async function devOperatorSession(
  ports: Ports,
  username: string,
): Promise<{ token: string; expiresAt: number }> {
  const now = ports.clock.now()
  const token = `op_${crypto.randomBytes(32).toString('base64url')}`
  const session: SessionDoc = { username, issuedAt: now, expiresAt: now + SESSION_MS, revokedAt: null }
  await ports.store.insert<SessionDoc>(COLLECTIONS.operatorSessions, sessionId(ports, token), session)
  return { token, expiresAt: session.expiresAt }
}

/** The operator a token names: a live session of an enabled account, or null. */
export async function sessionOperator(ports: Ports, token: string | undefined): Promise<OperatorCaller | null> {
  if (!token || !token.startsWith('op_') || token.length > 100) return null
  const id = sessionId(ports, token)
  const session = await ports.store.get<SessionDoc>(COLLECTIONS.operatorSessions, id)
  const now = ports.clock.now()
  if (!session || session.data.revokedAt !== null || now >= session.data.expiresAt) return null
  const op = await ports.store.get<OperatorDoc>(COLLECTIONS.operatorAccounts, session.data.username)
  if (!op || !op.data.enabled) return null
  if (op.data.disabledAt !== undefined && op.data.disabledAt !== null && session.data.issuedAt <= op.data.disabledAt)
    return null
  return { username: op.id, role: op.data.role, borrowerOpenid: op.data.borrowerOpenid, sessionId: id }
}

/** Ends a session (signing out, or an admin disabling its operator). */
export async function revokeSession(ports: Ports, id: string): Promise<void> {
  for (let i = 0; i < 3; i++) {
    const s = await ports.store.get<SessionDoc>(COLLECTIONS.operatorSessions, id)
    if (!s || s.data.revokedAt !== null) return
    if (
      (
        await ports.store.update(COLLECTIONS.operatorSessions, id, s.version, {
          ...s.data,
          revokedAt: ports.clock.now(),
        })
      ).ok
    )
      return
  }
}

/** Enables or disables an operator; a disabled operator's sessions stop answering at once (sessionOperator checks). */
export async function setEnabled(
  ports: Ports,
  username: string,
  enabled: boolean,
  by: string,
): Promise<ApiResult<OperatorView>> {
  if (username === by && !enabled) return fail('FORBIDDEN', { message: '不能停用自己的账号：请另一位管理员操作。' })
  for (let i = 0; i < 3; i++) {
    const doc = await ports.store.get<OperatorDoc>(COLLECTIONS.operatorAccounts, username)
    if (!doc) return fail('NOT_FOUND', { field: 'username' })
    // A new operator is enabled the first time by an admin other than the one who created it.
    const first = enabled && !doc.data.activatedBy && doc.data.activatedBy !== undefined
    if (first && doc.data.createdBy === by)
      return fail('FOUR_EYES_REQUIRED', { message: '新建的运营人员须由另一位管理员启用（四眼原则）。' })
    const now = ports.clock.now()
    const next: OperatorDoc = {
      ...doc.data,
      enabled,
      failures: 0,
      lockedUntil: 0,
      ...(first ? { activatedBy: by } : {}),
      ...(enabled ? {} : { disabledAt: now }),
    }
    const done = await ports.store.update<OperatorDoc>(COLLECTIONS.operatorAccounts, username, doc.version, next)
    if (done.ok) return ok(operatorView(next))
  }
  return fail('CONFLICT')
}

export async function getOperator(ports: Ports, username: string): Promise<Doc<OperatorDoc> | null> {
  return ports.store.get<OperatorDoc>(COLLECTIONS.operatorAccounts, username)
}

/** A hash of nothing anyone knows: an unknown username is checked against it, at the same cost. */
const DUMMY_HASH = '$argon2id$v=19$m=19456,t=2,p=1$7WWiUInrFrtRuJFJZ2zisg$2amZJTdtxkpVKrq3bB3yqaRjWYo7/ik7k+hS+nP2Cos'

/** The demo operators a local cloud seeds: local-only passwords and TOTP secrets, printed by npm start. */
export const DEMO_OPERATORS: Array<{ username: string; role: Role; totpSecret: string }> = [
  { username: 'admin', role: 'admin', totpSecret: 'KAITONGADMINDEMOLOCALONLY2345672' },
  { username: 'admin-b', role: 'admin', totpSecret: 'KAITONGADMINBDEMOLOCALONLY23456A' },
  { username: 'reviewer-a', role: 'reviewer', totpSecret: 'KAITONGREVIEWERADEMOLOCALONLY23A' },
  { username: 'reviewer-b', role: 'reviewer', totpSecret: 'KAITONGREVIEWERBDEMOLOCALONLY23A' },
  { username: 'risk', role: 'risk', totpSecret: 'KAITONGRISKDEMOLOCALONLY2345672A' },
  { username: 'ops', role: 'operations', totpSecret: 'KAITONGOPSDEMOLOCALONLY23456722A' },
  { username: 'finance', role: 'finance', totpSecret: 'KAITONGFINANCEDEMOLOCALONLY2345A' },
  { username: 'auditor', role: 'auditor', totpSecret: 'KAITONGAUDITORDEMOLOCALONLY2345A' },
]
export const DEMO_PASSWORD = 'kaitong-local-demo'

/** Seeds the demo operators unless they exist (local mode only). */
export async function seedDemoOperators(ports: Ports): Promise<void> {
  for (const o of DEMO_OPERATORS) {
    if (await getOperator(ports, o.username)) continue
    // One hash of the shared demo password per process (each argon2id hash is 19 MiB of work).
    demoHash ??= argonHash(DEMO_PASSWORD, ARGON)
    await createOperator(ports, { ...o, password: DEMO_PASSWORD, passwordHash: await demoHash }, 'seed')
  }
}
let demoHash: Promise<string> | undefined

/** Every operator, role by role. */
export const list = async (ports: Ports): Promise<ApiResult<OperatorView[]>> => {
  const byRole = await Promise.all(
    ROLES.map((role) =>
      ports.store.query<OperatorDoc>(COLLECTIONS.operatorAccounts, { index: 'byRole', eq: role, limit: 1000 }),
    ),
  )
  return ok(byRole.flat().map((d) => operatorView(d.data)))
}
