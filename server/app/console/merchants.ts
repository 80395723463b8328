// 商户: create a merchant and its mini-program code, enable or disable it, and read its funnel.
import { fail, ok, type ApiResult } from '../../../src/api'
import {
  FUNNEL_STEPS,
  type ConsoleInput,
  type ConsoleOutput,
  type Funnel,
  type MerchantRow,
} from '../../../src/api/console'
import { DAY_MS } from '../../../src/domain/china-time'
import { encodeScene } from '../../../src/domain/scene'
import type { Ports } from '../../ports'
import { COLLECTIONS } from '../../schema'
import { emptyCounts, funnelDayId, type FunnelDayDoc } from '../funnel'
import { MERCHANT_CODE_PAGE, type MerchantDoc } from '../merchants'
import type { OperatorCaller } from './operators'

const row = (d: MerchantDoc): MerchantRow => ({
  code: d.code,
  name: d.name,
  enabled: d.enabled,
  createdAt: d.createdAt,
})

/** At most this many days in one funnel (a quarter). */
export const MAX_FUNNEL_DAYS = 92

export async function list(ports: Ports): Promise<ApiResult<MerchantRow[]>> {
  const docs = await ports.store.query<MerchantDoc>(COLLECTIONS.merchants, { index: 'byAll', eq: 1, limit: 1000 })
  return ok(docs.map((d) => row(d.data)))
}

export async function create(
  ports: Ports,
  _caller: OperatorCaller,
  input: ConsoleInput<'merchants.create'>,
): Promise<ApiResult<MerchantRow>> {
  const doc: MerchantDoc = {
    code: input.merchantCode,
    name: input.name,
    enabled: true,
    createdAt: ports.clock.now(),
    all: 1,
  }
  const made = await ports.store.insert<MerchantDoc>(COLLECTIONS.merchants, input.merchantCode, doc)
  if (!made.ok) return fail('OPERATOR_EXISTS', { field: 'merchantCode', message: '该商户编码已存在，请换一个。' })
  return ok(row(doc))
}

export async function setEnabled(
  ports: Ports,
  _caller: OperatorCaller,
  input: ConsoleInput<'merchants.setEnabled'>,
): Promise<ApiResult<MerchantRow>> {
  for (let i = 0; i < 3; i++) {
    const doc = await ports.store.get<MerchantDoc>(COLLECTIONS.merchants, input.merchantCode)
    if (!doc) return fail('NOT_FOUND', { field: 'merchantCode' })
    const next = { ...doc.data, enabled: input.enabled, all: 1 as const }
    if ((await ports.store.update(COLLECTIONS.merchants, doc.id, doc.version, next)).ok) return ok(row(next))
  }
  return fail('CONFLICT')
}

export async function code(
  ports: Ports,
  _caller: OperatorCaller,
  input: ConsoleInput<'merchants.code'>,
): Promise<ApiResult<ConsoleOutput<'merchants.code'>>> {
  const doc = await ports.store.get<MerchantDoc>(COLLECTIONS.merchants, input.merchantCode)
  if (!doc) return fail('NOT_FOUND', { field: 'merchantCode' })
  const scene = encodeScene({ merchantCode: input.merchantCode })
  const image = await ports.codes.create(scene, MERCHANT_CODE_PAGE)
  return ok({
    merchantCode: input.merchantCode,
    scene,
    page: MERCHANT_CODE_PAGE,
    image: { contentType: image.contentType, base64: Buffer.from(image.bytes).toString('base64') },
  })
}

/** The funnel from `from` to `to` (China days, both included): each day's counts, the totals, each step's conversion. */
export async function funnel(
  ports: Ports,
  _caller: OperatorCaller,
  input: ConsoleInput<'merchants.funnel'>,
): Promise<ApiResult<Funnel>> {
  const start = Date.parse(`${input.from}T00:00:00Z`)
  const end = Date.parse(`${input.to}T00:00:00Z`)
  if (Number.isNaN(start) || Number.isNaN(end) || end < start)
    return fail('INVALID_DATE', {
      field: 'to',
      message: '日期范围不正确：from 与 to 须为 YYYY-MM-DD，且 to 不早于 from。',
    })
  const n = (end - start) / DAY_MS + 1
  if (n > MAX_FUNNEL_DAYS) return fail('INVALID_DATE', { field: 'to', message: `一次最多查看 ${MAX_FUNNEL_DAYS} 天。` })
  if (!(await ports.store.get(COLLECTIONS.merchants, input.merchantCode)))
    return fail('NOT_FOUND', { field: 'merchantCode' })
  const dayList = Array.from({ length: n }, (_, i) => new Date(start + i * DAY_MS).toISOString().slice(0, 10))
  const docs = await Promise.all(
    dayList.map((day) => ports.store.get<FunnelDayDoc>(COLLECTIONS.funnelDays, funnelDayId(input.merchantCode, day))),
  )
  const days = dayList.map((day, i) => {
    const counts = emptyCounts()
    for (const s of FUNNEL_STEPS) counts[s] = docs[i]?.data[s] ?? 0
    return { day, ...counts }
  })
  const totals = emptyCounts()
  for (const d of days) for (const s of FUNNEL_STEPS) totals[s] += d[s]
  const conversion = Object.fromEntries(
    FUNNEL_STEPS.map((s, i) => {
      if (i === 0) return [s, null]
      const before = totals[FUNNEL_STEPS[i - 1]]
      return [s, before === 0 ? null : Math.round((totals[s] / before) * 1000) / 10]
    }),
  ) as Funnel['conversion']
  return ok({ merchantCode: input.merchantCode, days, totals, conversion })
}
