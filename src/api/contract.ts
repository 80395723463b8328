// The contract between the mini-program and the cloud functions: functions, actions, input
// schemas and response types. Both sides import this file; nothing else crosses the line.
import * as v from 'valibot'
import type { AgreementKind } from '../domain/agreements'
import type { OnboardingStep } from '../domain/journey'
import type { PayScoreReading } from '../domain/pay-score'
import {
  PRODUCT_IDS,
  REPAYMENT_MODES,
  type Catalog,
  type OverdueRule,
  type ProductId,
  type RepaymentMode,
} from '../domain/catalog'
import { PURPOSES } from '../domain/purposes'
import type { Line, LineChange } from '../domain/line'
import { CONTRACT_KINDS, type ContractKind } from '../domain/contract-kinds'
import { WITHDRAWABLE, type WithdrawableConsent } from '../domain/withdrawal'
import type { Channel } from '../domain/journal'
import type { Fen } from '../domain/money'
import type { LoanState, ReceiptKind } from '../domain/loan'
import type { PaymentPurpose, PaymentRequest, PaymentState } from '../domain/payment'
import { PREPAY_CHOICES, type PrepayChoice } from '../domain/prepay'
import type { OfferGrid, Offer } from '../domain/pricing'
import type { Reason } from '../domain/reasons'
import type { ApplicationDecision, Evaluation, ProductDecision } from '../domain/rules'

/** `{ action, data, requestId }` — what `wx.cloud.callFunction` sends as `data` and the local cloud as the body. */
export const Envelope = v.object({
  action: v.pipe(v.string(), v.minLength(1), v.maxLength(64)),
  // A plain object; each action's schema checks its fields. (valibot's record takes arrays too.)
  data: v.optional(
    v.custom<Record<string, unknown>>(
      (d) => typeof d === 'object' && d !== null && !Array.isArray(d),
      'data must be an object',
    ),
    {},
  ),
  requestId: v.optional(v.pipe(v.string(), v.regex(/^[0-9A-Za-z_-]{8,64}$/, 'requestId: 8–64 of [0-9A-Za-z_-]'))),
})
export type Envelope = v.InferOutput<typeof Envelope>

const Text = (max: number) => v.pipe(v.string(), v.maxLength(max))
/** A SHA-256 in hex, as contracts.preview answers it. */
const Sha256 = v.pipe(v.string(), v.regex(/^[0-9a-f]{64}$/, 'a SHA-256: 64 lowercase hex digits'))
export { WITHDRAWABLE, type WithdrawableConsent }
// Product ids and repayment modes are the catalog's (declared once, in src/domain/catalog.ts).
const PRODUCTS = PRODUCT_IDS
const MODES = REPAYMENT_MODES
/** Loan purposes. Investment purposes are accepted as input so the rules can refuse them with a reason. */
export type Purpose = (typeof PURPOSES)[number]
export { PURPOSES }

/** A repayment: fen, what is due now, or everything; `prepay` says what money beyond what is due does. */
const Repayment = v.object({
  loanId: Text(64),
  amountFen: v.union([v.literal('all'), v.literal('due'), v.number()]),
  prepay: v.optional(v.picklist(PREPAY_CHOICES)),
})

/** Each action: its input schema, and whether it changes state (then a requestId is required). */
export { CONTRACT_KINDS, type ContractKind }

