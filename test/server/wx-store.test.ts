/**
 * The WeChat database adapter through the real wx-server-sdk, against the local stand-in of WeChat
 * Cloud's protocol: the same contract suite as SQLite, and what the SDK actually sent.
 */
import type { Store } from '../../server/ports'
import { wechatCloudAdapters } from '../../server/wechat/ports'
import { WxStore, type WxDatabase } from '../../server/wechat/store'
import { standinSdk } from '../support/wechat-sdk'
import { CONTRACT_INDEXES, describeStoreContract } from './store-contract'

let env: Awaited<ReturnType<typeof standinSdk>>
beforeAll(async () => {
  env = await standinSdk()
})
afterAll(() => env.standin.close())

const fresh = (): Store => {
  env.fresh(['things', 'others'])
  return wechatCloudAdapters(env.cloud, CONTRACT_INDEXES).store
}

describeStoreContract('WeChat adapter through the real wx-server-sdk and the stand-in', () => ({ store: fresh() }))

describe('the WeChat adapter on the wire', () => {
  it('stores { _id, v, d }; compare-and-set is one conditional update on _id and v', async () => {
    const store = fresh()
    await store.insert('things', 'a', { owner: 'x', at: 1, meta: { kind: 'k' } })
    await store.update('things', 'a', 1, { owner: 'y', at: 2, meta: { kind: 'k' } })
    expect(env.standin.db.documents('things')).toEqual([
      { _id: 'a', v: 2, d: { owner: 'y', at: 2, meta: { kind: 'k' } } },
    ])
    const update = env.standin.calls.find((c) => c.action === 'database.modifyDocument')!
    expect(update.request).toMatchObject({
      queryType: 'WHERE',
      multi: true,
      merge: true,
      query: { _id: 'a', v: 1 },
      data: { $set: { v: 2, d: { owner: 'y', at: 2, meta: { kind: 'k' } } } },
    })
  })

  it('a query pages 100 documents a call, ordered by the index’s range field, until the limit', async () => {
    const store = fresh()
    for (let i = 0; i < 150; i++) await store.insert('things', `t${i}`, { owner: 'o', at: i, meta: { kind: 'k' } })
    env.standin.calls.length = 0
    expect(await store.query('things', { index: 'byOwner', eq: 'o', gte: 10, limit: 120 })).toHaveLength(120)
    expect(env.standin.calls.map((c) => [c.request.offset ?? 0, c.request.limit])).toEqual([
      [0, 100],
      [100, 20],
    ])
    expect(env.standin.calls[0].request).toMatchObject({
      query: { 'd.owner': 'o', 'd.at': { $gte: 10 } },
      order: { 'd.at': 1 },
    })
  })

  it('a transaction commits through db.runTransaction: it re-reads what it saw, then writes, all under one transaction id', async () => {
    const store = fresh()
    await store.insert('things', 'a', { owner: 'x', at: 1, meta: { kind: 'k' } })
    env.standin.calls.length = 0
    await store.transact(async (tx) => {
      const a = (await tx.get<{ at: number }>('things', 'a'))!
      await tx.update('things', 'a', a.version, { ...a.data, at: 2 })
      await tx.insert('things', 'b', { owner: 'x', at: 3, meta: { kind: 'k' } })
    })
    const inTx = env.standin.calls.filter((c) => c.transactionId)
    const id = inTx[0].transactionId
    expect(env.standin.calls.map((c) => c.action)).toEqual([
      'database.getDocument', // the work's read, outside
      'database.getDocument', // b: not there
      'database.startTransaction',
      'database.getDocument', // a and b again, inside: the database checks them at commit
      'database.getDocument',
      'database.modifyDocument',
      'database.modifyDocument',
      'database.commitTransaction',
    ])
    expect(inTx.every((c) => c.transactionId === id)).toBe(true)
    expect(env.standin.db.documents('things')).toEqual([
      { _id: 'a', v: 2, d: { owner: 'x', at: 2, meta: { kind: 'k' } } },
      { _id: 'b', v: 1, d: { owner: 'x', at: 3, meta: { kind: 'k' } } },
    ])
  })

  it('a collection the deployment did not create is an error, never an empty answer', async () => {
    const store = fresh()
    await expect(store.get('missing', 'x')).rejects.toMatchObject({ errCode: -502005 })
    await expect(store.insert('missing', 'x', { owner: 'o' })).rejects.toThrow(/collection not exists/)
  })

  it('on a database opened the SDK’s default way (throwing on a missing document), a missing document is still null', async () => {
    env.fresh(['things'])
    const store = new WxStore(env.cloud.database() as unknown as WxDatabase, CONTRACT_INDEXES)
    // The SDK throws errCode -1, "document with _id x does not exist": the adapter reads that as none…
    await expect((env.cloud.database().collection('things').doc('x') as any).get()).rejects.toMatchObject({
      errCode: -1,
    })
    expect(await store.get('things', 'x')).toBeNull()
    // …but never a missing collection, which it must not mistake for an empty one.
    await expect(store.get('missing', 'x')).rejects.toMatchObject({ errCode: -502005 })
  })

  it('a database that cannot be reached fails the call (no silent null)', async () => {
    const store = fresh()
    env.standin.faults.push({ action: 'database.getDocument', kind: 'error', code: 'SYS_ERR', times: 1 })
    await expect(store.get('things', 'x')).rejects.toMatchObject({ errCode: -501001 })
    env.standin.faults.push({ action: 'database.getDocument', kind: 'http500', times: 1 })
    await expect(store.get('things', 'x')).rejects.toThrow(/document.get:fail/)
    expect(await store.get('things', 'x')).toBeNull()
  })
})
