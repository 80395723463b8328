/**
 * Crash safety: drive borrowers against the local cloud as a child process — each opens a line,
 * then draws on it three times — kill -9 it while requests are in flight, restart on the same file,
 * three times. Every drawdown that was acknowledged is present and complete (the loan with its
 * schedule and receipts), every line's "in use" equals what its open loans hold, and SQLite's
 * integrity check is ok. CI size here; CRASH_APPS=1000 in npm run bench:reliability.
 */
import { makeCard } from '../support/cards'
import { onboardOverHttp, openLineOverHttp, signedNote } from '../support/http-borrower'
import type { LoanView } from '../../src/api'
import { lineUseFen } from '../../src/domain/loan'
import { trialBalance, type JournalEntry } from '../../src/domain/journal'
import Database from 'better-sqlite3'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { makeApplicant, makeIdNumber } from '../support/factories'
import { startCloudProcess, type CloudProcess } from '../support/local-cloud-process'
import { attemptTime } from '../../src/domain/auto-debit'

// Whole drawdowns per phase (user names are built from indexes).
const APPS_PER_PHASE = Math.ceil(Number(process.env.CRASH_APPS ?? 60) / 3)
/** Each borrower opens one line and draws on it this many times. */
const DRAWDOWNS_PER_USER = 3

interface Acked {
  user: string
  loanId: string
  outcome: string
}

export async function driveApplications(
  base: string,
  from: number,
  count: number,
  onAck: (a: Acked) => void,
  concurrency = 6,
  onLine?: (user: string) => void,
): Promise<void> {
  let next = from
  const post = async (p: string, body: unknown, token?: string) => {
    const res = await fetch(base + p, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    })
    return (await res.json()) as { ok: boolean; data?: any; error?: any }
  }
  const one = async (i: number) => {
    const user = `crash${i}`
    const token = (await post('/__dev/signin', { user })).data.token
    const call = (fn: string, action: string, data: unknown) =>
      post(
        `/api/${fn}`,
        { action, data, requestId: `r${i}_${action}_${Math.random().toString(36).slice(2, 8)}` },
        token,
      )
    const person = makeApplicant({
      idNumber: makeIdNumber({ birth: String(19800101 + (i % 28)), seq: String(100 + (i % 900)).padStart(3, '0') }),
    })
    const { verified } = await onboardOverHttp(call, person, makeCard('622588', String(100_000_000 + i)))
    if (!verified) return
    const line = await call('lines', 'get', { product: 'we2000' })
    if (!line.ok || line.data.state !== 'active') {
      const opened = await openLineOverHttp(call)
      if (!opened.ok || opened.data.state !== 'active') return
    }
    onLine?.(user)
    const drawdown = {
      product: 'we2000',
      amountFen: 20_000,
      termMonths: 6,
      mode: 'equal-installment',
      purpose: 'consumption',
    }
    // The borrower reads and signs the note once: the same figures on the same day are the same note.
    const contractSha256 = await signedNote(call, drawdown)
    for (let n = 0; n < DRAWDOWNS_PER_USER; n++) {
      const r = await call('loans', 'apply', { ...drawdown, contractSha256 })
      if (r.ok) onAck({ user, loanId: r.data.loan.id, outcome: r.data.outcome })
    }
  }
  const worker = async () => {
    while (next < from + count) {
      const i = next++
      await one(i).catch(() => undefined)
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker))
}

export function integrity(dbFile: string): string {
  const db = new Database(dbFile, { readonly: true, fileMustExist: true })
  try {
    return db.pragma('integrity_check', { simple: true }) as string
  } finally {
    db.close()
  }
}

/** A reader of one user's own records, over HTTP as the user. */
async function reader(base: string, user: string) {
  const token = (
    (await (await fetch(`${base}/__dev/signin`, { method: 'POST', body: JSON.stringify({ user }) })).json()) as any
  ).data.token
  return async (fn: string, action: string, data: unknown) =>
    (await (
      await fetch(`${base}/api/${fn}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}` },
        body: JSON.stringify({ action, data }),
      })
    ).json()) as any
}

/** What a loan holds of its line, from its view (the domain's lineUseFen). */
const holds = (l: LoanView) => lineUseFen({ state: l.state, amountFen: l.amountFen, paid: l.paid })

/** Every line's "in use" against the sum of what its open loans hold: the drifts found. */
export async function verifyLines(base: string, users: Iterable<string>): Promise<string[]> {
  const problems: string[] = []
  for (const user of users) {
    const read = await reader(base, user)
    const [line, loans] = await Promise.all([read('lines', 'get', { product: 'we2000' }), read('loans', 'list', {})])
    if (!line.ok) {
      problems.push(`${user}: no line`)
      continue
    }
    const held = (loans.data as LoanView[]).filter((l) => l.product === 'we2000').reduce((t, l) => t + holds(l), 0)
    if (line.data.inUseFen !== held) problems.push(`${user}: in use ${line.data.inUseFen}, loans hold ${held}`)
  }
  return problems
}

