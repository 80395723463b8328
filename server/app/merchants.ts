// Merchant codes: resolve a scanned scene to a merchant, never trusting it beyond a look-up.
import { ok, type ApiResult, type ResolveResult } from '../../src/api'
import { parseScene } from '../../src/domain/scene'
import type { Ports, Store } from '../ports'
import { recordEvent } from './events'
import { COLLECTIONS } from './schema'
import { changeUser } from './users'

export interface MerchantDoc {
  code: string
  name: string
  enabled: boolean
  createdAt: number
}

export const DEMO_MERCHANTS: Array<Pick<MerchantDoc, 'code' | 'name'>> = [
  { code: 'cafe01', name: '街角咖啡（演示商户）' },
  { code: 'mart02', name: '青禾便利店（演示商户）' },
]

/** Inserts the demo merchants unless they exist; safe on every start. */
export async function seedDemoMerchants(store: Store, now: number): Promise<void> {
  for (const m of DEMO_MERCHANTS) {
    await store.insert<MerchantDoc>(COLLECTIONS.merchants, m.code, { ...m, enabled: true, createdAt: now })
  }
}

export async function resolveMerchant(
  ports: Ports,
  openid: string,
  input: { scene: string },
): Promise<ApiResult<ResolveResult>> {
  if (input.scene === '') return ok({ merchant: null })
  const parsed = parseScene(input.scene)
  // Logged, never shown: a bad or unknown code must not stop the user's normal flow.
  const ignore = async (problem: string) => {
    await recordEvent(ports, 'scene_ignored', openid, { problem, scene: input.scene.slice(0, 64) })
    return ok<ResolveResult>({ merchant: null })
  }
  if (!parsed.ok) return ignore(parsed.problem)
  const doc = await ports.store.get<MerchantDoc>(COLLECTIONS.merchants, parsed.merchantCode)
  if (!doc) return ignore('UNKNOWN')
  if (!doc.data.enabled) return ignore('DISABLED')
  const now = ports.clock.now()
  // First merchant wins the attribution; later scans do not move it.
  await changeUser(ports.store, openid, now, (user) =>
    user.entryMerchant ? { stop: null } : { write: { ...user, entryMerchant: doc.data.code }, result: null },
  )
  return ok({ merchant: { code: doc.data.code, name: doc.data.name } })
}
