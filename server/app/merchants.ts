// Merchant codes: resolve a scanned scene to a merchant, never trusting it beyond a look-up.
import { fail, ok, type ResolveResult } from '../../src/api'
import { encodeScene, parseScene } from '../../src/domain/scene'
import type { Store } from '../ports'
import { recordEvent } from './events'
import { countFunnel } from './funnel'
import { COLLECTIONS } from '../schema'
import { changeUser } from './users'
import { requireUser } from './guard'
import type { UseCase } from './use-case'

export interface MerchantDoc {
  code: string
  name: string
  enabled: boolean
  createdAt: number
  /** Always 1: the console lists every merchant by it (merchants written before 2026-12-02 lack it until changed). */
  all?: 1
}

export const DEMO_MERCHANTS: Array<Pick<MerchantDoc, 'code' | 'name'>> = [
  { code: 'cafe01', name: '街角咖啡（演示商户）' },
  { code: 'mart02', name: '青禾便利店（演示商户）' },
]

/** Inserts the demo merchants unless they exist; safe on every start. */
export async function seedDemoMerchants(store: Store, now: number): Promise<void> {
  for (const m of DEMO_MERCHANTS) {
    const made = await store.insert<MerchantDoc>(COLLECTIONS.merchants, m.code, {
      ...m,
      enabled: true,
      createdAt: now,
      all: 1,
    })
    // A demo merchant seeded before the console listed merchants gets its listing field.
    if (!made.ok) {
      const doc = await store.get<MerchantDoc>(COLLECTIONS.merchants, m.code)
      if (doc && doc.data.all !== 1)
        await store.update(COLLECTIONS.merchants, m.code, doc.version, { ...doc.data, all: 1 })
    }
  }
}

export const resolveMerchant: UseCase<'merchants', 'resolve'> = async (ports, openid, input) => {
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
  // An entry counts for the merchant the person is attributed to (the first whose code they scanned).
  await countFunnel(ports, openid, 'entry')
  return ok({ merchant: { code: doc.data.code, name: doc.data.name } })
}

/** The page a merchant code opens (WeChat: no query string; the scene carries the merchant). */
export const MERCHANT_CODE_PAGE = 'pages/index/index'

export const createCode: UseCase<'merchants', 'createCode'> = async (ports, openid, input) => {
  const operator = await requireUser(ports, openid, { operator: true, agreements: false })
  if (!operator.ok) return operator
  const now = ports.clock.now()
  for (let i = 0; i < 5; i++) {
    const existing = await ports.store.get<MerchantDoc>(COLLECTIONS.merchants, input.merchantCode)
    const next: MerchantDoc = {
      code: input.merchantCode,
      name: input.name,
      enabled: true,
      createdAt: existing?.data.createdAt ?? now,
      all: 1,
    }
    const saved = existing
      ? await ports.store.update(COLLECTIONS.merchants, input.merchantCode, existing.version, next)
      : await ports.store.insert(COLLECTIONS.merchants, input.merchantCode, next)
    if (saved.ok) break
    if (i === 4) return fail('CONFLICT')
  }
  const scene = encodeScene({ merchantCode: input.merchantCode })
  const image = await ports.codes.create(scene, MERCHANT_CODE_PAGE)
  ports.log.info('merchant_code_created', { merchant: input.merchantCode, by: openid })
  return ok({
    merchant: { code: input.merchantCode, name: input.name },
    scene,
    page: MERCHANT_CODE_PAGE,
    image: { contentType: image.contentType, base64: Buffer.from(image.bytes).toString('base64') },
  })
}

/** Makes `openid` an operator (the local cloud seeds its dev operator; WeChat operators are added in the console). */
export async function seedOperator(store: Store, openid: string, now: number): Promise<void> {
  await store.insert(COLLECTIONS.operators, openid, { openid, addedAt: now })
}
