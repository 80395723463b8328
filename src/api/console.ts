// The console's contract: the `console` cloud function's actions, their input schemas, the roles
// that may call each, and what each answers. The operator console (console/) and the server both
// import this file; nothing else of the server crosses to the console.
import * as v from 'valibot'
import { PRODUCT_IDS, type ProductId } from '../domain/catalog'
import type { AccountId, JournalEntry } from '../domain/journal'
import type { BookedPayment, Difference, StatementLine } from '../domain/reconcile'

export const CONSOLE_FUNCTION = 'console'

/** The operator roles (PRODUCT.md §13). */
export const ROLES = ['reviewer', 'risk', 'operations', 'finance', 'auditor', 'admin'] as const
export type Role = (typeof ROLES)[number]

export const ROLE_NAMES: Record<Role, string> = {
  reviewer: '审核员',
  risk: '风控',
  operations: '运营',
  finance: '财务',
  auditor: '审计',
  admin: '管理员',
}

const Text = (max: number) => v.pipe(v.string(), v.maxLength(max))
const Username = v.pipe(v.string(), v.regex(/^[a-z0-9][a-z0-9_-]{1,31}$/, 'username: 2–32 of [a-z0-9_-]'))
/** A China calendar day, YYYY-MM-DD. */
const Day = v.pipe(v.string(), v.regex(/^\d{4}-\d{2}-\d{2}$/, 'a day: YYYY-MM-DD'))
const MerchantCode = v.pipe(v.string(), v.regex(/^[0-9A-Za-z_-]{2,16}$/, 'merchantCode: 2–16 of [0-9A-Za-z_-]'))
const Reason = v.pipe(v.string(), v.trim(), v.minLength(2, 'reason: say why (2–200 characters)'), v.maxLength(200))
const Epoch = v.pipe(v.number(), v.integer(), v.minValue(0))
const Openid = v.pipe(v.string(), v.minLength(1), v.maxLength(64))

/** `all`: any signed-in operator; `public`: no session (signing in). */
export type Access = readonly Role[] | 'all' | 'public'

