// `npm run demo:console`: the operator console's two four-eyes flows on a fresh local cloud
// (temporary database, free port), over HTTP exactly as the console calls them, printing each
// request and answer: a borrower's ¥60,000 drawdown sent to manual review, proposed by reviewer-a,
// refused to reviewer-a again, confirmed by reviewer-b, and paid out; then a rule change drafted by
// risk, simulated on the stored profiles, asked to publish by admin, approved by admin-b, and the
// next pre-check deciding under it. Sign-in is the real one: password and the TOTP code.
import crypto from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { generate } from 'otplib'
import { DEMO_OPERATORS, DEMO_PASSWORD } from '../server/app/console/operators'
import { startLocalCloud } from '../server/local/runtime/main'
import { makeCard } from '../test/support/cards'
import { makeApplicant, makeIdNumber } from '../test/support/factories'
import { borrowOverHttp, onboardOverHttp, type ApiCall } from '../test/support/http-borrower'

const short = (x: unknown, max = 360) => {
  const s = JSON.stringify(x)
  return s.length > max ? `${s.slice(0, max)}…` : s
}

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kt-console-transcript-'))
  process.env.KAITONG_SIM_PAYOUT_MS ??= '0'
  const cloud = await startLocalCloud({ port: 0, dbFile: path.join(dir, 'kaitong.db'), quiet: true })
  const base = cloud.url.replace(/\/$/, '')
  const post = async (p: string, body: unknown, token?: string) => {
    const res = await fetch(base + p, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    })
    return { status: res.status, json: (await res.json()) as { ok: boolean; data?: any; error?: any } }
  }
  /** One console call, printed: who, what, and the answer (shown through `show`). */
  const op = async (
    who: string,
    token: string,
    action: string,
    data: Record<string, unknown>,
    show?: (d: any) => unknown,
  ) => {
    console.log(`\n[${who}] → POST /api/console ${short({ action, data })}`)
    const r = await post(
      '/api/console',
      { action, data, requestId: `c${crypto.randomBytes(8).toString('hex')}` },
      token,
    )
    console.log(
      `[${who}] ← ${r.status} ${r.json.ok ? short({ ok: true, data: show ? show(r.json.data) : r.json.data }) : short(r.json)}`,
    )
    return r.json
  }
  const signIn = async (username: string) => {
    const secret = DEMO_OPERATORS.find((o) => o.username === username)!.totpSecret
    const totp = await generate({ secret })
    console.log(
      `\n[${username}] → POST /api/console {"action":"console.signIn","data":{"username":"${username}","password":"…","totp":"${totp}"}}`,
    )
    const r = await post('/api/console', {
      action: 'console.signIn',
      data: { username, password: DEMO_PASSWORD, totp },
    })
    console.log(
      `[${username}] ← ${r.status} ${short({ ok: r.json.ok, data: { expiresAt: new Date(r.json.data.expiresAt).toISOString(), operator: r.json.data.operator } })}`,
    )
    return r.json.data.token as string
  }
  const borrower = async (user: string): Promise<ApiCall> => {
    const { json } = await post('/__dev/signin', { user })
    return async (fn, action, data) =>
      (
        await post(
          `/api/${fn}`,
          { action, data, requestId: `b${crypto.randomBytes(8).toString('hex')}` },
          json.data.token,
        )
      ).json
  }

  console.log('# 1. A drawdown over ¥50,000, decided by two reviewers')
  const alice = await borrower('alice')
  await onboardOverHttp(alice, makeApplicant(), makeCard('622588', '123456789'))
  const applied = await borrowOverHttp(alice, {
    product: 'weilidai',
    amountFen: 6_000_000,
    termMonths: 10,
    mode: 'equal-installment',
  })
  console.log(
    `\n[alice] loans.apply weilidai ¥60,000 → ${short({ outcome: applied.data.outcome, state: applied.data.loan.state, loanId: applied.data.loan.id })}`,
  )
  const loanId = applied.data.loan.id as string
  const a = await signIn('reviewer-a')
  const queue = await op('reviewer-a', a, 'reviews.list', {}, (d) =>
    d.map((c: any) => ({ caseId: c.caseId, kind: c.kind, amountFen: c.amountFen, borrower: c.borrower })),
  )
  const caseId = queue.data[0].caseId as string
  await op('reviewer-a', a, 'reviews.get', { caseId }, (d) => ({
    profile: d.profile,
    evaluation: d.evaluation,
    history: d.history.lines,
  }))
  await op(
    'reviewer-a',
    a,
    'reviews.decide',
    { caseId, decision: 'approve', reason: '收入证明与借款用途一致' },
    (d) => ({ state: d.state, proposal: d.proposal }),
  )
  await op('reviewer-a', a, 'reviews.decide', { caseId, decision: 'approve', reason: '再确认一次' })
  console.log(
    `\n[alice] loans.get → ${short((await alice('loans', 'get', { loanId })).data.state)} (a proposal changes nothing)`,
  )
  const b = await signIn('reviewer-b')
  await op('reviewer-b', b, 'reviews.decide', { caseId, decision: 'approve', reason: '同意' }, (d) => ({
    state: d.state,
    confirmedBy: d.confirmedBy,
    outcome: d.outcome,
  }))
  for (let i = 0; i < 40 && (await alice('loans', 'get', { loanId })).data.state !== 'disbursed'; i++)
    await new Promise((r) => setTimeout(r, 50))
  const loan = (await alice('loans', 'get', { loanId })).data
  console.log(
    `\n[alice] loans.get → ${short({ state: loan.state, disbursedAt: new Date(loan.disbursedAt).toISOString(), coolingOffEndsAt: new Date(loan.coolingOffEndsAt).toISOString() })}`,
  )
  const inbox = (await alice('reminders', 'inbox', {})).data.messages.map((m: any) => `${m.title}：${m.body}`)
  console.log(`[alice] reminders.inbox → ${short(inbox)}`)
  const finance = await signIn('finance')
  await op('finance', finance, 'loans.timeline', { loanId }, (d) => d.items.map((i: any) => `${i.kind}: ${i.title}`))
  await op('finance', finance, 'books.trialBalance', {}, (d) => ({
    balanced: d.balanced,
    entries: d.entries,
    debitFen: d.debitFen,
    creditFen: d.creditFen,
  }))

  console.log('\n# 2. A rule change, simulated on the stored profiles, then published by two admins')
  for (const [u, seq] of [
    ['bob', '511'],
    ['carol', '512'],
    ['dave', '513'],
  ] as const) {
    const api = await borrower(u)
    await onboardOverHttp(api, makeApplicant({ idNumber: makeIdNumber({ seq }) }), makeCard('622588', `${seq}000000`))
    await api('credit', 'precheck', {})
  }
  const risk = await signIn('risk')
  const versions = await op('risk', risk, 'versions.list', {}, (d) =>
    d.map((v: any) => ({ versionId: v.versionId, state: v.state })),
  )
  const body = JSON.parse(JSON.stringify(versions.data[0].body))
  body.products.we2000.minScore = 101
  console.log(
    `\n[risk] → POST /api/console {"action":"versions.draft","data":{"kind":"rules","body":<the published set, products.we2000.minScore 101>,"note":"WE2000 暂停新开通"}}`,
  )
  const made = await post(
    '/api/console',
    {
      action: 'versions.draft',
      data: { kind: 'rules', body, note: 'WE2000 暂停新开通' },
      requestId: `c${crypto.randomBytes(8).toString('hex')}`,
    },
    risk,
  )
  console.log(
    `[risk] ← ${made.status} ${short({ ok: made.json.ok, data: { versionId: made.json.data.versionId, state: made.json.data.state, note: made.json.data.note } })}`,
  )
  const versionId = made.json.data.versionId as string
  await op('risk', risk, 'versions.simulate', { versionId }, (d) => ({
    against: d.against,
    profiles: d.profiles,
    byProduct: d.byProduct,
    examples: d.examples.slice(0, 2),
  }))
  const admin = await signIn('admin')
  await op('admin', admin, 'versions.publish', { versionId }, (d) => ({
    state: d.state,
    publishRequestedBy: d.publishRequestedBy,
  }))
  await op('admin', admin, 'versions.publish', { versionId })
  const adminB = await signIn('admin-b')
  await op('admin-b', adminB, 'versions.publish', { versionId }, (d) => ({
    state: d.state,
    publishedBy: d.publishedBy,
  }))
  const check = (await (await borrower('bob'))('credit', 'precheck', {})).data
  console.log(
    `\n[bob] credit.precheck → ${short({ ruleSetVersion: check.ruleSetVersion, we2000: check.products.find((p: any) => p.product === 'we2000').eligible })}`,
  )
  const line = (await alice('lines', 'get', { product: 'weilidai' })).data
  console.log(
    `[alice] lines.get weilidai → ${short({ state: line.state, limitFen: line.limitFen, ruleSetVersion: line.ruleSetVersion })} (decided before: keeps its version)`,
  )
  const auditor = await signIn('auditor')
  await op('auditor', auditor, 'audit.search', { from: 0, to: Date.now() + 60_000 }, (d) =>
    d.slice(0, 12).map((x: any) => `${x.actor} ${x.action} ${x.outcome}`),
  )
  await cloud.stop()
  fs.rmSync(dir, { recursive: true, force: true })
}

main().catch((error: unknown) => {
  console.error(error)
  process.exit(1)
})
