/** Access control across users, and what lands on disk. */
import { makeCard } from '../support/cards'
import { borrowOverHttp, onboardOverHttp } from '../support/http-borrower'
import { makeApplicant, makeIdNumber } from '../support/factories'
import { startHttpCloud, type HttpCloud } from '../support/http-cloud'
import { databaseBytes, formsFound } from '../support/at-rest'
import { openIdentity } from '../../server/app/identity'
import type { UserDoc } from '../../server/app/users'

let cloud: HttpCloud
beforeAll(async () => {
  cloud = await startHttpCloud()
})
afterAll(() => cloud.close())

const people = {
  alice: {
    ...makeApplicant({ idNumber: makeIdNumber({ seq: '611' }), mobile: '13911112222' }),
    card: makeCard('622588', '111122223'),
  },
  bob: {
    ...makeApplicant({ name: '李四', idNumber: makeIdNumber({ seq: '622' }), mobile: '13733334444' }),
    card: makeCard('622202', '555566667777'),
  },
}

async function journey(user: 'alice' | 'bob') {
  const token = await cloud.signIn(user)
  const p = people[user]
  const call = cloud.api(token)
  expect(await onboardOverHttp(call, p, p.card)).toEqual({ verified: true, bound: true })
  const face = await call('onboarding', 'startFace', { name: p.name, idNumber: p.idNumber })
  // 微粒贷: bob's pay score is below WE2000's threshold, and each needs a loan of their own.
  const loan = await borrowOverHttp(call, {
    product: 'weilidai',
    amountFen: 50_000,
    termMonths: 10,
    mode: 'equal-installment',
  })
  return { token, call, loanId: loan.data.loan.id as string, verifyId: face.data.verifyId as string }
}

describe('access across users', () => {
  it('user B using user A’s ids gets NOT_FOUND for every action that takes one; body openids are ignored', async () => {
    const a = await journey('alice')
    const b = await journey('bob')
    const payment = (await a.call('loans', 'repay', { loanId: a.loanId, amountFen: 'due' })).data.payment
    for (const [fn, action, data] of [
      ['payments', 'get', { paymentId: payment.paymentId }],
      ['payments', 'list', { loanId: a.loanId }],
      ['loans', 'previewRepayment', { loanId: a.loanId, amountFen: 100 }],
      ['loans', 'get', { loanId: a.loanId }],
      ['loans', 'cancel', { loanId: a.loanId }],
      ['loans', 'repay', { loanId: a.loanId, amountFen: 'all' }],
      ['loans', 'drawdown', { loanId: a.loanId }],
      ['loans', 'receipts', { loanId: a.loanId }],
      ['onboarding', 'confirmFace', { verifyId: a.verifyId }],
    ] as const) {
      expect(await b.call(fn, action, { ...data, openid: 'o_dev_alice', _openid: 'o_dev_alice' })).toMatchObject({
        ok: false,
        error: { code: 'NOT_FOUND' },
      })
    }
    // Paying someone else's payment in the simulated sheet: no such payment, for this payer.
    const devPay = await cloud.call(b.token, '../__dev/payments/' + payment.paymentId, { outcome: 'success' })
    expect(devPay.json).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } })
    expect((await a.call('payments', 'get', { paymentId: payment.paymentId })).data.state).toBe('pending')
    // Reading another user's message ids marks nothing of theirs.
    expect((await b.call('reminders', 'read', { ids: [`${a.loanId}:1:D-3`] })).ok).toBe(true)
    // Alice's loan is untouched.
    expect(await a.call('loans', 'get', { loanId: a.loanId })).toMatchObject({ ok: true, data: { state: 'disbursed' } })
    const list = await b.call('loans', 'list', { openid: 'o_dev_alice' })
    expect(list.data.map((l: { id: string }) => l.id)).toEqual([b.loanId])
  })

  /**
   * Regression: face sessions kept WeChat's unkeyed cert_hash beside a birth date in clear, so name +
   * ID could be brute-forced from one row. The file, its WAL and shm hold no plaintext identity and
   * no unkeyed hash or encoding of it — yet the lender can read the identity back (it is sealed).
   */
  it('data at rest: the SQLite file, WAL and shm hold no plaintext identity, card or mobile, nor any unkeyed hash of them', async () => {
    const bytes = () => databaseBytes(cloud.dbFile)
    expect(bytes().length).toBeGreaterThan(10_000)
    const everyone = Object.values(people).map((p) => ({ ...p, card: p.card }))
    expect(formsFound(bytes(), everyone)).toEqual([])
    cloud.ports.store.db.pragma('wal_checkpoint(TRUNCATE)')
    expect(formsFound(bytes(), everyone)).toEqual([])
    // Sealed, not lost: the lender's use cases can open it.
    const user = await cloud.ports.store.get<UserDoc>('users', 'o_dev_alice')
    expect(openIdentity(cloud.ports.secrets, user!.data)).toEqual({
      name: people.alice.name,
      idNumber: people.alice.idNumber,
    })
  })
})

describe('dev endpoints outside local mode', () => {
  it('every /__dev/* endpoint refuses in shared mode', async () => {
    const shared = await startHttpCloud({ mode: 'shared' })
    try {
      for (const p of [
        '/__dev/signin',
        '/__dev/clock',
        '/__dev/profile/data',
        '/__dev/face/x',
        '/__dev/loans/accrue',
        '/__dev/reminders/run',
        '/__dev/subscribe',
      ]) {
        const res = await fetch(shared.base + p, { method: 'POST', body: '{}' })
        expect(res.status).toBe(403)
      }
      for (const p of ['/__dev/personas', '/__dev/profile', '/__dev/outbox', '/__dev/store', '/__standin/calls'])
        expect((await fetch(shared.base + p)).status).toBe(403)
    } finally {
      await shared.close()
    }
  })
})