/** Each action: its input schema, whether it changes state (then a requestId is required), and who may call it. */
export const CONSOLE_CONTRACT = {
  'console.signIn': {
    mutating: false,
    access: 'public',
    input: v.object({
      username: Text(32),
      password: Text(128),
      totp: v.pipe(v.string(), v.regex(/^\d{6}$/, 'totp: the 6 digits of the authenticator app')),
    }),
  },
  'console.signOut': { mutating: false, access: 'all', input: v.object({}) },
  'console.me': { mutating: false, access: 'all', input: v.object({}) },
  'operators.list': { mutating: false, access: ['admin', 'auditor'], input: v.object({}) },
  'operators.create': {
    mutating: true,
    access: ['admin'],
    input: v.object({
      username: Username,
      role: v.picklist(ROLES),
      password: v.pipe(v.string(), v.minLength(12, 'password: at least 12 characters'), v.maxLength(128)),
      borrowerOpenid: v.optional(Openid),
    }),
  },
  'operators.setEnabled': {
    mutating: true,
    access: ['admin'],
    input: v.object({ username: Username, enabled: v.boolean() }),
  },
  'reviews.list': {
    mutating: false,
    access: ['reviewer', 'risk', 'auditor'],
    input: v.object({ state: v.optional(v.picklist(['waiting', 'decided'])) }),
  },
  'reviews.get': { mutating: false, access: ['reviewer', 'risk', 'auditor'], input: v.object({ caseId: Text(80) }) },
  'reviews.decide': {
    mutating: true,
    access: ['reviewer'],
    input: v.object({ caseId: Text(80), decision: v.picklist(['approve', 'refuse']), reason: Reason }),
  },
  'versions.list': { mutating: false, access: ['risk', 'admin', 'auditor'], input: v.object({}) },
  'versions.draft': {
    mutating: true,
    access: ['risk', 'admin'],
    input: v.object({
      kind: v.picklist(['rules', 'catalog']),
      /** The whole rule set or catalog, as versions.list shows the published one (its version is assigned). */
      body: v.custom<Record<string, unknown>>(
        (b) => typeof b === 'object' && b !== null && !Array.isArray(b),
        'body: a rule set or catalog object',
      ),
      note: v.optional(v.pipe(v.string(), v.maxLength(200)), ''),
    }),
  },
  'versions.simulate': {
    mutating: false,
    access: ['risk', 'admin'],
    input: v.object({
      versionId: Text(64),
      /** How many stored profiles to run it on (the newest first); all of them, up to 100,000, by default. */
      sample: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(100_000))),
    }),
  },
  'versions.publish': { mutating: true, access: ['admin'], input: v.object({ versionId: Text(64) }) },
  'borrowers.search': {
    mutating: false,
    access: ['reviewer', 'risk', 'operations', 'finance', 'auditor'],
    input: v.object({
      query: v.pipe(v.string(), v.trim(), v.minLength(4, 'query: at least 4 characters'), v.maxLength(64)),
    }),
  },
  'loans.timeline': {
    mutating: false,
    access: ['reviewer', 'risk', 'operations', 'finance', 'auditor'],
    input: v.object({ loanId: Text(64) }),
  },
  'merchants.list': { mutating: false, access: ['operations', 'admin', 'auditor'], input: v.object({}) },
  'merchants.create': {
    mutating: true,
    access: ['operations', 'admin'],
    input: v.object({
      merchantCode: MerchantCode,
      name: v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(40)),
    }),
  },
  'merchants.setEnabled': {
    mutating: true,
    access: ['operations', 'admin'],
    input: v.object({ merchantCode: MerchantCode, enabled: v.boolean() }),
  },
  'merchants.code': {
    mutating: false,
    access: ['operations', 'admin'],
    input: v.object({ merchantCode: MerchantCode }),
  },
  'merchants.funnel': {
    mutating: false,
    access: ['operations', 'admin', 'auditor'],
    input: v.object({ merchantCode: MerchantCode, from: Day, to: Day }),
  },
  'whitelist.list': {
    mutating: false,
    access: ['operations', 'risk', 'auditor'],
    input: v.object({ product: v.optional(v.picklist(PRODUCT_IDS)) }),
  },
  'whitelist.add': {
    mutating: true,
    access: ['operations', 'risk'],
    input: v.object({
      product: v.picklist(PRODUCT_IDS),
      openids: v.optional(v.pipe(v.array(Openid), v.maxLength(1000))),
      /** One openid per line (a first column of a CSV export); a header line `openid` is skipped. */
      csv: v.optional(v.pipe(v.string(), v.maxLength(60_000))),
      reason: Reason,
    }),
  },
  'whitelist.remove': {
    mutating: true,
    access: ['operations', 'risk'],
    /** Which entry: the row's `entry` from whitelist.list, or the openid itself (from the lender's own file). */
    input: v.object({
      product: v.picklist(PRODUCT_IDS),
      entry: v.optional(v.pipe(v.string(), v.minLength(1), v.maxLength(600))),
      openid: v.optional(Openid),
      reason: Reason,
    }),
  },
  'books.trialBalance': { mutating: false, access: ['finance', 'auditor'], input: v.object({}) },
  'books.account': {
    mutating: false,
    access: ['finance', 'auditor'],
    input: v.object({ account: Text(40), from: Epoch, to: Epoch }),
  },
  'books.reconciliation': { mutating: false, access: ['finance', 'auditor'], input: v.object({ date: Day }) },
  'reminders.stats': {
    mutating: false,
    access: ['operations', 'auditor'],
    input: v.object({ from: Epoch, to: Epoch }),
  },
  'audit.search': {
    mutating: false,
    access: ['auditor', 'admin'],
    input: v.object({
      source: v.optional(v.picklist(['operator', 'borrower']), 'operator'),
      actor: v.optional(Text(64)),
      action: v.optional(Text(64)),
      from: Epoch,
      to: Epoch,
    }),
  },
} as const satisfies Record<string, { mutating: boolean; access: Access; input: v.GenericSchema }>

export type ConsoleContract = typeof CONSOLE_CONTRACT
export type ConsoleAction = keyof ConsoleContract
export const CONSOLE_ACTIONS = Object.keys(CONSOLE_CONTRACT) as ConsoleAction[]
export type ConsoleRequest<A extends ConsoleAction> = v.InferInput<ConsoleContract[A]['input']>
export type ConsoleInput<A extends ConsoleAction> = v.InferOutput<ConsoleContract[A]['input']>

