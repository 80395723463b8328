// Repayment reminders: grants the user gave, the in-app message center, and the job the timer
// runs. A reminder is claimed (insert-unique on its dedupe key) before it is sent, so a second
// run, or two at once, never sends it twice; a claim a dead run left behind is reported, never
// resent (at-most-once). With no grant left, or on 43101, it goes to the message center.
import { fail, ok, type ApiResult, type InboxMessage } from '../../src/api'
import { formatYuanGrouped } from '../../src/domain/money'
import { DAY_MS, MINUTE_MS } from '../../src/domain/china-time'
import { reminderMessage } from '../../src/domain/reminder-templates'
import {
  dueReminders,
  isQuietHour,
  latenessRisk,
  orderByRisk,
  planReminders,
  type PlannedReminder,
} from '../../src/domain/reminders'
import type { Ports } from '../ports'
import { dueKeyBound, type LoanDoc } from './loans/index'
import { COLLECTIONS } from '../schema'
import { changeUser, loadUser } from './users'
import { PRODUCT_NAMES } from '../../src/domain/catalog'
import type { UseCase } from './use-case'
import type { ConsentDoc } from './onboarding'
import type { LineDoc } from './lines'

export interface ReminderClaim {
  openid: string
  loanId: string
  n: number
  kind: string
  state: 'claimed' | 'sent' | 'inbox'
  claimedAt: number
  doneAt: number | null
}

export interface MessageDoc extends Omit<InboxMessage, 'id'> {
  openid: string
}

/** A claim still 'claimed' after this long belongs to a run that died. */
export const DEAD_CLAIM_MS = 10 * MINUTE_MS

export const grant: UseCase<'reminders', 'grant'> = async (ports, openid, input) => {
  const known = new Set(Object.values(ports.reminderTemplates))
  const unknown = input.templateIds.find((t) => !known.has(t))
  if (unknown !== undefined) return fail('TEMPLATE_UNKNOWN', { field: 'templateIds', detail: unknown.slice(0, 64) })
  const saved = await changeUser<Record<string, number>>(ports.store, openid, ports.clock.now(), (u) => {
    const grants = { ...u.grants }
    for (const t of new Set(input.templateIds)) grants[t] = (grants[t] ?? 0) + 1
    return { write: { ...u, grants }, result: grants }
  })
  if (!saved.ok) return fail('CONFLICT')
  // The consent to be reminded by subscribe message, given (again): its record beside any withdrawal.
  await ports.store.insert<ConsentDoc>(COLLECTIONS.consents, `${openid}:reminders:${ports.clock.now()}`, {
    openid,
    kind: 'reminders',
    version: '-',
    acceptedAt: ports.clock.now(),
  })
  return ok({ grants: saved.result })
}

export async function inbox(
  ports: Ports,
  openid: string,
): Promise<ApiResult<{ messages: InboxMessage[]; unread: number }>> {
  const docs = await ports.store.query<MessageDoc>(COLLECTIONS.messages, {
    index: 'byOpenid',
    eq: openid,
    order: 'desc',
    limit: 200,
  })
  const messages = docs.map((d) => ({
    id: d.id,
    loanId: d.data.loanId,
    kind: d.data.kind,
    title: d.data.title,
    body: d.data.body,
    at: d.data.at,
    read: d.data.read,
  }))
  return ok({ messages, unread: messages.filter((m) => !m.read).length })
}

export const read: UseCase<'reminders', 'read'> = async (ports, openid, input) => {
  for (const id of input.ids) {
    const doc = await ports.store.get<MessageDoc>(COLLECTIONS.messages, id)
    if (doc && doc.data.openid === openid && !doc.data.read)
      await ports.store.update(COLLECTIONS.messages, id, doc.version, { ...doc.data, read: true })
  }
  const r = await inbox(ports, openid)
  return r.ok ? ok({ unread: r.data.unread }) : r
}

export interface RunReport {
  quiet: boolean
  loansScanned: number
  due: number
  sent: number
  inbox: number
  alreadyClaimed: number
  /** Claims left 'claimed' by a run that died: reported, never resent. */
  deadClaims: string[]
  stoppedEarly: boolean
}

export interface RunOptions {
  /** True once the run must stop (the default budget is 50 s of the 60 s limit). */
  outOfTime: () => boolean
  concurrency?: number
  /** Plans and reports without claiming or sending (the operator CLI's --dry-run). */
  dryRun?: boolean
  onPlanned?: (p: {
    reminder: PlannedReminder
    openid: string
    product: string
    risk: number
    channel: 'subscribe' | 'inbox'
  }) => void
}