export const CONTRACT = {
  merchants: {
    resolve: { mutating: false, input: v.object({ scene: Text(256) }) },
    /** Operators only: registers (or re-enables) a merchant and returns its mini-program code. */
    createCode: {
      mutating: true,
      input: v.object({
        merchantCode: v.pipe(v.string(), v.regex(/^[0-9A-Za-z_-]{2,16}$/, 'merchantCode: 2–16 of [0-9A-Za-z_-]')),
        name: v.pipe(v.string(), v.minLength(1), v.maxLength(40)),
      }),
    },
  },
  onboarding: {
    status: { mutating: false, input: v.object({}) },
    acceptAgreements: {
      mutating: true,
      input: v.object({
        accepted: v.pipe(v.array(v.object({ kind: Text(40), version: Text(40) })), v.minLength(1), v.maxLength(8)),
      }),
    },
    verifyIdentity: {
      mutating: true,
      input: v.object({ name: Text(64), idNumber: Text(64), mobile: Text(32) }),
    },
    /** The holder's name and ID are asked again: they are not stored, and the bank checks all four elements. */
    bindCard: {
      mutating: true,
      input: v.object({ cardNumber: Text(32), mobile: Text(32), name: Text(64), idNumber: Text(64) }),
    },
    /** 商户预授权: the token for WeChat Pay's authorization page (wx.openBusinessView). */
    startPayScore: { mutating: true, input: v.object({}) },
    /** No input: the state comes from WeChat Pay, never from the client's callback. */
    authorizePayScore: { mutating: true, input: v.object({}) },
    startFace: { mutating: true, input: v.object({ name: Text(64), idNumber: Text(64) }) },
    confirmFace: { mutating: true, input: v.object({ verifyId: Text(256) }) },
  },
  loans: {
    /**
     * A drawdown against the product's open line: no consent, no hard inquiry (a soft post-loan
     * check only); the amount is reserved from what is available in the same write as the loan.
     */
    apply: {
      mutating: true,
      input: v.object({
        product: v.picklist(PRODUCTS),
        amountFen: v.number(),
        termMonths: v.optional(v.number()),
        termDays: v.optional(v.number()),
        mode: v.picklist(MODES),
        purpose: v.picklist(PURPOSES),
        accountType: v.optional(v.picklist(['debit', 'securities', 'crypto']), 'debit'),
        /** The SHA-256 of the drawdown note (借款合同) exactly as contracts.preview showed it: the borrower's signature. */
        contractSha256: v.optional(Sha256),
      }),
    },
    list: { mutating: false, input: v.object({}) },
    get: { mutating: false, input: v.object({ loanId: Text(64) }) },
    /** Disburses a loan held for face verification again (new device or distant sign-in). */
    drawdown: { mutating: true, input: v.object({ loanId: Text(64) }) },
    cancel: { mutating: true, input: v.object({ loanId: Text(64) }) },
    /**
     * Opens a WeChat Pay payment for `amountFen` (fen, or what is due now, or everything): the loan
     * changes only when the payment is confirmed. `prepay` says what money beyond what is due does.
     */
    repay: { mutating: true, input: Repayment },
    /** What a repayment of `amountFen` would pay, and the plan after it: the live preview. */
    previewRepayment: { mutating: false, input: Repayment },
    receipts: { mutating: false, input: v.object({ loanId: v.optional(Text(64)) }) },
    verifyReceipt: { mutating: false, input: v.object({ receipt: v.record(v.string(), v.unknown()) }) },
  },
  /** Payments from the borrower (WeChat Pay): each one's state, as the provider confirmed it. */
  payments: {
    get: { mutating: false, input: v.object({ paymentId: Text(64) }) },
    list: { mutating: false, input: v.object({ loanId: Text(64) }) },
  },
  account: {
    export: { mutating: false, input: v.object({}) },
    /** `confirm` must be true: deletion is not undone. */
    delete: { mutating: true, input: v.object({ confirm: v.literal(true) }) },
    consents: { mutating: false, input: v.object({}) },
    /** Withdraws an optional consent (recorded, never deleted); what needs it asks again. */
    withdrawConsent: { mutating: true, input: v.object({ kind: v.picklist(WITHDRAWABLE) }) },
  },
  reminders: {
    /** The template ids the user accepted in wx.requestSubscribeMessage (from a tap, ≤ 3): one grant each. */
    grant: {
      mutating: true,
      input: v.object({ templateIds: v.pipe(v.array(Text(64)), v.minLength(1), v.maxLength(3)) }),
    },
    inbox: { mutating: false, input: v.object({}) },
    read: { mutating: true, input: v.object({ ids: v.pipe(v.array(Text(128)), v.maxLength(100)) }) },
  },
  credit: {
    precheck: { mutating: false, input: v.object({}) },
    offers: { mutating: false, input: v.object({}) },
    /**
     * The product catalog (products, limits, rates, terms, fees): the published one, or the version
     * a pre-check, a line or a loan names. Only published versions are readable; a draft is NOT_FOUND.
     */
    catalog: { mutating: false, input: v.object({ version: v.optional(Text(64)) }) },
    /** Why the automated decision is what it is (PIPL art. 24): each dimension and every rule. */
    explain: { mutating: false, input: v.object({ product: v.picklist(PRODUCTS) }) },
    /** Asks for a person to review an automated refusal: a review case that waits, visibly, and expires. */
    requestReview: {
      mutating: true,
      input: v.object({ product: v.picklist(PRODUCTS), note: v.optional(Text(200), '') }),
    },
  },
  /** The contracts the borrower signs (授信合同 at opening, 借款合同 at each drawdown), to read, keep and check. */
  contracts: {
    /**
     * The contract as it would be signed now: `line` for a product's opening; `drawdown` with the
     * loan's figures (amountFen, a term, mode and purpose are then required).
     */
    preview: {
      mutating: false,
      input: v.object({
        kind: v.picklist(CONTRACT_KINDS),
        product: v.picklist(PRODUCTS),
        amountFen: v.optional(v.number()),
        termMonths: v.optional(v.number()),
        termDays: v.optional(v.number()),
        mode: v.optional(v.picklist(MODES)),
        purpose: v.optional(v.picklist(PURPOSES)),
      }),
    },
    list: { mutating: false, input: v.object({}) },
    get: { mutating: false, input: v.object({ contractId: Text(64) }) },
    /** The signed contract as a PDF: a short-lived address to download it from, and its hash. */
    pdf: { mutating: false, input: v.object({ contractId: Text(64) }) },
  },
  /** The credit line (额度): a product opened once, then drawn on. */
  lines: {
    /** The per-query consent for the line's approval (授信审批): one hard inquiry, within 15 minutes, by this caller only. */
    consent: { mutating: true, input: v.object({ product: v.picklist(PRODUCTS) }) },
    /** Opens the product: one hard inquiry, then a line (active), a refusal with reasons, or a review. */
    /** `autoDebit`: the borrower ticked automatic debit (自动扣款) from the bound card — its own consent, off unless ticked. */
    open: {
      mutating: true,
      input: v.object({
        product: v.picklist(PRODUCTS),
        consentId: Text(64),
        autoDebit: v.optional(v.boolean()),
        /** The SHA-256 of the line contract (授信合同) exactly as contracts.preview showed it: the borrower's signature. */
        contractSha256: v.optional(Sha256),
      }),
    },
    /** Automatic debit on or off for the line's loans: on asks the borrower's agreement each time; off at any time. */
    autoDebit: { mutating: true, input: v.object({ product: v.picklist(PRODUCTS), on: v.boolean() }) },
    get: { mutating: false, input: v.object({ product: v.picklist(PRODUCTS) }) },
    list: { mutating: false, input: v.object({}) },
    /** 额度记录: every change of the line, oldest first, each with its reason. */
    history: { mutating: false, input: v.object({ product: v.picklist(PRODUCTS) }) },
  },
} as const

