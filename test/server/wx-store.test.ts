import { WxStore } from '../../server/wechat/store'
import { makeWxDbStandIn } from '../support/wx-db-standin'
import { CONTRACT_INDEXES, describeStoreContract } from './store-contract'

describeStoreContract('WeChat adapter over an in-memory stand-in of the wx-server-sdk database', () => ({
  store: new WxStore(makeWxDbStandIn(), CONTRACT_INDEXES),
}))

describe('WeChat store document layout', () => {
  it('stores { _id, v, d } so that compare-and-set is a conditional update on v', async () => {
    const db = makeWxDbStandIn()
    const store = new WxStore(db, CONTRACT_INDEXES)
    await store.insert('things', 'a', { owner: 'x', at: 1, meta: { kind: 'k' } })
    await store.update('things', 'a', 1, { owner: 'y', at: 2, meta: { kind: 'k' } })
    expect(db.collections.get('things')!.get('a')).toEqual({
      _id: 'a',
      v: 2,
      d: { owner: 'y', at: 2, meta: { kind: 'k' } },
    })
  })
})
