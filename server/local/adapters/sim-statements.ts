// The simulated providers' statements (对账单): a row for each movement of money — an order paid,
// a debit taken, a refund sent — written in the same transaction as the change it records, as a
// provider's own ledger is, and read back a China calendar day at a time, the way WeChat Pay's
// bill and the gateway's debit file are: each order or debit with money in or back that day.
import { chinaDateString } from '../../../src/domain/china-time'
import type { StatementLine } from '../../../src/domain/reconcile'
import type { Doc, IndexSpec, Store, StoreTx } from '../../ports'

export const SIM_STATEMENTS = 'simStatements'

export type SimChannel = 'wechatPay' | 'cardDebit'

export interface SimStatementRow {
  /** `<channel>:<China day>`: the statement it is on. */
  key: string
  /** Epoch ms, zero-padded, then the row's id: one order for the day's rows, unique for paging. */
  sortKey: string
  /** The order number (WeChat Pay) or debit id (card debits). */
  ref: string
  transactionId: string | null
  kind: 'received' | 'refunded'
  fen: number
  at: number
  /** When the order was paid (or the debit taken). */
  paidAt: number
}

/** The simulators' own indexes (the local store declares them beside the schema's). */
export const SIM_INDEXES: IndexSpec[] = [{ collection: SIM_STATEMENTS, name: 'byDay', eq: 'key', range: 'sortKey' }]

/** A movement's statement row: its id (once per movement) and the row, on the China day of its time. */
export function movementRow(
  channel: SimChannel,
  movementId: string,
  row: Omit<SimStatementRow, 'key' | 'sortKey'>,
): { id: string; data: SimStatementRow } {
  const id = `${channel}:${movementId}`
  return {
    id,
    data: {
      ...row,
      key: `${channel}:${chinaDateString(row.at)}`,
      sortKey: `${String(row.at).padStart(15, '0')}:${id}`,
    },
  }
}

/** Records a movement on its day's statement, inside the transaction that made it; once per `movementId`. */
export async function recordMovement(
  tx: StoreTx,
  channel: SimChannel,
  movementId: string,
  row: Omit<SimStatementRow, 'key' | 'sortKey'>,
): Promise<void> {
  const r = movementRow(channel, movementId, row)
  await tx.insert<SimStatementRow>(SIM_STATEMENTS, r.id, r.data)
}

/** A channel's statement for a China calendar day: per order or debit, what came in and what went back that day. */
export async function simStatement(store: Store, channel: SimChannel, date: string): Promise<StatementLine[]> {
  const lines = new Map<string, StatementLine>()
  let after: string | null = null
  for (;;) {
    const page: Doc<SimStatementRow>[] = await store.query<SimStatementRow>(SIM_STATEMENTS, {
      index: 'byDay',
      eq: `${channel}:${date}`,
      ...(after !== null ? { gte: after } : {}),
      limit: 1000,
      order: 'asc',
    })
    const fresh = page.filter((d) => d.data.sortKey !== after)
    for (const { data: r } of fresh) {
      const line = lines.get(r.ref) ?? {
        outTradeNo: r.ref,
        transactionId: r.transactionId,
        receivedFen: 0,
        refundedFen: 0,
        paidAt: r.paidAt,
      }
      if (r.kind === 'received') line.receivedFen += r.fen
      else line.refundedFen += r.fen
      lines.set(r.ref, line)
    }
    if (page.length < 1000 || fresh.length === 0) break
    after = page[page.length - 1].data.sortKey
  }
  return [...lines.values()]
}
