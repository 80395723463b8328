// The console's function for tests: the real console main over a TestCloud's ports, the demo
// operators seeded, a session per operator (the dev sign-in) or through console.signIn with TOTP.
import crypto from 'node:crypto'
import { generate } from 'otplib'
import type { ApiResult } from '../../src/api'
import type { ConsoleAction, ConsoleOutput } from '../../src/api/console'
import { createConsoleMain } from '../../server/app/console/main'
import {
  DEMO_OPERATORS,
  DEMO_PASSWORD,
  createOperator,
  devOperatorSession,
  seedDemoOperators,
} from '../../server/app/console/operators'
import type { TestCloud } from './cloud'

export interface ConsoleClient {
  /** Calls a console action with `token` (a mutating one gets a fresh requestId unless one is given). */
  call<A extends ConsoleAction>(
    token: string | undefined,
    action: A,
    data?: Record<string, unknown>,
    requestId?: string | null,
  ): Promise<ApiResult<ConsoleOutput<A>>>
  /** A session for a demo (or created) operator, without the password and TOTP. */
  as(username: string): Promise<string>
  /** The demo operator's current TOTP code (at the cloud's clock). */
  totp(username: string, at?: number): Promise<string>
}

export async function consoleFor(cloud: TestCloud): Promise<ConsoleClient> {
  await seedDemoOperators(cloud.ports)
  const main = createConsoleMain(() => cloud.ports)
  const tokens = new Map<string, string>()
  return {
    async call(token, action, data = {}, requestId) {
      const id = requestId === null ? undefined : (requestId ?? `req_${crypto.randomBytes(8).toString('hex')}`)
      return (await main({ action, data, ...(id ? { requestId: id } : {}) }, { OPERATOR_TOKEN: token })) as never
    },
    async as(username) {
      if (!tokens.has(username)) tokens.set(username, (await devOperatorSession(cloud.ports, username)).token)
      return tokens.get(username)!
    },
    async totp(username, at = cloud.ports.clock.now()) {
      const o = DEMO_OPERATORS.find((d) => d.username === username)
      if (!o) throw new Error(`no demo operator ${username}`)
      return generate({ secret: o.totpSecret, epoch: Math.floor(at / 1000) })
    },
  }
}

/** Another reviewer, optionally holding a borrower account of their own. */
export async function addReviewer(cloud: TestCloud, username: string, borrowerOpenid?: string) {
  const made = await createOperator(
    cloud.ports,
    { username, role: 'reviewer', password: DEMO_PASSWORD, ...(borrowerOpenid ? { borrowerOpenid } : {}) },
    'test',
  )
  if (!made.ok) throw new Error(made.error.code)
  return made.data
}