export type Contract = typeof CONTRACT
export type FunctionName = keyof Contract
export type ActionName<F extends FunctionName> = keyof Contract[F] & string
type SchemaOf<F extends FunctionName, A extends ActionName<F>> = Contract[F][A] extends { input: infer S }
  ? S extends v.GenericSchema
    ? S
    : never
  : never
/** What a client sends for an action (before the schema's defaults). */
export type ActionRequest<F extends FunctionName, A extends ActionName<F>> = v.InferInput<SchemaOf<F, A>>
/** What the server's use case receives: the input after its schema parsed it (defaults applied). */
export type ActionInput<F extends FunctionName, A extends ActionName<F>> = v.InferOutput<SchemaOf<F, A>>

export const FUNCTION_NAMES = Object.keys(CONTRACT) as FunctionName[]

// ---- responses ----

export interface MerchantView {
  code: string
  name: string
}

export interface ResolveResult {
  /** null when the scene was empty, malformed, unknown or disabled: the normal flow goes on. */
  merchant: MerchantView | null
}

export interface MerchantCode {
  merchant: MerchantView
  scene: string
  page: string
  /** The code as an image, base64 (PNG locally; WeChat returns its own format). */
  image: { contentType: string; base64: string }
}

export interface MaskedIdentity {
  name: string
  idNumber: string
  mobile: string
  verifiedAt: number
  /** Verified before the legal identity was kept sealed: the real-name page asks for name and ID once more. */
  recheck: boolean
}

