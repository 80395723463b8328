import fs from 'node:fs'
import http from 'node:http'
import os from 'node:os'
import path from 'node:path'
import zlib from 'node:zlib'
import { seedDemoMerchants } from '../../server/app/merchants'
import { createLocalCloud, type LocalCloud } from '../../server/local/runtime/gateway'
import { localPorts, type LocalPorts } from '../../server/local/ports'
import type { GroupCommitFigures } from '../../server/local/adapters/sqlite-store'
import { ALL_AGREEMENTS } from '../support/cloud'
import { NOW } from '../support/factories'
import { listen, postJson } from '../support/http'

const quiet = { info() {}, warn() {}, error() {} }

async function serve(mode: 'local' | 'shared', staticDir?: string) {
  const ports: LocalPorts = localPorts({
    dbFile: ':memory:',
    secretKey: Buffer.alloc(32, 1),
    settings: { aprCapPercent: 24 },
    now: () => NOW,
    log: quiet,
  })
  await seedDemoMerchants(ports.store, NOW)
  const cloud: LocalCloud = createLocalCloud({ ports, mode, staticDir })
  const base = await listen(cloud)
  const post = (p: string, body: unknown, token?: string, raw?: string) => postJson(base, p, body, token, raw)
  const signIn = async (user: string) =>
    (await post('/__dev/signin', { user })).json.data as { token: string; openid: string }
  const close = () => new Promise<void>((r) => cloud.server.close(() => (ports.store.close(), r())))
  return { base, post, signIn, ports, close }
}

describe('local cloud HTTP gateway (local mode)', () => {
  let s: Awaited<ReturnType<typeof serve>>
  beforeAll(async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kt-static-'))
    fs.writeFileSync(path.join(dir, 'index.html'), '<title>Kaitong</title>')
    fs.mkdirSync(path.join(dir, 'js'))
    fs.writeFileSync(path.join(dir, 'js', 'app.js'), 'console.log(1)')
    s = await serve('local', dir)
  })
  afterAll(() => s.close())

  it('GET /healthz answers 200', async () => {
    const res = await fetch(`${s.base}/healthz`)
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({ ok: true, data: { status: 'up' } })
  })

  it('dev sign-in gives a token naming the user; API calls with it act as that user', async () => {
    const { token, openid } = await s.signIn('alice')
    expect(openid).toBe('o_dev_alice')
    const r = await s.post('/api/onboarding', { action: 'status', data: {} }, token)
    expect(r).toMatchObject({ status: 200, json: { ok: true, data: { next: 'agreements' } } })
  })

  it('without a session, or with a forged one: 401 UNAUTHENTICATED', async () => {
    expect(await s.post('/api/onboarding', { action: 'status' })).toMatchObject({
      status: 401,
      json: { error: { code: 'UNAUTHENTICATED' } },
    })
    const { token } = await s.signIn('alice')
    const [payload] = token.split('.')
    const forged =
      Buffer.from(JSON.stringify({ openid: 'o_dev_bob', iat: 1 })).toString('base64url') + '.' + token.split('.')[1]
    expect((await s.post('/api/onboarding', { action: 'status' }, forged)).status).toBe(401)
    expect((await s.post('/api/onboarding', { action: 'status' }, payload)).status).toBe(401)
  })

  it('malformed envelopes are 400 with a typed code; unknown functions 404; domain errors 200', async () => {
    const { token } = await s.signIn('alice')
    expect(await s.post('/api/onboarding', null, token, '{not json')).toMatchObject({
      status: 400,
      json: { error: { code: 'BAD_ENVELOPE' } },
    })
    expect(await s.post('/api/onboarding', [1, 2], token)).toMatchObject({
      status: 400,
      json: { error: { code: 'BAD_ENVELOPE' } },
    })
    expect(await s.post('/api/nothing', { action: 'x' }, token)).toMatchObject({
      status: 404,
      json: { error: { code: 'UNKNOWN_FUNCTION' } },
    })
    expect(
      await s.post(
        '/api/onboarding',
        { action: 'verifyIdentity', requestId: 'req_g_00001', data: { name: 'x', idNumber: '1', mobile: '1' } },
        token,
      ),
    ).toMatchObject({
      status: 200,
      json: { ok: false, error: { code: 'NAME_INVALID' } },
    })
  })

  it('a body over 64 KiB is 413, not a crash', async () => {
    const { token } = await s.signIn('alice')
    const r = await s.post(
      '/api/onboarding',
      null,
      token,
      JSON.stringify({ action: 'status', data: { pad: 'x'.repeat(70_000) } }),
    )
    expect(r).toMatchObject({ status: 413, json: { error: { code: 'PAYLOAD_TOO_LARGE' } } })
  })

  it('an openid in the body does not change who acts', async () => {
    const { token } = await s.signIn('carol')
    await s.post(
      '/api/onboarding',
      {
        action: 'acceptAgreements',
        requestId: 'req_g_00002',
        data: { accepted: ALL_AGREEMENTS, openid: 'o_dev_dave' },
      },
      token,
    )
    const dave = await s.signIn('dave')
    expect(await s.post('/api/onboarding', { action: 'status' }, dave.token)).toMatchObject({
      json: { data: { next: 'agreements' } },
    })
    expect(await s.post('/api/onboarding', { action: 'status' }, token)).toMatchObject({
      json: { data: { next: 'realName' } },
    })
  })

  it('sign-in refuses a bad user name with a typed error', async () => {
    expect(await s.post('/__dev/signin', { user: '../../etc' })).toMatchObject({
      status: 400,
      json: { error: { code: 'INVALID_INPUT' } },
    })
    expect(await s.post('/__dev/signin', { user: 42 })).toMatchObject({ status: 400 })
  })

  it('POST /__dev/clock moves server time forward, and only forward', async () => {
    const { token } = await s.signIn('alice')
    const before = (await s.post('/api/onboarding', { action: 'status' }, token)).json.data.serverTime as number
    expect(await s.post('/__dev/clock', { advanceMs: 86_400_000 })).toMatchObject({
      status: 200,
      json: { data: { now: before + 86_400_000 } },
    })
    expect((await s.post('/api/onboarding', { action: 'status' }, token)).json.data.serverTime).toBe(
      before + 86_400_000,
    )
    expect(await s.post('/__dev/clock', { advanceMs: -1 })).toMatchObject({
      status: 400,
      json: { error: { code: 'INVALID_INPUT' } },
    })
    expect(await s.post('/__dev/clock', { advanceMs: 1.5 })).toMatchObject({ status: 400 })
  })

  it('serves the H5 build, falls back to index.html, and never leaves its folder', async () => {
    const app = await fetch(`${s.base}/js/app.js`)
    expect(app.headers.get('content-type')).toMatch(/javascript/)
    expect(await (await fetch(`${s.base}/some/route`)).text()).toContain('Kaitong')
    const traversal = await fetch(`${s.base}/..%2f..%2f..%2fetc%2fpasswd`)
    expect(await traversal.text()).toContain('Kaitong')
  })

  /** A GET as a browser sends it, the body as it crossed the wire (not decoded). */
  const rawGet = (p: string, acceptEncoding?: string) =>
    new Promise<{ headers: http.IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
      http
        .get(`${s.base}${p}`, { headers: acceptEncoding ? { 'accept-encoding': acceptEncoding } : {} }, (res) => {
          const chunks: Buffer[] = []
          res.on('data', (c: Buffer) => chunks.push(c))
          res.on('end', () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }))
        })
        .on('error', reject)
    })

  it('sends text gzipped to a browser that accepts gzip, and as it is to one that does not', async () => {
    const zipped = await rawGet('/js/app.js', 'gzip, deflate, br')
    expect(zipped.headers['content-encoding']).toBe('gzip')
    expect(zipped.headers.vary).toBe('accept-encoding')
    expect(zlib.gunzipSync(zipped.body).toString()).toBe('console.log(1)')
    const page = await rawGet('/some/route', 'gzip')
    expect(zlib.gunzipSync(page.body).toString()).toContain('Kaitong')
    const plain = await rawGet('/js/app.js')
    expect(plain.headers['content-encoding']).toBeUndefined()
    expect(plain.body.toString()).toBe('console.log(1)')
  })
})

