// Append-only operational events (ignored scenes, decisions), for operators and audit.
import type { Ports } from '../ports'
import { COLLECTIONS } from '../schema'

export interface EventDoc {
  type: string
  at: number
  openid: string | null
  fields: Record<string, unknown>
}

export async function recordEvent(
  ports: Pick<Ports, 'store' | 'ids' | 'clock' | 'log'>,
  type: string,
  openid: string | null,
  fields: Record<string, unknown>,
): Promise<void> {
  const at = ports.clock.now()
  await ports.store.insert<EventDoc>(COLLECTIONS.events, ports.ids.next('ev'), { type, at, openid, fields })
  ports.log.info(type, fields)
}