export interface CardView {
  bank: string
  last4: string
  boundAt: number
}

export interface PayScoreStart {
  /** apply_permissions_token for wx.openBusinessView('wxpayScoreEnable'); valid for an hour. */
  token: string
}

export interface FaceStart {
  verifyId: string
  expiresAt: number
}

export interface OnboardingStatus {
  next: OnboardingStep
  completed: OnboardingStep[]
  agreements: Partial<Record<AgreementKind, { version: string; acceptedAt: number }>>
  /** Versions the user must accept now. */
  currentVersions: Record<AgreementKind, string>
  identity: MaskedIdentity | null
  cards: CardView[]
  /**
   * What WeChat Pay said (AVAILABLE = authorized — it says nothing about the score; NONE = never
   * authorized) and the lender's assessment against the threshold (null: not asked or no answer),
   * as last asked; null before the pay-score step.
   */
  payScore: PayScoreReading | null
  face: 'passed' | 'failed' | null
  serverTime: number
}

/**
 * The pre-check, with the APR cap the server prices under and the server's time, so the device
 * previews offers the way the server will price them.
 */
/**
 * The pre-check as the borrower sees it: each product's limit already within the lender's line
 * ceiling (`lineCeilingFen`), and `limitClipped` on a product whose assessed limit was above it.
 */
export type PrecheckResult = Omit<Evaluation, 'products'> & {
  products: Array<ProductDecision & { limitClipped?: boolean }>
  capPercent: number
  lineCeilingFen: number
  serverTime: number
}

export interface OffersResult {
  ruleSetVersion: string
  catalogVersion: string
  capPercent: number
  /** Every product with its decision; offers only where eligible, priced on the server. */
  products: Array<{ decision: ProductDecision; offers: Offer[]; overCap: OfferGrid['refused'] }>
}

/** A line as its borrower sees it: the line's own figures, what can be drawn now, and why it was refused. */
export type LineView = Pick<
  Line,
  | 'product'
  | 'state'
  | 'limitFen'
  | 'inUseFen'
  | 'catalogVersion'
  | 'ruleSetVersion'
  | 'requestedAt'
  | 'decidedAt'
  | 'expiresAt'
  | 'pendingDecrease'
> & {
  /** What can be drawn now (0 unless active). */
  availableFen: Fen
  dailyRatePercent: number
  /** The daily rate × 365 (simple): the annualized figure beside the daily one. */
  annualRatePercent: number
  /** Why it was refused, with what to do. */
  reasons: Reason[]
  /** Automatic debit: from the card ending `last4`, agreed at `since`; null when off. */
  autoDebit: { last4: string; since: number } | null
}

export interface LoanView {
  id: string
  product: ProductId
  mode: RepaymentMode
  amountFen: number
  termMonths?: number
  termDays?: number
  dailyRatePercent: number
  aprPercent: number
  state: LoanState
  appliedAt: number
  disbursedAt: number | null
  closedAt: number | null
  /** 冷静期 end (server time); cancel is possible while serverTime < this. */
  coolingOffEndsAt: number | null
  schedule: Array<{
    n: number
    dueDate: string
    principalFen: number
    interestFen: number
    feeFen: number
    totalFen: number
    paid: boolean
    /** What was paid of this line so far (its total once paid; part of it after a partial repayment). */
    paidFen: number
  }>
  paid: { principalFen: number; interestFen: number; feeFen: number; overdueFen: number }
  /** What is due now and what settles the loan now, to the fen (open loans only). */
  due: { dueNowFen: number; payoffFen: number; overdueFen: number } | null
  /** How an overdue charge is counted on this loan: its own contract's rule, whatever the catalog says now. */
  overdue: OverdueRule
  reasons: string[]
  serverTime: number
}

