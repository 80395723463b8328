import { WechatNotifier } from '../../server/wechat/notifier'
import { OUTBOX } from '../../server/local/adapters/outbox'
import { makeTestCloud } from '../support/cloud'

const message = {
  openid: 'o_x',
  templateId: 'tpl_1',
  page: 'pages/index/index',
  data: { thing1: { value: '本期应还' } },
}

describe('WeChat notifier (subscribeMessage.send)', () => {
  it('a send that works is ok, and carries the openid as touser', async () => {
    const calls: unknown[] = []
    const n = new WechatNotifier(() => ({ send: async (o) => (calls.push(o), { errCode: 0 }) }))
    expect(await n.send(message)).toEqual({ ok: true })
    expect(calls).toEqual([expect.objectContaining({ touser: 'o_x', templateId: 'tpl_1', miniprogramState: 'formal' })])
  })

  it('43101 (refused or no grant left) is NO_GRANT, whether returned or thrown; other codes are FAILED', async () => {
    const thrown = Object.assign(new Error('openapi.subscribeMessage.send:fail user refuse to accept the msg'), {
      errCode: 43101,
    })
    expect(await new WechatNotifier(() => ({ send: async () => Promise.reject(thrown) })).send(message)).toMatchObject({
      ok: false,
      reason: 'NO_GRANT',
    })
    expect(await new WechatNotifier(() => ({ send: async () => ({ errCode: 43101 }) })).send(message)).toMatchObject({
      ok: false,
      reason: 'NO_GRANT',
    })
    expect(
      await new WechatNotifier(() => ({ send: async () => ({ errCode: 47003, errMsg: 'argument invalid' }) })).send(
        message,
      ),
    ).toMatchObject({ ok: false, reason: 'FAILED', detail: expect.stringContaining('47003') })
  })
})

describe('local notifier', () => {
  it('writes each message to the outbox', async () => {
    const cloud = await makeTestCloud()
    expect(await cloud.ports.notifier.send(message)).toEqual({ ok: true })
    expect(cloud.dump()).toContain(`${OUTBOX}/`)
    cloud.close()
  })
})