/** Whether `role` may call `action` (the server checks this for every call; the console hides what it may not). */
export function mayCall(role: Role, action: ConsoleAction): boolean {
  const access: Access = CONSOLE_CONTRACT[action].access
  return access === 'public' || access === 'all' || access.includes(role)
}

// ---- responses ----

export interface OperatorView {
  username: string
  role: Role
  enabled: boolean
  createdAt: number
  lastSignInAt: number | null
}

export interface SignInResult {
  token: string
  expiresAt: number
  operator: OperatorView
}

export interface CreatedOperator {
  operator: OperatorView
  /** The TOTP secret (base32) and its otpauth:// address: shown once, for the authenticator app. */
  totpSecret: string
  otpauth: string
}

export type ReviewKind = 'line' | 'drawdown' | 'refusal'

export interface Proposal {
  by: string
  decision: 'approve' | 'refuse'
  reason: string
  at: number
}

export interface ReviewSummary {
  caseId: string
  kind: ReviewKind
  product: ProductId
  state: 'waiting' | 'approved' | 'refused' | 'expired'
  /** The borrower, masked. */
  borrower: string
  amountFen: number | null
  requestedAt: number
  expiresAt: number
  ageMs: number
  proposal: Proposal | null
}

export interface ReviewDetail extends ReviewSummary {
  /** The borrower's note, when they asked for a person. */
  note: string
  /** What the rules said: version, score, the reasons (with their fixes). */
  evaluation: { ruleSetVersion: string; score: number | null; reasons: Array<{ code: string; title: string }> }
  profile: {
    name: string
    idNumber: string
    mobile: string
    verifiedAt: number | null
    entryMerchant: string | null
  }
  /** The borrower's lines and loans, masked and summed up. */
  history: {
    lines: Array<{ product: ProductId; state: string; limitFen: number; inUseFen: number }>
    loans: Array<{ loanId: string; product: ProductId; state: string; amountFen: number; appliedAt: number }>
  }
  decidedAt: number | null
  outcome: string | null
  confirmedBy: string | null
}

export interface VersionView {
  versionId: string
  kind: 'rules' | 'catalog'
  state: 'draft' | 'pending' | 'published' | 'superseded'
  note: string
  createdBy: string
  createdAt: number
  publishRequestedBy: string | null
  publishedBy: string | null
  publishedAt: number | null
  body: Record<string, unknown>
}

export interface ProductDecisionSummary {
  eligible: boolean
  limitFen: number
  dailyRatePpm: number
}

export interface Simulation {
  versionId: string
  /** The published version it was compared with. */
  against: string
  profiles: number
  byProduct: Record<
    ProductId,
    {
      changed: number
      nowEligible: number
      nowRefused: number
      limitUp: number
      limitDown: number
      rateChanged: number
    }
  >
  /**
   * What the draft states differently from the published version of its kind, field by field (a
   * list whose length may change, whole): fees, terms and overdue rules change no decision, but
   * every drawdown on a line opened under the draft.
   */
  fields: Array<{ path: string; before: unknown; after: unknown }>
  /** A few of the changed decisions (profiles named by a short pseudonym). */
  examples: Array<{
    profile: string
    product: ProductId
    before: ProductDecisionSummary
    after: ProductDecisionSummary
  }>
  tookMs: number
}

export interface BorrowerHit {
  borrower: string
  name: string
  mobile: string
  verified: boolean
  entryMerchant: string | null
  lines: Array<{ product: ProductId; state: string; limitFen: number; inUseFen: number }>
  loans: Array<{ loanId: string; product: ProductId; state: string; amountFen: number; appliedAt: number }>
}

export interface TimelineItem {
  at: number
  kind: 'event' | 'payment' | 'journal' | 'receipt' | 'reminder' | 'contract'
  title: string
  detail: string
}

export interface LoanTimeline {
  loanId: string
  borrower: string
  product: ProductId
  state: string
  amountFen: number
  items: TimelineItem[]
  journal: JournalEntry[]
}

