// `kaitong lines --user <openid>`: a person's lines and their history (额度记录) from the local
// database, for an operator answering "why can I not borrow?". Reads only.
import { lineView, type LineDoc } from '../../server/app/lines'
import type { Ports } from '../../server/ports'
import { COLLECTIONS } from '../../server/schema'
import { parseFlags } from './args'
import type { CliResult } from './quote'

export const LINES_USAGE = 'kaitong lines --user <openid>   (reads $KAITONG_DB, default .data/kaitong.db)'

export async function linesCommand(
  argv: string[],
  open: () => Ports & { store: { close(): void } },
): Promise<CliResult> {
  const parsed = parseFlags(argv, ['user'])
  const user = parsed.ok ? parsed.flags.user?.trim() : undefined
  if (!parsed.ok || !user)
    return {
      exitCode: 1,
      output: {
        error: {
          code: 'USAGE',
          message: `${parsed.ok ? '--user is required' : parsed.message}\nusage: ${LINES_USAGE}`,
        },
      },
    }
  const ports = open()
  try {
    const docs = await ports.store.query<LineDoc>(COLLECTIONS.lines, { index: 'byOpenid', eq: user, limit: 100 })
    return {
      exitCode: 0,
      output: {
        user,
        lines: docs.map(({ data }) => ({
          ...lineView(data),
          history: data.line.history.map((c) => ({ ...c, at: new Date(c.at).toISOString() })),
        })),
      },
    }
  } finally {
    ports.store.close()
  }
}
