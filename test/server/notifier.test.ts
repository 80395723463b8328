import { wechatCloudAdapters } from '../../server/wechat/ports'
import { standinSdk } from '../support/wechat-sdk'
import { OUTBOX } from '../../server/local/adapters/outbox'
import { makeTestCloud } from '../support/cloud'

const message = {
  openid: 'o_x',
  templateId: 'tpl_1',
  page: 'pages/index/index',
  data: { thing1: { value: '本期应还' } },
}

// One stand-in for the file: the SDK takes one cloud.init per process.
let env: Awaited<ReturnType<typeof standinSdk>>
beforeAll(async () => {
  env = await standinSdk()
})
afterAll(() => env.standin.close())

describe('WeChat notifier (subscribeMessage.send) through the real wx-server-sdk', () => {
  const notifier = () => wechatCloudAdapters(env.cloud).notifier

  it('with a grant, the message is delivered once, with the openid as touser; the grant is used up', async () => {
    env.standin.openapi.grant('o_x', ['tpl_1'])
    expect(await notifier().send(message)).toEqual({ ok: true })
    expect(env.standin.openapi.sent).toEqual([
      expect.objectContaining({
        touser: 'o_x',
        templateId: 'tpl_1',
        page: 'pages/index/index',
        miniprogramState: 'formal',
      }),
    ])
    // What the SDK put on the wire: snake_case keys, the data as given.
    expect(env.standin.calls.at(-1)).toMatchObject({
      action: 'wx.openApi',
      apiName: 'subscribeMessage.send',
      request: { touser: 'o_x', template_id: 'tpl_1', data: message.data },
    })
    expect(await notifier().send(message)).toMatchObject({
      ok: false,
      reason: 'NO_GRANT',
      detail: expect.stringContaining('43101'),
    })
  })

  it('a value WeChat refuses (a thing over 20 characters) is FAILED with 47003, not NO_GRANT', async () => {
    env.standin.openapi.grant('o_x', ['tpl_1'])
    const long = { ...message, data: { thing1: { value: '这是一条超过二十个字符的提醒内容，微信会拒绝它' } } }
    expect(await notifier().send(long)).toMatchObject({
      ok: false,
      reason: 'FAILED',
      detail: expect.stringContaining('47003'),
    })
    expect(env.standin.openapi.grantsLeft('o_x', 'tpl_1')).toBe(1)
  })

  it('WeChat not answering is FAILED (the reminder stays in the message centre)', async () => {
    env.standin.openapi.grant('o_x', ['tpl_1'])
    env.standin.faults.push({ action: 'wx.openApi', kind: 'error', times: 1 })
    expect(await notifier().send(message)).toMatchObject({ ok: false, reason: 'FAILED' })
  })
})

describe('WeChat mini-program codes (wxacode.getUnlimited) through the real wx-server-sdk', () => {
  it('a scene within WeChat’s rules gives a PNG; one that breaks them (over 32 characters) is an error', async () => {
    const codes = wechatCloudAdapters(env.cloud).codes
    const png = await codes.create('m=cafe01', 'pages/index/index')
    expect(png.contentType).toBe('image/png')
    expect(Buffer.from(png.bytes).subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a')
    expect(env.standin.calls.at(-1)?.request).toMatchObject({
      scene: 'm=cafe01',
      page: 'pages/index/index',
      check_path: false,
    })
    await expect(codes.create('m=' + 'x'.repeat(40), 'pages/index/index')).rejects.toMatchObject({ errCode: 40169 })
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
