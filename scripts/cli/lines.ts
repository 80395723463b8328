// `kaitong lines --user <openid>`: a person's lines and their history (额度记录) from the local
// database, for an operator answering "why can I not borrow?". Reads only.
import { lineHistory, lineView, type LineDoc } from '../../server/app/lines'
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
    const histories = new Map(
      await Promise.all(docs.map(async (d) => [d.id, await lineHistory(ports.store, d.id)] as const)),
    )
    return {
      exitCode: 0,
      output: {
        user,
        lines: docs.map(({ id, data }) => ({
          ...lineView(data),
          history: histories.get(id)!.map((c) => ({ ...c, at: new Date(c.at).toISOString() })),
        })),
      },
    }
  } finally {
    ports.store.close()
  }
}
