// `kaitong reconcile --date YYYY-MM-DD`: each money channel's statement for a China calendar day
// against the journal, payment by payment (server/app/reconciliation.ts, as the console's 账务
// shows it) — WeChat Pay's bill against its clearing account, the lender gateway's debit file
// against theirs: matched, missing on either side, differing — printed, exit 1 when anything does
// not match. Locally the statements are the simulators' (in the same database file).
import { chinaDay } from '../../src/domain/china-time'
import { reconcileDay } from '../../server/app/reconciliation'
import { StatementUnavailable, type Ports } from '../../server/ports'
import { parseFlags } from './args'
import type { CliResult } from './quote'

export const RECONCILE_USAGE =
  'kaitong reconcile --date YYYY-MM-DD   ($KAITONG_DB: the simulated WeChat Pay and card-debit statements against the journal)'

export async function reconcileCommand(
  argv: string[],
  open: () => Ports & { store: { close(): void } },
): Promise<CliResult> {
  const flags = parseFlags(argv, ['date'])
  const usage = (message: string): CliResult => ({
    exitCode: 1,
    output: { error: { code: 'USAGE', message: `${message}\nusage: ${RECONCILE_USAGE}` } },
  })
  if (!flags.ok) return usage(flags.message)
  const date = flags.flags.date
  if (!date || !chinaDay(date)) return usage('--date YYYY-MM-DD (a China calendar day)')
  const ports = open()
  try {
    const r = await reconcileDay(ports, date)
    const [wechatPay, cardDebits] = r.channels
    return {
      exitCode: r.clean ? 0 : 1,
      output: { date, dayClosed: r.dayClosed, clean: r.clean, wechatPay, cardDebits },
    }
  } catch (error) {
    if (!(error instanceof StatementUnavailable)) throw error
    return { exitCode: 1, output: { error: { code: 'STATEMENT_UNAVAILABLE', message: error.message } } }
  } finally {
    ports.store.close()
  }
}