describe('the simulated-profile dev page', () => {
  let s: Awaited<ReturnType<typeof serve>>
  beforeAll(async () => {
    s = await serve('local')
  })
  afterAll(() => s.close())

  const get = async (p: string, token?: string) => {
    const res = await fetch(s.base + p, { headers: token ? { authorization: `Bearer ${token}` } : {} })
    return { status: res.status, type: res.headers.get('content-type') ?? '', text: await res.text() }
  }

  it('serves the page, and the data only to a signed-in user', async () => {
    expect(await get('/__dev/profile')).toMatchObject({
      status: 200,
      type: expect.stringContaining('text/html'),
      text: expect.stringContaining('模拟档案'),
    })
    expect((await get('/__dev/profile/data')).status).toBe(401)
    const { token } = await s.signIn('bob')
    const data = JSON.parse((await get('/__dev/profile/data', token)).text)
    expect(data).toMatchObject({ ok: true, data: { openid: 'o_dev_bob', profile: { payScore: 560 } } })
    expect(JSON.stringify(data)).not.toMatch(/chat/i)
  })

  it('an edit changes what the simulators say; reset restores the persona', async () => {
    const { token } = await s.signIn('bob')
    const profile = JSON.parse((await get('/__dev/profile/data', token)).text).data.profile
    expect(await s.post('/__dev/profile/data', { profile: { ...profile, payScore: 720 } }, token)).toMatchObject({
      status: 200,
      json: { data: { profile: { payScore: 720 } } },
    })
    const bob = { openid: 'o_dev_bob', idHash: '' }
    expect(await s.ports.payScore.assess(bob, 600)).toBe(true)
    expect(await s.post('/__dev/profile/data', { reset: true }, token)).toMatchObject({
      json: { data: { profile: { payScore: 560 } } },
    })
    expect(await s.ports.payScore.assess(bob, 600)).toBe(false)
    // Authorized either way: WeChat Pay's state never says whether the score reaches 600.
    expect(await s.ports.payScore.authorization('o_dev_bob')).toBe('AVAILABLE')
  })

  it('a bad profile is a typed 400 naming the field, and changes nothing', async () => {
    const { token } = await s.signIn('carol')
    const before = (await get('/__dev/profile/data', token)).text
    const profile = JSON.parse(before).data.profile
    const r = await s.post(
      '/__dev/profile/data',
      { profile: { ...profile, consumption: { ...profile.consumption, paymentsPerMonth: -1 } } },
      token,
    )
    expect(r).toMatchObject({
      status: 400,
      json: { error: { code: 'INVALID_INPUT', message: expect.stringContaining('consumption.paymentsPerMonth') } },
    })
    expect((await get('/__dev/profile/data', token)).text).toBe(before)
  })
})