export interface ReceiptView {
  id: string
  loanId: string
  kind: ReceiptKind
  amountFen: number
  breakdown: { principalFen: number; interestFen: number; feeFen: number; overdueFen: number }
  at: number
  /** The confirmed payment the money came with (repayments, cooling-off returns, refunds). */
  paymentId?: string
  /** 'cardDebit' when the money came by automatic debit (or went back to the card); absent for WeChat Pay. */
  channel?: 'cardDebit'
  /**
   * The server's Ed25519 signature over the other fields (canonical JSON): `ed25519:<kid>:<base64>`,
   * which anyone can check with the key at /.well-known/kaitong-signing-key (`unverified` for a
   * stored receipt that no longer matches its seal). Copies kept from before 2026-12-02 carry an
   * HMAC that loans.verifyReceipt still checks.
   */
  signature: string
}

export interface PaymentView {
  paymentId: string
  loanId: string
  purpose: PaymentPurpose
  /** WeChat Pay (the borrower pays in the sheet), or an automatic debit of the bound card. */
  channel: Channel
  amountFen: number
  prepay: PrepayChoice | null
  state: PaymentState
  createdAt: number
  expiresAt: number
  paidAt: number | null
  /** Sent back to the payer (an overpayment, or a payment the loan could no longer take). */
  refundedFen: number
  /** Why it failed or went back, if it did. */
  failure: string | null
  /** While pending: what wx.requestPayment takes (or the local sheet's reference). */
  request: PaymentRequest | null
  serverTime: number
}

export interface RepaymentPreview {
  amountFen: number
  /** What it pays, by kind, oldest line first. */
  paid: { principalFen: number; interestFen: number; feeFen: number; overdueFen: number }
  /** Principal paid beyond what is due (the plan is rebuilt). */
  prepaidFen: number
  /** More than settles the loan: refunded. */
  excessFen: number
  settles: boolean
  /** The loan as it would be after it. */
  after: LoanView
}

export interface ApplyResult {
  outcome: ApplicationDecision['outcome']
  loan: LoanView
  reasons: Reason[]
  faceRequiredBeforeDrawdown: boolean
}

export interface ConsentView {
  kind: AgreementKind | 'creditQuery' | 'autoDebit' | 'reminders'
  /** A withdrawal of the consent (kept, never deleted). */
  withdrawn?: boolean
  /** For automatic debit: turned on (true) or off (false) — each change its own record. */
  on?: boolean
  version?: string
  /** A loan's purpose (credit-query consents from before lines), or 'credit-line' for a line's approval. */
  purpose?: Purpose | 'credit-line'
  product?: ProductId
  at: number
  /** For a credit-query consent: the application it was used for. */
  usedBy?: string | null
}

export interface DeleteResult {
  deleted: Record<string, number>
  /** What stays, why, and until when (epoch ms; null while an open loan still needs it). */
  kept: Array<{ what: string; why: string; until?: number | null }>
}

/** What withdrawing a consent did: when, what stops working now, and how to give it again. */
export interface WithdrawResult {
  kind: WithdrawableConsent
  withdrawnAt: number
  /** Was it given at all (withdrawing twice records once). */
  wasGiven: boolean
  stops: string[]
  /** How to give it again. */
  again: string
  consents: ConsentView[]
}

export interface ContractPreview {
  kind: ContractKind
  product: ProductId
  templateVersion: string
  title: string
  /** The whole contract as plain text (paragraphs separated by blank lines): what the borrower signs. */
  text: string
  /** SHA-256 (hex) of `text` in UTF-8: lines.open / loans.apply carry it as the signature. */
  sha256: string
}

/**
 * The server's record of a signature: the document's hash, the template's version, when and by
 * whom (a pseudonym of the caller), signed by the server with Ed25519 (signature over the
 * canonical JSON of `record`). Anyone can check it with the key at /.well-known/kaitong-signing-key.
 */
export interface SigningRecord {
  record: {
    v: 1
    contractId: string
    kind: ContractKind
    product: ProductId
    /** What the contract is for: `line:<product>` for a line contract, the loan id for a drawdown note. */
    subject: string
    templateVersion: string
    sha256: string
    signedAt: number
    /** A keyed pseudonym of the signer's account (never the openid itself). */
    signer: string
  }
  /** `ed25519:<kid>:<base64 signature>` */
  signature: string
}

export interface ContractSummary {
  contractId: string
  kind: ContractKind
  product: ProductId
  title: string
  subject: string
  templateVersion: string
  sha256: string
  signedAt: number
}

