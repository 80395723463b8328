// `kaitong operators add --role <role> <username>`: creates an operator — the first admin of a new
// deployment, before anyone can sign in to the console — and prints its password and TOTP secret
// once (put the secret in an authenticator app; neither is shown again). Writes to $KAITONG_DB.
import crypto from 'node:crypto'
import { ROLES, type Role } from '../../src/api/console'
import { generate } from 'otplib'
import { DEMO_OPERATORS, createOperator } from '../../server/app/console/operators'
import { keyringFromEnv, NodeSecrets } from '../../server/keyring'
import { localPorts } from '../../server/local/ports'
import type { Ports } from '../../server/ports'
import { COLLECTIONS } from '../../server/schema'
import { parseFlags } from './args'
import type { CliResult } from './quote'

export const OPERATORS_USAGE = `kaitong operators add --role <${ROLES.join('|')}> <username> [--wechat]   (writes $KAITONG_DB; --wechat: prints the document for WeChat Cloud instead)`

export const TOTP_USAGE = 'kaitong totp <demo operator>   (the current code of a local demo operator: local only)'

/** The current TOTP code of a local demo operator (their secrets are printed by npm start and README). */
export async function totpCommand(argv: string[], now: number): Promise<CliResult> {
  const demo = DEMO_OPERATORS.find((o) => o.username === argv[0])
  if (!demo)
    return {
      exitCode: 1,
      output: {
        error: {
          code: 'USAGE',
          message: `one of ${DEMO_OPERATORS.map((o) => o.username).join(', ')}\nusage: ${TOTP_USAGE}`,
        },
      },
    }
  const code = await generate({ secret: demo.totpSecret, epoch: Math.floor(now / 1000) })
  return {
    exitCode: 0,
    output: { username: demo.username, totp: code, validForSeconds: 30 - (Math.floor(now / 1000) % 30) },
  }
}

export async function operatorsCommand(
  argv: string[],
  open: () => Ports & { store: { close(): void } },
): Promise<CliResult> {
  const usage = (message: string): CliResult => ({
    exitCode: 1,
    output: { error: { code: 'USAGE', message: `${message}\nusage: ${OPERATORS_USAGE}` } },
  })
  const [sub, ...rest] = argv
  if (sub !== 'add') return usage('the only subcommand is add')
  const wechat = rest.includes('--wechat')
  const args = rest.filter((a) => a !== '--wechat')
  const username = args.find((a, i) => !a.startsWith('--') && args[i - 1] !== '--role')
  const flags = parseFlags(
    args.filter((a) => a !== username),
    ['role'],
  )
  if (!flags.ok) return usage(flags.message)
  const role = flags.flags.role
  if (!role || !(ROLES as readonly string[]).includes(role)) return usage(`--role is one of ${ROLES.join(', ')}`)
  if (!username || !/^[a-z0-9][a-z0-9_-]{1,31}$/.test(username)) return usage('username: 2–32 of [a-z0-9_-]')
  const password = crypto.randomBytes(12).toString('base64url')
  const ports = wechat ? wechatDocumentPorts() : open()
  try {
    const made = await createOperator(ports, { username, role: role as Role, password }, 'cli')
    if (!made.ok) return { exitCode: 1, output: { error: made.error } }
    const stored = await ports.store.get(COLLECTIONS.operatorAccounts, username)
    return {
      exitCode: 0,
      output: {
        operator: made.data.operator,
        // For WeChat Cloud: add this document to the operatorAccounts collection (the cloud console's database page).
        ...(wechat
          ? { collection: COLLECTIONS.operatorAccounts, document: { _id: username, v: 1, d: stored?.data } }
          : {}),
        password,
        totpSecret: made.data.totpSecret,
        otpauth: made.data.otpauth,
        note: '密码和 TOTP 密钥只显示这一次：请把密钥加入身份验证器 App，然后在运营后台登录。',
      },
    }
  } finally {
    ports.store.close()
  }
}

/**
 * The ports for `--wechat`: an in-memory store that only holds the new document, and the secrets
 * of the WeChat deployment from the environment (KAITONG_HASH_KEY, KAITONG_DATA_KEYS), so the
 * password hash and the sealed TOTP secret are what the console function will read.
 */
function wechatDocumentPorts(): Ports & { store: { close(): void } } {
  const hashKey = process.env.KAITONG_HASH_KEY ?? ''
  if (!/^[0-9a-f]{64}$/i.test(hashKey))
    throw new Error('--wechat needs KAITONG_HASH_KEY (64 hex) and KAITONG_DATA_KEYS, as the console function has them')
  const ports = localPorts({ dbFile: ':memory:', log: { info() {}, warn() {}, error() {} } })
  const secrets = new NodeSecrets(Buffer.from(hashKey, 'hex'), keyringFromEnv(process.env.KAITONG_DATA_KEYS), () => {
    throw new Error('operators add signs nothing')
  })
  return Object.assign(Object.create(ports) as typeof ports, { secrets })
}
