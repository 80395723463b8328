// The operator CLI: `npm run kaitong -- <command> …`, printing one JSON object.
import { EVALUATE_USAGE, evaluateCommand } from './cli/evaluate'
import { QUOTE_USAGE, quote, type CliResult } from './cli/quote'
import fs from 'node:fs'
import path from 'node:path'
import { SqliteStore } from '../server/local/adapters/sqlite-store'
import { INDEXES } from '../server/schema'
import { localDataDir, localPorts } from '../server/local/ports'
import { KEYS_USAGE, keysCommand } from './cli/keys'
import { LEDGER_USAGE, ledgerCommand } from './cli/ledger'
import { LINES_USAGE, linesCommand } from './cli/lines'
import { OPERATORS_USAGE, TOTP_USAGE, operatorsCommand, totpCommand } from './cli/operators'
import { RECONCILE_USAGE, reconcileCommand } from './cli/reconcile'
import { REMIND_USAGE, remindCommand } from './cli/remind'
import { SCHEMA_USAGE, schemaCommand } from './cli/schema'
import { VERIFY_USAGE, verifyCommand } from './cli/verify'
import { LocalSecrets, ephemeralKeyring, loadOrCreateSecret } from '../server/local/adapters/basics'

const quietLog = { info() {}, warn() {}, error() {} }
const dbFile = process.env.KAITONG_DB ?? path.join('.data', 'kaitong.db')

const COMMANDS: Record<string, (argv: string[], now: number) => CliResult | Promise<CliResult>> = {
  quote,
  evaluate: evaluateCommand,
  schema: schemaCommand,
  remind: (argv, now) => remindCommand(argv, now, (at) => localPorts({ dbFile, now: () => at, log: quietLog })),
  keys: (argv) => keysCommand(argv, () => localPorts({ dbFile, log: quietLog }), localDataDir({ dbFile })),
  lines: (argv) => linesCommand(argv, () => localPorts({ dbFile, log: quietLog })),
  operators: (argv) => operatorsCommand(argv, () => localPorts({ dbFile, log: quietLog })),
  totp: (argv, now) => totpCommand(argv, now),
  // Reads only: a mistyped $KAITONG_DB is an error, never a new empty database whose books "balance".
  ledger: (argv) =>
    fs.existsSync(dbFile)
      ? ledgerCommand(
          argv,
          () => ({ store: new SqliteStore(dbFile, INDEXES) }),
          path.join(path.dirname(dbFile), 'journal.ledger'),
        )
      : noDatabase(),
  // Public keys only: the local cloud's own, unless --key names the published ones.
  verify: (argv) =>
    verifyCommand(argv, () => {
      // The local cloud's own key, if there is one: never a new secret made just to check against.
      const dir = localDataDir({ dbFile })
      if (!fs.existsSync(path.join(dir, 'secret.key')))
        throw new Error(`no local cloud in ${dir}: pass --key <the lender's /.well-known/kaitong-signing-key>`)
      return new LocalSecrets(loadOrCreateSecret(dir), ephemeralKeyring()).signingKeys()
    }),
  reconcile: (argv) =>
    fs.existsSync(dbFile) ? reconcileCommand(argv, () => localPorts({ dbFile, log: quietLog })) : noDatabase(),
}

function noDatabase(): CliResult {
  return { exitCode: 1, output: { error: { code: 'NOT_FOUND', message: `no database at ${dbFile} (set KAITONG_DB)` } } }
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv
  const run = command ? COMMANDS[command] : undefined
  if (!run) {
    process.stderr.write(
      `usage:\n  ${QUOTE_USAGE}\n  ${EVALUATE_USAGE}\n  ${SCHEMA_USAGE}\n  ${REMIND_USAGE}\n  ${KEYS_USAGE}\n  ${LINES_USAGE}\n  ${OPERATORS_USAGE}\n  ${TOTP_USAGE}\n  ${LEDGER_USAGE}\n  ${RECONCILE_USAGE}\n  ${VERIFY_USAGE}\n`,
    )
    process.stdout.write(
      `${JSON.stringify({ error: { code: 'USAGE', message: `unknown command: ${command ?? '(none)'}` } })}\n`,
    )
    return 2
  }
  const result = await run(rest, Date.now())
  process.stdout.write(`${JSON.stringify(result.output, null, 2)}\n`)
  return result.exitCode
}

void main(process.argv.slice(2)).then((code) => {
  process.exitCode = code
})