export interface ContractView extends ContractSummary {
  text: string
  signing: SigningRecord
}

export interface ContractPdf {
  contractId: string
  /** A short-lived address of the PDF (locally a signed URL; in WeChat a cloud-storage temporary URL). */
  url: string
  /** In WeChat: the cloud-storage file id (wx.downloadFile takes the url). */
  fileId?: string
  expiresAt: number
  bytes: number
  /** SHA-256 of the PDF outside its embedded seal (the seal signs this figure): `kaitong verify` checks it. */
  pdfSha256: string
}

/** An automated decision explained (PIPL art. 24). */
export interface Explanation {
  product: ProductId
  ruleSetVersion: string
  catalogVersion: string
  eligible: boolean
  /** The composite score (0–100) and what each dimension gave it. */
  score: number
  dimensions: Array<{ dimension: string; name: string; score: number; weight: number; contribution: number }>
  /** Every rule that was evaluated, passed or failed, with what to do about a failed one. */
  rules: Array<{ id: string; version: string; passed: boolean; title: string; message?: string; fix?: string }>
  /**
   * The automated refusal a person can be asked to review, if there is one: today's evaluation
   * (`evaluation`), or the line's opening, refused (`line`, with its reasons) even where today's
   * data would pass. null: nothing was refused.
   */
  refused: { by: 'evaluation' | 'line'; reasons: Array<{ code: string; title: string; fix: string }> } | null
  /** A person's review the borrower asked for, if any (the newest). */
  review: ReviewCaseView | null
  evaluatedAt: number
}

/** A request for a person to review an automated refusal (the console's review queue decides it). */
export interface ReviewCaseView {
  caseId: string
  product: ProductId
  state: 'waiting' | 'approved' | 'refused' | 'expired'
  note: string
  requestedAt: number
  expiresAt: number
  decidedAt: number | null
  /** The reviewer's reason, once decided (or why it ended). */
  outcome: string | null
}

export interface InboxMessage {
  id: string
  loanId: string
  kind: string
  title: string
  body: string
  at: number
  read: boolean
}

export interface Outputs {
  merchants: { resolve: ResolveResult; createCode: MerchantCode }
  onboarding: {
    status: OnboardingStatus
    acceptAgreements: OnboardingStatus
    verifyIdentity: OnboardingStatus
    bindCard: OnboardingStatus
    startPayScore: PayScoreStart
    authorizePayScore: OnboardingStatus
    startFace: FaceStart
    confirmFace: OnboardingStatus
  }
  credit: {
    precheck: PrecheckResult
    offers: OffersResult
    catalog: Catalog
    explain: Explanation
    requestReview: ReviewCaseView
  }
  contracts: {
    preview: ContractPreview
    list: ContractSummary[]
    get: ContractView
    pdf: ContractPdf
  }
  reminders: {
    grant: { grants: Record<string, number> }
    inbox: { messages: InboxMessage[]; unread: number }
    read: { unread: number }
  }
  payments: { get: PaymentView; list: PaymentView[] }
  account: {
    export: Record<string, unknown>
    delete: DeleteResult
    consents: ConsentView[]
    withdrawConsent: WithdrawResult
  }
  lines: {
    consent: { consentId: string; product: ProductId; expiresAt: number }
    open: LineView
    autoDebit: LineView
    get: LineView
    list: LineView[]
    history: LineChange[]
  }
  loans: {
    apply: ApplyResult
    list: LoanView[]
    get: LoanView
    drawdown: LoanView
    cancel: { loan: LoanView; payment: PaymentView | null }
    repay: { payment: PaymentView }
    previewRepayment: RepaymentPreview
    receipts: ReceiptView[]
    verifyReceipt: { valid: boolean }
  }
}

type Assert<T extends true> = T
/** Every action of the contract has exactly one output type: a missing or an extra one does not compile. */
export type OutputsMatchTheContract = Assert<
  Outputs extends { [F in FunctionName]: { [A in ActionName<F>]: unknown } }
    ? { [F in FunctionName]: Exclude<keyof Outputs[F], ActionName<F>> }[FunctionName] extends never
      ? true
      : false
    : false
>

export type ActionOutput<F extends FunctionName, A extends ActionName<F>> = Outputs[F][A & keyof Outputs[F]]
