// `npm run demo:transcript`: one user through every action on a fresh local cloud (temporary
// database, free port), over HTTP exactly as the H5 app calls it, printing each request and
// answer — opening a line once, three drawdowns on it (a cancel inside the 24-hour window and one
// outside it), a partial repayment with a duplicated callback, a forged callback, a prepayment and
// the settlement — every repayment a WeChat Pay payment — a freeze while an installment is overdue
// and the unfreeze once it is paid, the line's history, the books and the day's reconciliation.
import crypto from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { luhnCheckDigit } from '../src/domain/bank-card'
import { idCheckChar } from '../src/domain/id-card'
import { chinaDateString } from '../src/domain/china-time'
import { attemptTime } from '../src/domain/auto-debit'
import { AGREEMENT_KINDS, AGREEMENT_VERSIONS } from '../src/domain/agreements'
import { startLocalCloud } from '../server/local/runtime/main'
import { SqliteStore } from '../server/local/adapters/sqlite-store'
import { INDEXES } from '../server/schema'
import { ledgerCommand } from './cli/ledger'
import { reconcileCommand } from './cli/reconcile'
import { localPorts } from '../server/local/ports'
import { verifyCommand } from './cli/verify'

/** The transcript's verifier is given the published key only, never the local one. */
const noKey = () => {
  throw new Error('verify asked for the local key')
}

const short = (x: unknown, max = 300) => {
  const s = JSON.stringify(x)
  return s.length > max ? `${s.slice(0, max)}…` : s
}