export interface MerchantRow {
  code: string
  name: string
  enabled: boolean
  createdAt: number
}

export const FUNNEL_STEPS = ['entry', 'agreements', 'realName', 'precheck', 'lineOpened', 'firstDrawdown'] as const
export type FunnelStep = (typeof FUNNEL_STEPS)[number]
export const FUNNEL_STEP_NAMES: Record<FunnelStep, string> = {
  entry: '进入',
  agreements: '同意协议',
  realName: '实名认证',
  precheck: '预审',
  lineOpened: '开通额度',
  firstDrawdown: '首次借款',
}

export interface Funnel {
  merchantCode: string
  days: Array<{ day: string } & Record<FunnelStep, number>>
  totals: Record<FunnelStep, number>
  /** Each step over the one before it, in percent with one decimal (null where the step before is 0). */
  conversion: Record<FunnelStep, number | null>
}

export interface WhitelistRow {
  /** Masked (oDev…f123): operators never see a full openid in a list. */
  openid: string
  /** The entry's reference for whitelist.remove (the openid sealed by the server). */
  entry: string
  product: ProductId
  reason: string
  addedBy: string
  addedAt: number
}

export interface TrialBalanceView {
  accounts: Array<{ account: AccountId; name: string; debitFen: number; creditFen: number; balanceFen: number }>
  debitFen: number
  creditFen: number
  balanced: boolean
  entries: number
}

export interface AccountView {
  account: AccountId
  postings: Array<{
    entryId: string
    type: string
    loanId: string
    at: number
    side: 'debit' | 'credit'
    amountFen: number
  }>
  debitFen: number
  creditFen: number
}

/** One channel's statement for a China day against the books (PRODUCT.md §11, 对账). */
export interface ReconciliationChannelView {
  channel: 'wechatPay' | 'cardDebit'
  statementLines: number
  matched: number
  /** Paid at the provider, nothing in the books. */
  missingInBooks: StatementLine[]
  /** In the books, not on the provider's statement. */
  missingAtProvider: BookedPayment[]
  differing: Difference[]
}

export interface ReconciliationView {
  date: string
  /** False for today: the statements are not complete until the day is over. */
  dayClosed: boolean
  clean: boolean
  channels: ReconciliationChannelView[]
}

export interface ReminderStats {
  byState: Record<string, number>
  byKind: Record<string, number>
  total: number
}

export interface AuditRow {
  id: string
  source: 'operator' | 'borrower'
  at: number
  actor: string
  action: string
  outcome: string
  detail: string
}

export interface ConsoleOutputs {
  'console.signIn': SignInResult
  'console.signOut': { signedOut: true }
  'console.me': OperatorView
  'operators.list': OperatorView[]
  'operators.create': CreatedOperator
  'operators.setEnabled': OperatorView
  'reviews.list': ReviewSummary[]
  'reviews.get': ReviewDetail
  'reviews.decide': ReviewDetail
  'versions.list': VersionView[]
  'versions.draft': VersionView
  'versions.simulate': Simulation
  'versions.publish': VersionView
  'borrowers.search': BorrowerHit[]
  'loans.timeline': LoanTimeline
  'merchants.list': MerchantRow[]
  'merchants.create': MerchantRow
  'merchants.setEnabled': MerchantRow
  'merchants.code': {
    merchantCode: string
    scene: string
    page: string
    image: { contentType: string; base64: string }
  }
  'merchants.funnel': Funnel
  'whitelist.list': WhitelistRow[]
  'whitelist.add': { added: number; already: number; rows: WhitelistRow[] }
  'whitelist.remove': { removed: boolean }
  'books.trialBalance': TrialBalanceView
  'books.account': AccountView
  'books.reconciliation': ReconciliationView
  'reminders.stats': ReminderStats
  'audit.search': AuditRow[]
}

type Assert<T extends true> = T
/** Every console action has exactly one output type. */
export type ConsoleOutputsMatch = Assert<
  [Exclude<ConsoleAction, keyof ConsoleOutputs>, Exclude<keyof ConsoleOutputs, ConsoleAction>] extends [never, never]
    ? true
    : false
>
export type ConsoleOutput<A extends ConsoleAction> = ConsoleOutputs[A]