/** The reminder job: what the timer trigger runs (and POST /__dev/reminders/run locally). */
export async function runReminders(ports: Ports, opts: RunOptions): Promise<RunReport> {
  const now = ports.clock.now()
  const report: RunReport = {
    quiet: false,
    loansScanned: 0,
    due: 0,
    sent: 0,
    inbox: 0,
    alreadyClaimed: 0,
    deadClaims: [],
    stoppedEarly: false,
  }
  const dead = await ports.store.query<ReminderClaim>(COLLECTIONS.reminders, {
    index: 'byState',
    eq: 'claimed',
    lt: now - DEAD_CLAIM_MS,
    limit: 100,
  })
  report.deadClaims = dead.map((d) => d.id)
  if (isQuietHour(now)) return { ...report, quiet: true }

  // Loans whose next unpaid line falls due between 8 days ago and 4 days ahead, 100 a query.
  const work: Array<{ risk: number; reminder: PlannedReminder; doc: LoanDoc }> = []
  let cursor = dueKeyBound(now - 8 * DAY_MS)
  const end = dueKeyBound(now + 4 * DAY_MS)
  for (;;) {
    const page = await ports.store.query<LoanDoc>(COLLECTIONS.loans, {
      index: 'byRemind',
      eq: 1,
      gte: cursor,
      lt: end,
      limit: 100,
    })
    const fresh = page.filter((d) => d.data.track.dueKey !== cursor)
    for (const d of fresh) {
      report.loansScanned++
      const loan = d.data.loan
      const outstanding = loan.amountFen - loan.paid.principalFen
      const lastPaid =
        loan.paidInstallments > 0
          ? loan.schedule[loan.paidInstallments - 1].dueAt
          : (loan.disbursedAt ?? loan.appliedAt)
      const risk = latenessRisk({
        latePayments:
          (loan.paid.overdueFen > 0 ? 1 : 0) +
          loan.schedule.slice(loan.paidInstallments).filter((l) => l.dueAt <= now).length,
        utilisationPermille: Math.round((outstanding * 1000) / loan.amountFen),
        daysSinceLastRepayment: Math.floor((now - lastPaid) / DAY_MS),
      }).score
      for (const reminder of dueReminders(planReminders(loan), now)) work.push({ risk, reminder, doc: d.data })
    }
    if (page.length < 100 || fresh.length === 0) break
    cursor = page[page.length - 1].data.track.dueKey
  }
  report.due = work.length

  const queue = orderByRisk(work)
  let next = 0
  const worker = async () => {
    while (next < queue.length) {
      if (opts.outOfTime()) {
        report.stoppedEarly = true
        return
      }
      const item = queue[next++]
      await deliver(ports, item, now, opts, report)
    }
  }
  await Promise.all(Array.from({ length: opts.concurrency ?? 20 }, worker))
  return report
}

async function deliver(
  ports: Ports,
  { risk, reminder, doc }: { risk: number; reminder: PlannedReminder; doc: LoanDoc },
  now: number,
  opts: RunOptions,
  report: RunReport,
): Promise<void> {
  // With automatic debit on, the reminder the day before (and on the day) is its notice.
  const notice = reminder.kind === 'D-1' || reminder.kind === 'D0'
  const line = notice && doc.lineId ? await ports.store.get<LineDoc>(COLLECTIONS.lines, doc.lineId) : null
  const debitFrom = line?.data.line.autoDebit?.last4 ?? null
  const message = reminderMessage(reminder, PRODUCT_NAMES[doc.loan.product], debitFrom)
  const templateId = ports.reminderTemplates[message.template]
  if (opts.dryRun) {
    const user = await loadUser(ports.store, doc.openid)
    const channel = (user?.data.grants?.[templateId] ?? 0) > 0 ? 'subscribe' : 'inbox'
    opts.onPlanned?.({ reminder, openid: doc.openid, product: doc.loan.product, risk, channel })
    return
  }
  const claim: ReminderClaim = {
    openid: doc.openid,
    loanId: reminder.loanId,
    n: reminder.n,
    kind: reminder.kind,
    state: 'claimed',
    claimedAt: now,
    doneAt: null,
  }
  const claimed = await ports.store.insert(COLLECTIONS.reminders, reminder.key, claim)
  if (!claimed.ok) {
    report.alreadyClaimed++
    return
  }
  // Spend one grant (compare-and-set) before sending: a grant is one send.
  const spent = await changeUser<boolean>(ports.store, doc.openid, now, (u) => {
    const left = u.grants?.[templateId] ?? 0
    if (left <= 0) return { stop: false }
    return { write: { ...u, grants: { ...u.grants, [templateId]: left - 1 } }, result: true }
  })
  let channel: 'sent' | 'inbox' = 'inbox'
  if (spent.ok && spent.result) {
    const r = await ports.notifier.send({
      openid: doc.openid,
      templateId,
      page: `pages/loan/detail/index?loanId=${reminder.loanId}`,
      data: message.data,
    })
    if (r.ok) channel = 'sent'
    else if (r.reason === 'NO_GRANT') {
      // WeChat says none is left: our count was wrong, so it is corrected to zero.
      await changeUser(ports.store, doc.openid, now, (u) => ({
        write: { ...u, grants: { ...u.grants, [templateId]: 0 } },
        result: null,
      }))
    }
  }
  if (channel === 'inbox') {
    const d = message.data
    await ports.store.insert<MessageDoc>(COLLECTIONS.messages, reminder.key, {
      openid: doc.openid,
      loanId: reminder.loanId,
      kind: reminder.kind,
      title: `${d.thing1.value}${d.phrase4.value}`,
      // The message center has no field limits: the amount as people read it, grouped.
      body:
        `应还 ${formatYuanGrouped(reminder.amountFen)}，到期日 ${d.date3.value}。` +
        (debitFrom
          ? `${reminder.kind === 'D0' ? '今天' : '明天'} 09:00 将从尾号${debitFrom}的银行卡自动扣款，失败会在 13:00、18:00 再试；不想自动扣款，可在额度页随时关闭。`
          : d.thing5.value),
      at: now,
      read: false,
    })
  }
  await ports.store.update<ReminderClaim>(COLLECTIONS.reminders, reminder.key, claimed.doc.version, {
    ...claim,
    state: channel,
    doneAt: now,
  })
  if (channel === 'sent') report.sent++
  else report.inbox++
}
