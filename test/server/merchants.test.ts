import type { ResolveResult } from '../../src/api'
import { seedOperator } from '../../server/app/merchants'
import { makeTestCloud, type TestCloud } from '../support/cloud'

let cloud: TestCloud
beforeEach(async () => {
  cloud = await makeTestCloud()
})
afterEach(() => cloud.close())

const resolve = (scene: string, user = 'alice') =>
  cloud.call<ResolveResult>('merchants', 'resolve', { scene }, { user })
const ignored = async () =>
  (
    await cloud.ports.store.query<{ fields: { problem: string } }>('events', {
      index: 'byType',
      eq: 'scene_ignored',
      limit: 50,
    })
  ).map((e) => e.data.fields.problem)

describe('merchants.resolve', () => {
  it('a seeded demo merchant resolves to its name', async () => {
    expect(await resolve('m=cafe01')).toEqual({
      ok: true,
      data: { merchant: { code: 'cafe01', name: '街角咖啡（演示商户）' } },
    })
  })

  it('the first merchant a user arrived through is kept for attribution', async () => {
    await resolve('m=cafe01')
    await resolve('m=mart02')
    const user = await cloud.ports.store.get<{ entryMerchant: string }>('users', 'o_dev_alice')
    expect(user?.data.entryMerchant).toBe('cafe01')
  })

  it.each([
    ['m=zzz999', 'UNKNOWN'],
    ['cafe01', 'MALFORMED'],
    ['m=' + 'x'.repeat(40), 'TOO_LONG'],
    ['m=咖啡', 'BAD_CHARS'],
  ])('%j is ignored for the user (merchant null) and logged as %s', async (scene, problem) => {
    expect(await resolve(scene)).toEqual({ ok: true, data: { merchant: null } })
    expect(await ignored()).toEqual([problem])
    expect(await cloud.ports.store.get('users', 'o_dev_alice')).toBeNull()
  })

  it('a disabled merchant is ignored and logged', async () => {
    const doc = await cloud.ports.store.get<Record<string, unknown>>('merchants', 'mart02')
    await cloud.ports.store.update('merchants', 'mart02', doc!.version, { ...doc!.data, enabled: false })
    expect(await resolve('m=mart02')).toEqual({ ok: true, data: { merchant: null } })
    expect(await ignored()).toEqual(['DISABLED'])
  })

  it('a plain open (no scene) is the normal flow and logs nothing', async () => {
    expect(await resolve('')).toEqual({ ok: true, data: { merchant: null } })
    expect(await ignored()).toEqual([])
  })

  it('a scene longer than the envelope allows is a typed error, not a crash', async () => {
    expect(await resolve('m='.padEnd(300, 'x'))).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', field: 'scene' },
    })
  })
})

describe('merchants.createCode (operators only)', () => {
  const create = (user: string, merchantCode = 'noodle7', name = '面馆七号（演示）') =>
    cloud.call<{
      merchant: { code: string }
      scene: string
      page: string
      image: { contentType: string; base64: string }
    }>('merchants', 'createCode', { merchantCode, name }, { user })

  it('anyone who is not an operator gets FORBIDDEN', async () => {
    expect(await create('alice')).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
  })

  it('an operator registers the merchant and gets a PNG code for its scene; the code resolves', async () => {
    await seedOperator(cloud.ports.store, 'o_dev_operator', cloud.ports.clock.now())
    const r = await create('operator')
    if (!r.ok) throw new Error(r.error.code)
    expect(r.data).toMatchObject({
      merchant: { code: 'noodle7' },
      scene: 'm=noodle7',
      page: 'pages/index/index',
      image: { contentType: 'image/png' },
    })
    expect(Buffer.from(r.data.image.base64, 'base64').subarray(0, 8)).toEqual(
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    )
    expect(cloud.ports.codes.urlFor(r.data.scene, r.data.page)).toMatch(/\?scene=m%3Dnoodle7#\/pages\/index\/index$/)
    expect(await resolve('m=noodle7')).toEqual({
      ok: true,
      data: { merchant: { code: 'noodle7', name: '面馆七号（演示）' } },
    })
  })

  it('a malformed merchant code is a typed INVALID_INPUT', async () => {
    await seedOperator(cloud.ports.store, 'o_dev_operator', cloud.ports.clock.now())
    expect(await create('operator', 'a b')).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', field: 'merchantCode' },
    })
  })
})
