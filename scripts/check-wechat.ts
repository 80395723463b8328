// `npm run check:wechat`: a live check of the WeChat adapters against a real cloud environment.
// Needs real credentials and the network, so it is not part of `npm test`. It runs the Store
// primitives on a scratch collection and fetches an access token; it changes nothing else.
//   WX_CLOUD_ENV, TENCENTCLOUD_SECRETID, TENCENTCLOUD_SECRETKEY   (wx-server-sdk outside WeChat)
//   WX_APPID, WX_APPSECRET                                         (access token for face v2)
import crypto from 'node:crypto'
import * as cloud from 'wx-server-sdk'
import { AccessTokens } from '../server/wechat/face'
import { WxStore, type WxDatabase } from '../server/wechat/store'

const NEEDED = ['WX_CLOUD_ENV', 'TENCENTCLOUD_SECRETID', 'TENCENTCLOUD_SECRETKEY', 'WX_APPID', 'WX_APPSECRET']

async function main(): Promise<number> {
  const missing = NEEDED.filter((k) => !process.env[k])
  if (missing.length > 0) {
    console.error(`check:wechat needs real credentials; missing: ${missing.join(', ')}`)
    return 2
  }
  const env = process.env as Record<string, string>
  cloud.init({
    env: env.WX_CLOUD_ENV,
    secretId: env.TENCENTCLOUD_SECRETID,
    secretKey: env.TENCENTCLOUD_SECRETKEY,
  } as never)
  const store = new WxStore(cloud.database() as unknown as WxDatabase, [
    { collection: 'kaitong_check', name: 'byRun', eq: 'run' },
  ])
  const run = crypto.randomBytes(6).toString('hex')
  const id = `check_${run}`
  const step = async (name: string, f: () => Promise<boolean>) => {
    const ok = await f().catch((e: unknown) => (console.error(`  ${name}: ${(e as Error).message}`), false))
    console.log(`${ok ? 'ok  ' : 'FAIL'} ${name}`)
    return ok
  }
  const results = [
    await step('insert', async () => (await store.insert('kaitong_check', id, { run, n: 1 })).ok),
    await step(
      'insert of the same id is DUPLICATE',
      async () => !(await store.insert('kaitong_check', id, { run, n: 2 })).ok,
    ),
    await step(
      'compare-and-set at the current version',
      async () => (await store.update('kaitong_check', id, 1, { run, n: 3 })).ok,
    ),
    await step('compare-and-set at a stale version is CONFLICT', async () => {
      const r = await store.update('kaitong_check', id, 1, { run, n: 4 })
      return !r.ok && r.reason === 'CONFLICT'
    }),
    await step(
      'query on an index',
      async () => (await store.query('kaitong_check', { index: 'byRun', eq: run, limit: 10 })).length === 1,
    ),
    await step('remove at the current version', async () => store.remove('kaitong_check', id, 2)),
    await step(
      'access token (face v2)',
      async () => (await new AccessTokens(env.WX_APPID, env.WX_APPSECRET, Date.now).get()).length > 0,
    ),
  ]
  return results.every(Boolean) ? 0 : 1
}

main().then((code) => process.exit(code))
