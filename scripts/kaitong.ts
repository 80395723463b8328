// The operator CLI: `npm run kaitong -- <command> …`, printing one JSON object.
import { EVALUATE_USAGE, evaluateCommand } from './cli/evaluate'
import { QUOTE_USAGE, quote, type CliResult } from './cli/quote'
import { SCHEMA_USAGE, schemaCommand } from './cli/schema'

const COMMANDS: Record<string, (argv: string[], now: number) => CliResult> = {
  quote,
  evaluate: evaluateCommand,
  schema: schemaCommand,
}

function main(argv: string[]): number {
  const [command, ...rest] = argv
  const run = command ? COMMANDS[command] : undefined
  if (!run) {
    process.stderr.write(`usage:\n  ${QUOTE_USAGE}\n  ${EVALUATE_USAGE}\n  ${SCHEMA_USAGE}\n`)
    process.stdout.write(
      `${JSON.stringify({ error: { code: 'USAGE', message: `unknown command: ${command ?? '(none)'}` } })}\n`,
    )
    return 2
  }
  const result = run(rest, Date.now())
  process.stdout.write(`${JSON.stringify(result.output, null, 2)}\n`)
  return result.exitCode
}

process.exitCode = main(process.argv.slice(2))