const quiet = { info() {}, warn() {}, error() {} }

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kt-transcript-'))
  // Payouts land 1.5 s after they are asked for, as in the served local cloud.
  process.env.KAITONG_SIM_PAYOUT_MS ??= '1500'
  const cloud = await startLocalCloud({ port: 0, dbFile: path.join(dir, 'kaitong.db'), quiet: true })
  // KAITONG_CLOUD=wechat-standin: the same transcript through the real SDK and the stand-in.
  const base = cloud.url.replace(/\/$/, '')
  let token = ''
  const post = async (p: string, body: unknown) => {
    const res = await fetch(base + p, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    })
    return { status: res.status, json: (await res.json()) as { ok: boolean; data?: any; error?: any } }
  }
  const call = async (fn: string, action: string, data: Record<string, unknown> = {}, show?: (d: any) => unknown) => {
    const requestId = `r${crypto.randomBytes(8).toString('hex')}`
    console.log(`\n→ POST /api/${fn} ${short({ action, data })}`)
    const r = await post(`/api/${fn}`, { action, data, requestId })
    console.log(
      `← ${r.status} ${r.json.ok ? short({ ok: true, data: show ? show(r.json.data) : r.json.data }) : short(r.json)}`,
    )
    return r.json
  }
  const dev = async (p: string, body: unknown) => {
    console.log(`\n→ POST ${p} ${short(body)}`)
    const r = await post(p, body)
    console.log(`← ${r.status} ${short(r.json)}`)
    return r.json
  }

  /** loans.repay: the payment it opened. */
  const repay = async (loanId: string, amountFen: number | 'all' | 'due', prepay?: 'shorten' | 'reduce') =>
    (
      await call('loans', 'repay', { loanId, amountFen, ...(prepay ? { prepay } : {}) }, (d) => ({
        paymentId: d.payment.paymentId,
        amountFen: d.payment.amountFen,
        state: d.payment.state,
        request: d.payment.request,
      }))
    ).data.payment.paymentId as string
  /** The payer pays in the (simulated) WeChat Pay sheet; WeChat Pay calls payCallback 1 + duplicates times. */
  const pay = (paymentId: string, duplicates = 0) =>
    dev(`/__dev/payments/${paymentId}`, { outcome: 'success', duplicates })

  console.log(`Kaitong local cloud at ${cloud.url} (database ${cloud.dbFile})`)
  token = (await dev('/__dev/signin', { user: 'alice' })).data.token
  const id17 = '11010119900307451'
  const person = { name: '张三', idNumber: id17 + idCheckChar(id17), mobile: '13812345678' }
  const cardNumber = '622588123456789' + luhnCheckDigit('622588123456789')

  await call('merchants', 'resolve', { scene: 'm=cafe01' })
  await call('onboarding', 'status')
  await call(
    'onboarding',
    'acceptAgreements',
    {
      accepted: AGREEMENT_KINDS.map((kind) => ({ kind, version: AGREEMENT_VERSIONS[kind] })),
    },
    (d) => ({ next: d.next }),
  )
  await call('onboarding', 'verifyIdentity', person, (d) => ({ next: d.next, identity: d.identity }))
  await call(
    'onboarding',
    'bindCard',
    { cardNumber, mobile: person.mobile, name: person.name, idNumber: person.idNumber },
    (d) => ({ cards: d.cards }),
  )
  await call('onboarding', 'authorizePayScore', {}, (d) => ({ payScore: d.payScore }))
  const face = await call('onboarding', 'startFace', { name: person.name, idNumber: person.idNumber })
  await dev(`/__dev/face/${face.data.verifyId}`, { outcome: 'pass' })
  await call('onboarding', 'confirmFace', { verifyId: face.data.verifyId }, (d) => ({ face: d.face }))
  await call('credit', 'precheck', {}, (d) => ({
    score: d.score,
    products: d.products.map((p: any) => ({
      product: p.product,
      eligible: p.eligible,
      limitFen: p.limitFen,
      dailyRatePercent: p.dailyRatePercent,
      pendingSteps: p.pendingSteps,
    })),
  }))
  await call('credit', 'offers', {}, (d) =>
    d.products.map((p: any) => ({ product: p.decision.product, offers: p.offers.length })),
  )

  // Opening the line (开通): its own consent, one hard inquiry, a decision — once.
  const lineConsent = await call('lines', 'consent', { product: 'we2000' })
  // The line contract (授信合同), read before signing: the opening carries the hash of exactly this text.
  const lineContract = await call('contracts', 'preview', { kind: 'line', product: 'we2000' }, (d) => ({
    title: d.title,
    templateVersion: d.templateVersion,
    sha256: d.sha256,
    text: `${d.text.slice(0, 160)}…`,
  }))
  await call(
    'lines',
    'open',
    { product: 'we2000', consentId: lineConsent.data.consentId, contractSha256: lineContract.data.sha256 },
    (d) => ({
      state: d.state,
      limitFen: d.limitFen,
      availableFen: d.availableFen,
      dailyRatePercent: d.dailyRatePercent,
      annualRatePercent: d.annualRatePercent,
      expiresAt: d.expiresAt,
    }),
  )
  // 额度记录, one change a line (the answer above it is cut to fit).
  const history = async () => {
    const r = await call('lines', 'history', { product: 'we2000' }, (d) => `${d.length} changes`)
    for (const c of r.data)
      console.log(
        `   ${new Date(c.at).toISOString()}  ${c.reason.padEnd(15)} ${c.state.padEnd(7)} in use ${c.inUseFen} of ${c.limitFen}${c.amountFen ? `  (${c.amountFen} fen)` : ''}`,
      )
  }
  const lineNow = () =>
    call('lines', 'get', { product: 'we2000' }, (d) => ({
      state: d.state,
      inUseFen: d.inUseFen,
      availableFen: d.availableFen,
    }))
  await history()

  // Drawdowns against it: no consent, no inquiry.
  /** A drawdown: disbursing until the (simulated) lender's gateway lands the payout, 1.5 s later. */
  const apply = async (amountFen = 100_000) => {
    const figures = { product: 'we2000', amountFen, termMonths: 6, mode: 'equal-installment', purpose: 'consumption' }
    // The drawdown note (借款合同) for these figures, read and signed.
    const note = await call('contracts', 'preview', { kind: 'drawdown', ...figures }, (d) => ({
      templateVersion: d.templateVersion,
      sha256: d.sha256,
    }))
    const r = await call('loans', 'apply', { ...figures, contractSha256: note.data.sha256 }, (d) => ({
      outcome: d.outcome,
      loan: {
        id: d.loan.id,
        state: d.loan.state,
        aprPercent: d.loan.aprPercent,
        coolingOffEndsAt: d.loan.coolingOffEndsAt,
        schedule: d.loan.schedule.map((l: any) => l.totalFen),
      },
    }))
    if (r.ok && r.data.loan.state === 'disbursing') {
      console.log(
        '\n# the payout is on its way to the bound card; 1.6 s later the loan is read again (the server asks the gateway)',
      )
      await new Promise((resolve) => setTimeout(resolve, 1_600))
      await call('loans', 'get', { loanId: r.data.loan.id }, (d) => ({
        state: d.state,
        disbursedAt: d.disbursedAt,
        coolingOffEndsAt: d.coolingOffEndsAt,
      }))
    }
    return r
  }
  const first = await apply()
  await call('loans', 'get', { loanId: first.data.loan.id }, (d) => ({ state: d.state, due: d.due }))
  await dev('/__dev/clock', { advanceMs: 23 * 3_600_000 })
  console.log(
    '\n# 23 hours after disbursement: inside the cooling-off window — the principal, paid back through WeChat Pay',
  )
  const back = await call('loans', 'cancel', { loanId: first.data.loan.id }, (d) => ({
    state: d.loan.state,
    payment: d.payment && {
      paymentId: d.payment.paymentId,
      amountFen: d.payment.amountFen,
      expiresAt: d.payment.expiresAt,
    },
  }))
  await pay(back.data.payment.paymentId)
  await call('loans', 'get', { loanId: first.data.loan.id }, (d) => ({ state: d.state, paid: d.paid }))

  const second = await apply()
  await dev('/__dev/clock', { advanceMs: 24 * 3_600_000 })
  console.log('\n# exactly 24 hours after disbursement: the window is closed')
  await call('loans', 'cancel', { loanId: second.data.loan.id })
  const secondId = second.data.loan.id
  console.log(
    '\n# a partial repayment (¥123.45): the payment opens, the loan does not change until WeChat Pay confirms',
  )
  const part = await repay(secondId, 12_345)
  await call('loans', 'get', { loanId: secondId }, (d) => ({ state: d.state, paid: d.paid, due: d.due }))
  console.log('\n# paid, and WeChat Pay delivers its notification three times at once: recorded once')
  await pay(part, 2)
  await call('loans', 'get', { loanId: secondId }, (d) => ({ state: d.state, paid: d.paid, due: d.due }))
  console.log(
    '\n# a forged notification for a new, unpaid payment (any mini-program can call payCallback): nothing changes',
  )
  const unpaid = await repay(secondId, 'due')
  await dev('/api/payCallback', { outTradeNo: unpaid, totalFee: 1, resultCode: 'SUCCESS' })
  await call('payments', 'get', { paymentId: unpaid }, (d) => ({ state: d.state }))
  console.log('\n# the preview, then a prepayment beyond what is due: a shorter plan')
  const loanNow = await call('loans', 'get', { loanId: secondId }, (d) => ({ due: d.due, lines: d.schedule.length }))
  const prepayFen = loanNow.data.due.dueNowFen + 50_000
  await call('loans', 'previewRepayment', { loanId: secondId, amountFen: prepayFen, prepay: 'shorten' }, (d) => ({
    paid: d.paid,
    prepaidFen: d.prepaidFen,
    lines: d.after.schedule.length,
  }))
  await pay(await repay(secondId, prepayFen, 'shorten'))
  await call('loans', 'get', { loanId: secondId }, (d) => ({ state: d.state, paid: d.paid, lines: d.schedule.length }))
  console.log('\n# and settled')
  await pay(await repay(secondId, 'all'))
  await call('payments', 'list', { loanId: secondId }, (d) => d.map((p: any) => `${p.state} ${p.amountFen}`))
  await call('loans', 'get', { loanId: secondId }, (d) => ({ state: d.state, paid: d.paid }))

  const third = await apply(150_000)
  await lineNow()
  console.log('\n# more than is available: refused with the amount that is')
  await apply(60_000)
  await dev('/__dev/clock', { advanceMs: 33 * 24 * 3_600_000 })
  console.log('\n# 33 days later the first installment is overdue: the line job freezes the line')
  await dev('/__dev/reminders/run', {})
  await lineNow()
  await apply(10_000)
  const due = await call('loans', 'get', { loanId: third.data.loan.id }, (d) => ({ state: d.state, due: d.due }))
  await pay(await repay(third.data.loan.id, due.data.due.dueNowFen))
  await call('loans', 'get', { loanId: third.data.loan.id }, (d) => ({ state: d.state, paid: d.paid }))
  console.log('\n# the overdue installment repaid: the next run unfreezes the line')
  await dev('/__dev/reminders/run', {})
  await lineNow()
  console.log(
    '\n# automatic debit on (its own consent, off until asked): the next installment is taken from the card at 09:00 China time on its due day',
  )
  await call('lines', 'autoDebit', { product: 'we2000', on: true }, (d) => ({ autoDebit: d.autoDebit }))
  const before = await call('loans', 'get', { loanId: third.data.loan.id }, (d) => ({
    next: d.schedule.find((l: any) => !l.paid),
  }))
  const next = before.data.schedule.find((l: any) => !l.paid)
  const { now } = (await dev('/__dev/clock', { advanceMs: 0 })).data
  await dev('/__dev/clock', { advanceMs: attemptTime(next.dueDate, 1) + 60_000 - now })
  await dev('/__dev/reminders/run', {})
  await call('payments', 'list', { loanId: third.data.loan.id }, (d) =>
    d.filter((p: any) => p.channel === 'cardDebit').map((p: any) => `${p.channel} ${p.state} ${p.amountFen}`),
  )
  await call('loans', 'get', { loanId: third.data.loan.id }, (d) => ({
    state: d.state,
    line: d.schedule.find((l: any) => l.n === next.n),
  }))
  await history()
  await call('loans', 'list', {}, (d) => d.map((l: any) => ({ id: l.id, state: l.state })))
  const receipts = await call('loans', 'receipts', {}, (d) => d.map((r: any) => `${r.kind} ${r.amountFen}`))
  await call('loans', 'verifyReceipt', { receipt: receipts.data[0] })
  await call('account', 'consents', {}, (d) => d.map((c: any) => c.kind + (c.purpose ? `:${c.purpose}` : '')))
  await call('account', 'export', {}, (d) => ({
    identity: d.identity,
    cards: d.cards,
    loans: d.loans.length,
    receipts: d.receipts.length,
  }))
  // The books, as `npm run kaitong -- ledger …` reads them from the database file (its own connection).
  const books = () => ({ store: new SqliteStore(cloud.dbFile, INDEXES) })
  const loanIds = (await call('loans', 'list', {}, () => '(the ids, for the ledger)')).data.map((l: any) => l.id)
  console.log(
    '\n# the books: every payout, repayment, cooling-off return and card debit posted once; the trial balance',
  )
  const tb = await ledgerCommand(['trial-balance'], books, '')
  const t = tb.output as any
  console.log(
    `$ kaitong ledger trial-balance\n  entries ${t.entries}, debits ${t.debitsFen} = credits ${t.creditsFen}: balanced ${t.balanced}`,
  )
  for (const [name, a] of Object.entries(t.accounts as Record<string, any>))
    if (a.debitFen || a.creditFen) console.log(`  ${name.padEnd(36)} balance ${String(a.balanceFen).padStart(8)}`)
  for (const id of loanIds) {
    const one = (await ledgerCommand(['loan', id], books, '')).output as any
    console.log(
      `$ kaitong ledger loan ${id}\n  ${one.state}: ${one.entries.map((e: any) => e.type).join(', ')}; principal receivable in the books ${one.principalReceivable.booksFen}, the loan says ${one.principalReceivable.loanFen}: agrees ${one.principalReceivable.agrees}`,
    )
  }
  // Each China day a payment was made on (the local clock was moved), reconciled.
  const days = new Set<string>()
  for (const id of loanIds)
    for (const p of (await post('/api/payments', { action: 'list', data: { loanId: id } })).json.data ?? [])
      if (p.paidAt) days.add(chinaDateString(p.paidAt))
  for (const day of [...days].sort()) {
    const rec = (await reconcileCommand(['--date', day], () => localPorts({ dbFile: cloud.dbFile, log: quiet })))
      .output as any
    const say = (c: any, provider: string) =>
      `${c.statementLines} statement lines: ${c.matched} matched, ${c.missingInBooks.length} missing in the books, ${c.missingAtProvider.length} missing at ${provider}, ${c.differing.length} differing`
    console.log(
      `$ kaitong reconcile --date ${day}\n  WeChat Pay: ${say(rec.wechatPay, 'WeChat Pay')}\n  card debits: ${say(rec.cardDebits, 'the gateway')}`,
    )
  }
  token = (await dev('/__dev/signin', { user: 'operator' })).data.token
  await call('merchants', 'createCode', { merchantCode: 'noodle7', name: '面馆七号（演示）' }, (d) => ({
    scene: d.scene,
    page: d.page,
    image: `${d.image.contentType}, ${d.image.base64.length} base64 chars`,
  }))
  token = (await dev('/__dev/signin', { user: 'alice' })).data.token
  console.log('\n# the contracts she signed: the line contract at opening, a drawdown note at each drawdown')
  const contracts = await call('contracts', 'list', {}, (d) =>
    d.map((c: any) => `${c.kind} ${c.contractId} ${c.templateVersion} ${c.sha256.slice(0, 16)}…`),
  )
  const note = contracts.data.find((c: any) => c.kind === 'drawdown')
  await call('contracts', 'get', { contractId: note.contractId }, (d) => ({ sha256: d.sha256, signing: d.signing }))
  const pdf = await call('contracts', 'pdf', { contractId: note.contractId })
  const pdfFile = path.join(dir, 'contract.pdf')
  const downloaded = await fetch(pdf.data.url.startsWith('http') ? pdf.data.url : base + pdf.data.url)
  fs.writeFileSync(pdfFile, Buffer.from(await downloaded.arrayBuffer()))
  console.log(`\n# downloaded ${pdfFile} (${fs.statSync(pdfFile).size} bytes); checked with the published key only`)
  const keyUrl = `${base}/.well-known/kaitong-signing-key`
  console.log(
    `\n$ kaitong verify ${pdfFile} --key ${keyUrl}\n${short((await verifyCommand([pdfFile, '--key', keyUrl], noKey)).output, 900)}`,
  )
  const receiptFile = path.join(dir, 'receipt.json')
  fs.writeFileSync(receiptFile, JSON.stringify(receipts.data[0]))
  console.log(
    `\n$ kaitong verify ${receiptFile} --key ${keyUrl}\n${short((await verifyCommand([receiptFile, '--key', keyUrl], noKey)).output, 900)}`,
  )
  console.log('\n# why each product is decided as it is (each dimension, every rule), and a consent withdrawn')
  await call('credit', 'explain', { product: 'weilidai' }, (d) => ({
    eligible: d.eligible,
    score: d.score,
    dimensions: d.dimensions.map((x: any) => `${x.name} ${x.score}×${x.weight}%=${x.contribution}`),
    failed: d.rules.filter((r: any) => !r.passed).map((r: any) => r.id),
  }))
  await call('account', 'withdrawConsent', { kind: 'biometricConsent' }, (d) => ({ stops: d.stops, again: d.again }))
  console.log('\n# the last loan settled, then the account deleted: what stays, why, and until when')
  await pay(await repay(third.data.loan.id, 'all'))
  const gone = await post('/api/account', {
    action: 'delete',
    data: { confirm: true },
    requestId: `r${crypto.randomBytes(8).toString('hex')}`,
  })
  console.log(
    `\n→ POST /api/account {"action":"delete","data":{"confirm":true}}\n← ${gone.status} ${JSON.stringify(gone.json, null, 2)}`,
  )
  await cloud.stop()
}

main().catch((e: unknown) => {
  console.error(e)
  process.exit(1)
})