/** Every acknowledged application, checked as its owner sees it. */
export async function verifyAcked(base: string, acked: Acked[]): Promise<string[]> {
  const problems: string[] = []
  for (const a of acked) {
    const read = await reader(base, a.user)
    const get = (action: string, data: unknown) => read('loans', action, data)
    const loan = await get('get', { loanId: a.loanId })
    const receipts = await get('receipts', { loanId: a.loanId })
    if (!loan.ok) problems.push(`${a.loanId}: missing`)
    else if (loan.data.schedule.length === 0) problems.push(`${a.loanId}: no schedule`)
    const kinds = receipts.ok ? receipts.data.map((r: { kind: string }) => r.kind) : []
    const decided = a.outcome === 'approved' ? 'disburse' : a.outcome === 'refused' ? 'refuse' : 'review'
    if (!kinds.includes('apply') || !kinds.includes(decided)) problems.push(`${a.loanId}: receipts ${kinds.join(',')}`)
  }
  return problems
}

describe('kill -9 while drawdowns are in flight', () => {
  it('three kill points on one file: every acknowledged drawdown is complete, every line’s in use is what its loans hold; integrity ok', async () => {
    const dbFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'kt-crash-')), 'kaitong.db')
    const acked: Acked[] = []
    const users = new Set<string>()
    let cloud: CloudProcess = await startCloudProcess({ dbFile })
    for (let phase = 0; phase < 3; phase++) {
      const target = acked.length + Math.ceil(APPS_PER_PHASE / 2) + phase
      let killed = false
      const running = cloud
      const exited = new Promise((r) => running.child.once('exit', r))
      await driveApplications(
        running.url.replace(/\/$/, ''),
        phase * APPS_PER_PHASE * 2,
        APPS_PER_PHASE * 2,
        (a) => {
          acked.push(a)
          // Mid-flight: kill -9 once this phase has acknowledged enough, with other requests still running.
          if (!killed && acked.length >= target) {
            killed = true
            running.child.kill('SIGKILL')
          }
        },
        6,
        (user) => users.add(user),
      )
      if (!killed) running.child.kill('SIGKILL')
      await exited
      expect(integrity(dbFile)).toBe('ok')
      cloud = await startCloudProcess({ dbFile })
      expect(await verifyAcked(cloud.url.replace(/\/$/, ''), acked)).toEqual([])
      expect(await verifyLines(cloud.url.replace(/\/$/, ''), users)).toEqual([])
    }
    await cloud.stop()
    expect(acked.length).toBeGreaterThanOrEqual(APPS_PER_PHASE)
    expect(integrity(dbFile)).toBe('ok')
  }, 180_000)
})

type Post = (p: string, body: unknown, token?: string) => Promise<{ ok: boolean; data?: any; error?: any }>

/** JSON POSTs to the cloud at `base()` (which changes when it restarts), with a borrower's token when given. */
function poster(base: () => string): Post {
  return async (p, body, token) => {
    const res = await fetch(base() + p, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    })
    return (await res.json()) as { ok: boolean; data?: any; error?: any }
  }
}

/** Signs `user` in; `call` sends an action as them, each with a fresh requestId. */
async function signedIn(post: Post, user: string, prefix: string) {
  const token = (await post('/__dev/signin', { user })).data.token as string
  const call = (fn: string, action: string, data: unknown) =>
    post(
      `/api/${fn}`,
      { action, data, requestId: `${prefix}_${action}_${Math.random().toString(36).slice(2, 8)}` },
      token,
    )
  return { token, call }
}

/**
 * Borrower `i` of a crash test, signed in, onboarded (birth date and card from `n`), with a line
 * (automatic debit on if asked) and one six-month ¥1,000 WE2000 loan paid out: the loan, or null.
 */
async function drawOne(post: Post, user: string, prefix: string, n: number, autoDebit = false) {
  const { token, call } = await signedIn(post, user, prefix)
  const person = makeApplicant({ idNumber: makeIdNumber({ birth: String(19850101 + n), seq: String(n % 1000) }) })
  await onboardOverHttp(call, person, makeCard('622588', String(300_000_000 + n)))
  const opened = await openLineOverHttp(call)
  if (!opened.ok || opened.data.state !== 'active') return null
  if (autoDebit && !(await call('lines', 'autoDebit', { product: 'we2000', on: true })).ok) return null
  const drawdown = {
    product: 'we2000',
    amountFen: 100_000,
    termMonths: 6,
    mode: 'equal-installment',
    purpose: 'consumption',
  }
  const r = await call('loans', 'apply', { ...drawdown, contractSha256: await signedNote(call, drawdown) })
  return r.ok && r.data.loan.state === 'disbursed' ? { token, loan: r.data.loan as LoanView } : null
}

