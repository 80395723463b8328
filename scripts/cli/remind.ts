// `kaitong remind --dry-run [--at <ISO time>]`: what the reminder job would send now (or at a
// given time) from the local database, to whom (masked) and through which channel. Sends nothing.
import { runReminders } from '../../server/app/reminders'
import type { Ports } from '../../server/ports'
import { parseFlags } from './args'
import type { CliResult } from './quote'

export const REMIND_USAGE = 'kaitong remind --dry-run [--at <ISO time>]   (reads $KAITONG_DB, default .data/kaitong.db)'

const maskOpenid = (o: string) => (o.length <= 6 ? '***' : `${o.slice(0, 3)}***${o.slice(-3)}`)

export async function remindCommand(argv: string[], now: number, portsAt: (at: number) => Ports): Promise<CliResult> {
  const dry = argv.includes('--dry-run')
  const parsed = parseFlags(
    argv.filter((a) => a !== '--dry-run'),
    ['at'],
  )
  if (!parsed.ok || !dry)
    return {
      exitCode: 1,
      output: {
        error: {
          code: 'USAGE',
          message: `${parsed.ok ? 'only --dry-run is supported here; the timer sends' : parsed.message}\nusage: ${REMIND_USAGE}`,
        },
      },
    }
  const at = parsed.flags.at !== undefined ? Date.parse(parsed.flags.at) : now
  if (Number.isNaN(at))
    return { exitCode: 1, output: { error: { code: 'INVALID_DATE', message: '--at must be an ISO time' } } }
  const ports = portsAt(at)
  const planned: Array<Record<string, unknown>> = []
  const report = await runReminders(ports, {
    outOfTime: () => false,
    dryRun: true,
    onPlanned: (p) =>
      planned.push({
        to: maskOpenid(p.openid),
        loan: p.reminder.loanId,
        installment: p.reminder.n,
        kind: p.reminder.kind,
        dueDate: p.reminder.dueDate,
        amountFen: p.reminder.amountFen,
        product: p.product,
        risk: p.risk,
        channel: p.channel,
      }),
  })
  return {
    exitCode: 0,
    output: {
      at: new Date(at).toISOString(),
      quietHours: report.quiet,
      wouldSend: planned,
      deadClaims: report.deadClaims,
    },
  }
}
