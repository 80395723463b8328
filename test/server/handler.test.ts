import { createMain } from '../../server/app/handler'
import type { RequestDoc } from '../../server/app/once'
import { whoIsLocal } from '../../server/local/runtime/gateway'
import { ALL_AGREEMENTS, makeTestCloud, type TestCloud } from '../support/cloud'
import { makeApplicant } from '../support/factories'

let cloud: TestCloud
beforeEach(async () => {
  cloud = await makeTestCloud()
})
afterEach(() => cloud.close())

describe('the shared cloud-function entry', () => {
  const main = () => createMain('onboarding', () => cloud.ports, whoIsLocal)
  const ctx = { OPENID: 'o_dev_alice' }

  it.each([
    ['null', null],
    ['a string', 'status'],
    ['an array', [{ action: 'status' }]],
    ['no action', { data: {} }],
    ['a numeric action', { action: 7 }],
    ['data as an array', { action: 'status', data: [] }],
    ['a malformed requestId', { action: 'status', requestId: 'a b' }],
  ])('%s is BAD_ENVELOPE', async (_label, event) => {
    expect(await main()(event, ctx)).toMatchObject({
      ok: false,
      error: { code: 'BAD_ENVELOPE', message: expect.any(String) },
    })
  })

  it.each(['nope', '__proto__', 'constructor', 'toString'])('action %j is UNKNOWN_ACTION', async (action) => {
    expect(await main()({ action }, ctx)).toMatchObject({ ok: false, error: { code: 'UNKNOWN_ACTION' } })
  })

  it('no caller in the context is UNAUTHENTICATED, whatever the body says', async () => {
    expect(await main()({ action: 'status', data: { openid: 'o_dev_alice' } }, {})).toMatchObject({
      ok: false,
      error: { code: 'UNAUTHENTICATED' },
    })
    expect(await main()({ action: 'status', userInfo: { openId: 'o_dev_alice' } }, null)).toMatchObject({
      ok: false,
      error: { code: 'UNAUTHENTICATED' },
    })
  })

  it('WeChat adds userInfo to the event; it is ignored', async () => {
    expect(
      await main()({ action: 'status', data: {}, userInfo: { appId: 'wx1', openId: 'o_other' } }, ctx),
    ).toMatchObject({ ok: true })
  })

  it('a port that throws becomes INTERNAL, is logged with its stack, and the claim is released for a retry', async () => {
    const broken = { ...cloud.ports, identity: { verify: () => Promise.reject(new Error('boom')) } }
    const m = createMain('onboarding', () => broken, whoIsLocal)
    await m(
      {
        action: 'acceptAgreements',
        requestId: 'req_a_000001',
        data: {
          accepted: ALL_AGREEMENTS.slice(0, 2),
        },
      },
      ctx,
    )
    const r = await m({ action: 'verifyIdentity', requestId: 'req_b_000001', data: makeApplicant() }, ctx)
    expect(r).toMatchObject({ ok: false, error: { code: 'INTERNAL' } })
    expect(cloud.logs.find((l) => l.event === 'unhandled')?.fields).toMatchObject({
      fn: 'onboarding',
      action: 'verifyIdentity',
      error: expect.stringContaining('boom'),
    })
    // Released, not removed: a retry runs again at once, under the time of the first claim (what
    // the first run wrote before it threw is found again under the same names).
    const claim = await cloud.ports.store.get<RequestDoc>('requests', 'o_dev_alice:req_b_000001')
    expect(claim?.data).toMatchObject({ state: 'released', response: null })
    const retried = await createMain(
      'onboarding',
      () => cloud.ports,
      whoIsLocal,
    )({ action: 'verifyIdentity', requestId: 'req_b_000001', data: makeApplicant() }, ctx)
    expect(retried).toMatchObject({ ok: true })
    const done = await cloud.ports.store.get<RequestDoc>('requests', 'o_dev_alice:req_b_000001')
    expect(done?.data).toMatchObject({ state: 'done', since: claim?.data.since })
  })

  it('a claim taken over whose run fails is released, not removed: the next retry keeps the first claim time', async () => {
    await main()({ action: 'acceptAgreements', requestId: 'req_a_000002', data: { accepted: ALL_AGREEMENTS } }, ctx)
    const envelope = { action: 'verifyIdentity', requestId: 'req_c_000001', data: makeApplicant() }
    const thrown = { ...cloud.ports, identity: { verify: () => Promise.reject(new Error('boom')) } }
    expect(await createMain('onboarding', () => thrown, whoIsLocal)(envelope, ctx)).toMatchObject({ ok: false })
    const first = await cloud.ports.store.get<RequestDoc>('requests', 'o_dev_alice:req_c_000001')
    // Taken over (released), the run now fails with an answer: the claim stays, released, with its time.
    const down = {
      ...cloud.ports,
      identity: { verify: async () => ({ result: 'UNAVAILABLE' as const, detail: 'down' }) },
    }
    expect(await createMain('onboarding', () => down, whoIsLocal)(envelope, ctx)).toMatchObject({ ok: false })
    const kept = await cloud.ports.store.get<RequestDoc>('requests', 'o_dev_alice:req_c_000001')
    expect(kept?.data).toMatchObject({ state: 'released', since: first?.data.since })
    // A fresh claim that fails with an answer leaves nothing behind.
    const fresh = { action: 'verifyIdentity', requestId: 'req_d_000001', data: makeApplicant() }
    expect(await createMain('onboarding', () => down, whoIsLocal)(fresh, ctx)).toMatchObject({ ok: false })
    expect(await cloud.ports.store.get('requests', 'o_dev_alice:req_d_000001')).toBeNull()
  })
})