describe('the simulated face sheet: POST /__dev/face/<verifyId>', () => {
  it('sets the outcome for the session’s own user only, and only to a known outcome', async () => {
    const s = await serve('local')
    try {
      const { token } = await s.signIn('alice')
      const cert = { certName: '张三', certNo: '110101199003074514' }
      const { verifyId } = await s.ports.face.start({ outSeqNo: 'seq_00001', openid: 'o_dev_alice', ...cert })
      expect(await s.post(`/__dev/face/${verifyId}`, { outcome: 'pass' }, token)).toMatchObject({
        status: 200,
        json: { data: { outcome: 'pass' } },
      })
      expect(await s.ports.face.query({ verifyId, outSeqNo: 'seq_00001', openid: 'o_dev_alice', ...cert })).toEqual({
        errcode: 0,
        verifyRet: 10000,
      })
      // Another person's certificate for this session: WeChat answers an errcode, never the verdict.
      expect(
        await s.ports.face.query({ verifyId, outSeqNo: 'seq_00001', openid: 'o_dev_alice', ...cert, certName: '李四' }),
      ).toEqual({ errcode: 90201 })
      expect(await s.post(`/__dev/face/${verifyId}`, { outcome: 'win' }, token)).toMatchObject({
        status: 400,
        json: { error: { code: 'INVALID_INPUT' } },
      })
      const bob = await s.signIn('bob')
      expect(await s.post(`/__dev/face/${verifyId}`, { outcome: 'fail' }, bob.token)).toMatchObject({
        status: 404,
        json: { error: { code: 'NOT_FOUND' } },
      })
      expect((await s.post(`/__dev/face/${verifyId}`, { outcome: 'pass' })).status).toBe(401)
    } finally {
      await s.close()
    }
  })
})

describe('local jobs on demand', () => {
  it('POST /__dev/reminders/run runs overdue marking and reminders; GET /__dev/outbox shows what was sent', async () => {
    const s = await serve('local')
    try {
      const r = await s.post('/__dev/reminders/run', {})
      expect(r).toMatchObject({
        status: 200,
        json: { ok: true, data: { overdue: { marked: 0 }, reminders: { due: 0 } } },
      })
      await s.ports.notifier.send({
        openid: 'o_dev_alice',
        templateId: 'tpl_local_due',
        page: 'p',
        data: { thing1: { value: '<b>x</b>' } },
      })
      const page = await fetch(`${s.base}/__dev/outbox`)
      const html = await page.text()
      expect(html).toContain('tpl_local_due')
      expect(html).toContain('&#60;b&#62;x')
    } finally {
      await s.close()
    }
  })

  it("GET /__dev/store shows the store's group commits so far, the writes just made among them", async () => {
    const s = await serve('local')
    try {
      const read = async () =>
        (await (await fetch(`${s.base}/__dev/store`)).json()) as { ok: true; data: GroupCommitFigures }
      const before = await read()
      // Counters only: nothing of anyone's data.
      expect(before).toEqual({
        ok: true,
        data: {
          writer: 'inline',
          groups: expect.any(Number),
          writes: expect.any(Number),
          committingMs: expect.any(Number),
          inFlightMs: expect.any(Number),
        },
      })
      await Promise.all([1, 2, 3].map((i) => s.ports.store.insert('events', `e${i}`, { i })))
      const after = (await read()).data
      expect(after.groups - before.data.groups).toBe(1)
      expect(after.writes - before.data.writes).toBe(3)
    } finally {
      await s.close()
    }
  })
})

describe('local cloud HTTP gateway (shared mode)', () => {
  it('refuses every dev endpoint: sign-in, clock, personas', async () => {
    const s = await serve('shared')
    try {
      for (const p of [
        '/__dev/signin',
        '/__dev/clock',
        '/__dev/loans/accrue',
        '/__dev/face/x',
        '/__dev/reminders/run',
      ]) {
        expect(await s.post(p, { user: 'alice', advanceMs: 1 })).toMatchObject({
          status: 403,
          json: { error: { code: 'DEV_DISABLED' } },
        })
      }
      expect((await fetch(`${s.base}/__dev/personas`)).status).toBe(403)
      expect((await fetch(`${s.base}/__dev/profile`)).status).toBe(403)
    } finally {
      await s.close()
    }
  })
})