/**
 * Payments in flight: borrowers repay small amounts through the simulated WeChat Pay (each
 * callback delivered four times at once) while the process is killed. WeChat Pay keeps what it
 * was paid and delivers again: after the restart every payment is delivered once more, and then
 * every paid order is recorded once — one receipt and one journal entry named by it — no
 * confirmed money is lost and none is applied twice; the books balance; the lines agree.
 */
describe('kill -9 while payments are being confirmed', () => {
  it('every paid order is recorded exactly once after the restart and redelivery; the books balance', async () => {
    const dbFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'kt-crash-pay-')), 'kaitong.db')
    let cloud: CloudProcess = await startCloudProcess({ dbFile })
    const base = () => cloud.url.replace(/\/$/, '')
    const post = poster(base)
    const users = Array.from({ length: 8 }, (_, i) => `payer${i}`)
    const borrowers: Array<{ user: string; token: string; loanId: string }> = []
    for (const [i, user] of users.entries()) {
      const drawn = await drawOne(post, user, `p${i}`, 300 + i)
      if (drawn) borrowers.push({ user, token: drawn.token, loanId: drawn.loan.id })
    }
    expect(borrowers.length).toBeGreaterThanOrEqual(4)
    let acknowledged = 0
    let killed = false
    const running = cloud
    const exited = new Promise((r) => running.child.once('exit', r))
    await Promise.all(
      borrowers.map(async (b, i) => {
        for (let n = 0; n < 6; n++) {
          try {
            const r = await post(
              '/api/loans',
              { action: 'repay', data: { loanId: b.loanId, amountFen: 1_000 + i }, requestId: `rep_${b.user}_${n}` },
              b.token,
            )
            if (!r.ok) continue
            const paid = await post(
              `/__dev/payments/${r.data.payment.paymentId}`,
              { outcome: 'success', duplicates: 3 },
              b.token,
            )
            if (paid.ok) acknowledged++
            if (!killed && acknowledged >= 12) {
              killed = true
              running.child.kill('SIGKILL')
            }
          } catch {
            return // the process is gone
          }
        }
      }),
    )
    if (!killed) running.child.kill('SIGKILL')
    await exited
    expect(integrity(dbFile)).toBe('ok')
    cloud = await startCloudProcess({ dbFile })
    // WeChat Pay delivers again what was not acknowledged (and the payer pays what was left open).
    for (const b of borrowers) {
      const list = await post('/api/payments', { action: 'list', data: { loanId: b.loanId } }, b.token)
      for (const p of list.data as Array<{ paymentId: string; state: string }>) {
        if (p.state === 'pending') await post(`/__dev/payments/${p.paymentId}`, { outcome: 'success' }, b.token)
      }
    }
    // A payment killed before its order reached WeChat Pay has nothing to pay: it expires.
    await post('/__dev/clock', { advanceMs: 31 * 60_000 })
    await post('/__dev/payments/run', {})
    let paidOrders = 0
    for (const b of borrowers) {
      const after = await post('/api/payments', { action: 'list', data: { loanId: b.loanId } }, b.token)
      const payments = after.data as Array<{ paymentId: string; state: string; amountFen: number }>
      expect(payments.filter((p) => p.state === 'pending')).toEqual([])
      const paid = payments.filter((p) => p.state === 'paid')
      paidOrders += paid.length
      const receipts = (await post('/api/loans', { action: 'receipts', data: { loanId: b.loanId } }, b.token))
        .data as Array<{
        id: string
        kind: string
        amountFen: number
      }>
      const repays = receipts.filter((r) => r.kind === 'repay')
      // Exactly once: one receipt per paid payment, named by it, and nothing else repaid.
      expect(repays.map((r) => r.id).sort()).toEqual(paid.map((p) => p.paymentId).sort())
      const loan = (await post('/api/loans', { action: 'get', data: { loanId: b.loanId } }, b.token)).data as LoanView
      const p = loan.paid
      expect(p.principalFen + p.interestFen + p.feeFen + p.overdueFen).toBe(paid.reduce((s, x) => s + x.amountFen, 0))
    }
    expect(paidOrders).toBeGreaterThanOrEqual(acknowledged)
    expect(
      await verifyLines(
        base(),
        borrowers.map((b) => b.user),
      ),
    ).toEqual([])
    await cloud.stop()
    const db = new Database(dbFile, { readonly: true, fileMustExist: true })
    try {
      const entries = (
        db.prepare(`SELECT data FROM docs WHERE collection = 'journal'`).all() as Array<{ data: string }>
      ).map((r) => JSON.parse(r.data) as JournalEntry)
      const tb = trialBalance(entries)
      expect(tb.balanced).toBe(true)
      expect(entries.filter((e) => e.type === 'REPAYMENT_RECEIVED')).toHaveLength(paidOrders)
      expect(tb.accounts.refundsPayable.balanceFen).toBe(0)
    } finally {
      db.close()
    }
  }, 180_000)
})

