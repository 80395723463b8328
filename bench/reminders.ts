// `npm run bench:reminders`: 100k active loans in a real SQLite file, 20k of them with a reminder
// due now, a simulated subscribe-message sender with 5 ms latency, concurrency 20, and one run's
// 50 s budget: the time to plan, reminders processed per second, and how many fit one run.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fromChinaDateTime } from '../src/domain/china-time'
import { newLoan, transition } from '../src/domain/loan'
import { priceOffer } from '../src/domain/pricing'
import { trackOf, type LoanDoc } from '../server/app/loans/index'
import { runReminders } from '../server/app/reminders'
import { COLLECTIONS } from '../server/schema'
import { localPorts } from '../server/local/ports'

const LOANS = Number(process.env.BENCH_LOANS ?? 100_000)
const DUE = Number(process.env.BENCH_DUE ?? 20_000)
const SEND_LATENCY_MS = 5
const CONCURRENCY = 20
const BUDGET_MS = 50_000

export async function benchReminders(): Promise<string[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kt-bench-rem-'))
  // Disbursed 28 Nov 10:00 → the one-month line is due 28 Dec; the run is at 28 Dec 10:30 (D0).
  const disbursedAt = fromChinaDateTime({ year: 2026, month: 11, day: 28, hour: 10 })
  const runAt = fromChinaDateTime({ year: 2026, month: 12, day: 28, hour: 10, minute: 30 })
  const quiet = { info() {}, warn() {}, error() {} }
  const ports = localPorts({
    dbFile: path.join(dir, 'k.db'),
    secretKey: Buffer.alloc(32, 3),
    now: () => runAt,
    log: quiet,
  })
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
  ports.notifier = { send: async () => (await sleep(SEND_LATENCY_MS), { ok: true }) }

  // Setup (not measured): loans written in one transaction; every other due borrower has a grant.
  const soon = priceOffer({
    product: 'we2000',
    amountFen: 100_000,
    term: { months: 1 },
    mode: 'equal-principal',
    disbursedAt,
  })
  const later = priceOffer({
    product: 'we2000',
    amountFen: 100_000,
    term: { months: 2 },
    mode: 'equal-principal',
    disbursedAt: runAt,
  })
  if (!soon.ok || !later.ok) throw new Error('pricing')
  const insert = ports.store.db.prepare('INSERT INTO docs (collection, id, version, data) VALUES (?, ?, 1, ?)')
  const t0 = performance.now()
  ports.store.db.transaction(() => {
    for (let i = 0; i < LOANS; i++) {
      const id = `L${String(i).padStart(6, '0')}`
      const openid = `o_bench_${i}`
      let loan = newLoan(id, i < DUE ? soon.offer : later.offer, 'rules/bench', disbursedAt)
      for (const type of ['APPROVE', 'DISBURSE'] as const) {
        const t = transition(loan, { type }, i < DUE ? disbursedAt : runAt)
        if (t.ok) loan = t.loan
      }
      const doc: LoanDoc = {
        openid,
        loan,
        purpose: 'consumption',
        merchant: null,
        lineId: `${openid}:${loan.product}`,
        track: trackOf(loan),
      }
      insert.run(COLLECTIONS.loans, id, JSON.stringify(doc))
      if (i < DUE && i % 2 === 0) {
        insert.run(
          COLLECTIONS.users,
          openid,
          JSON.stringify({
            openid,
            createdAt: 0,
            agreements: {},
            identity: null,
            entryMerchant: null,
            grants: { tpl_local_due: 1 },
          }),
        )
      }
    }
  })()
  const setupMs = performance.now() - t0

  // Planning alone: scan, plan and order everything, deliver nothing.
  let t = performance.now()
  const planned = await runReminders(ports, { outOfTime: () => true })
  const planMs = performance.now() - t

  // One run within the budget.
  t = performance.now()
  const run = await runReminders(ports, {
    outOfTime: () => performance.now() - t > BUDGET_MS,
    concurrency: CONCURRENCY,
  })
  const runMs = performance.now() - t
  const processed = run.sent + run.inbox
  const again = await runReminders(ports, { outOfTime: () => false })
  ports.store.close()
  return [
    `setup: ${LOANS.toLocaleString('en')} active loans, ${DUE.toLocaleString('en')} due now (written in ${(setupMs / 1000).toFixed(1)} s)`,
    `planning: ${planned.loansScanned.toLocaleString('en')} loans scanned in pages of 100, ${planned.due.toLocaleString('en')} reminders due, ${planMs.toFixed(0)} ms`,
    `run: ${processed.toLocaleString('en')} processed (${run.sent.toLocaleString('en')} sent with a 5 ms sender, ${run.inbox.toLocaleString('en')} to the message center) in ${(runMs / 1000).toFixed(1)} s → ${Math.round(processed / (runMs / 1000)).toLocaleString('en')} reminders/s, concurrency ${CONCURRENCY}`,
    `fits one 50 s run: ${run.stoppedEarly ? `no — stopped after ${processed}` : `yes — all ${processed.toLocaleString('en')} (about ${Math.round((processed / (runMs / 1000)) * 50).toLocaleString('en')} would fit)`}`,
    `a second run: ${again.sent + again.inbox} sent, ${again.alreadyClaimed.toLocaleString('en')} already claimed (never twice)`,
  ]
}

if (process.argv[1] && /reminders\.ts$/.test(process.argv[1])) {
  console.log(`reminders benchmark — node ${process.version}, ${new Date().toISOString()}`)
  benchReminders().then((lines) => lines.forEach((l) => console.log(l)))
}