/**
 * Automatic debits in flight: borrowers with automatic debit on, the clock at 09:00 on their due
 * day, the debit job running when the process is killed. After the restart the job runs again:
 * every installment is debited once — one debit at the gateway, one payment paid, one receipt and
 * one journal entry named by it — no money taken is lost or applied twice; the books balance.
 */
describe('kill -9 while automatic debits are being made', () => {
  it('every installment is debited exactly once after the restart; the books balance', async () => {
    const dbFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'kt-crash-debit-')), 'kaitong.db')
    let cloud: CloudProcess = await startCloudProcess({ dbFile })
    const base = () => cloud.url.replace(/\/$/, '')
    const post = poster(base)
    const borrowers: Array<{ user: string; token: string; loanId: string; dueDate: string; firstFen: number }> = []
    for (let i = 0; i < 24; i++) {
      const user = `debtor${i}`
      const drawn = await drawOne(post, user, `d${i}`, 400 + i, true)
      if (drawn)
        borrowers.push({
          user,
          token: drawn.token,
          loanId: drawn.loan.id,
          dueDate: drawn.loan.schedule[0].dueDate,
          firstFen: drawn.loan.schedule[0].totalFen,
        })
    }
    expect(borrowers.length).toBeGreaterThanOrEqual(12)
    // To 09:00 on the (latest) first due day, then the job, killed while it runs.
    const due = borrowers.map((b) => b.dueDate).sort()[borrowers.length - 1]
    expect(new Set(borrowers.map((b) => b.dueDate)).size).toBe(1)
    const { now } = (await post('/__dev/clock', { advanceMs: 0 })).data
    await post('/__dev/clock', { advanceMs: attemptTime(due, 1) + 60_000 - now })
    const running = cloud
    const exited = new Promise((r) => running.child.once('exit', r))
    void post('/__dev/reminders/run', {}).catch(() => undefined)
    await new Promise((r) => setTimeout(r, 15))
    running.child.kill('SIGKILL')
    await exited
    expect(integrity(dbFile)).toBe('ok')
    cloud = await startCloudProcess({ dbFile })
    // The clock is the process's own: to the same morning again, and the jobs.
    const again = (await post('/__dev/clock', { advanceMs: 0 })).data.now
    await post('/__dev/clock', { advanceMs: Math.max(0, attemptTime(due, 1) + 120_000 - again) })
    await post('/__dev/reminders/run', {})
    await post('/__dev/reminders/run', {})
    let taken = 0
    for (const b of borrowers) {
      const list = (await post('/api/payments', { action: 'list', data: { loanId: b.loanId } }, b.token))
        .data as Array<{
        paymentId: string
        channel: string
        state: string
        amountFen: number
      }>
      const debits = list.filter((p) => p.channel === 'cardDebit')
      expect(debits.map((p) => [p.state, p.amountFen])).toEqual([['paid', b.firstFen]])
      const loan = (await post('/api/loans', { action: 'get', data: { loanId: b.loanId } }, b.token)).data as LoanView
      expect(loan.schedule[0].paid).toBe(true)
      expect(loan.paid.principalFen + loan.paid.interestFen + loan.paid.feeFen).toBe(b.firstFen)
      taken += b.firstFen
    }
    await cloud.stop()
    const db = new Database(dbFile, { readonly: true, fileMustExist: true })
    try {
      const rows = (sql: string) => (db.prepare(sql).all() as Array<{ data: string }>).map((r) => JSON.parse(r.data))
      const sim = rows(`SELECT data FROM docs WHERE collection = 'simCardDebits'`) as Array<{ state: string }>
      expect(sim.map((d) => d.state)).toEqual(borrowers.map(() => 'SUCCESS'))
      const entries = rows(`SELECT data FROM docs WHERE collection = 'journal'`) as JournalEntry[]
      const tb = trialBalance(entries)
      expect(tb.balanced).toBe(true)
      expect(entries.filter((e) => e.type === 'REPAYMENT_RECEIVED')).toHaveLength(borrowers.length)
      expect(tb.accounts.cardDebitClearing.balanceFen).toBe(taken)
    } finally {
      db.close()
    }
  }, 180_000)
})
