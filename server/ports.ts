// The ports: what the use cases need from the world. WeChat adapters and local adapters implement them.
import type { PublicSigningKey } from './signing'
import type { CreditProfile } from '../src/domain/credit-profile'
import type { PayScoreAuthorization } from '../src/domain/pay-score'
import type { PaymentRequest } from '../src/domain/payment'
import type { StatementLine } from '../src/domain/reconcile'

export interface Doc<T> {
  id: string
  /** Starts at 1; each successful update adds 1. */
  version: number
  data: T
}

export type InsertResult<T> = { ok: true; doc: Doc<T> } | { ok: false; reason: 'DUPLICATE' }
export type UpdateResult<T> = { ok: true; doc: Doc<T> } | { ok: false; reason: 'CONFLICT' | 'NOT_FOUND' }

export type Scalar = string | number

/** A declared index: equality on `eq`, optional range and order on `range`. */
export interface IndexSpec {
  collection: string
  name: string
  eq: string
  range?: string
}

export interface Query {
  index: string
  eq: Scalar
  gte?: Scalar
  lt?: Scalar
  limit: number
  order?: 'asc' | 'desc'
}

/**
 * A small document store. Exactly-once behaviour is built from insert-unique and
 * compare-and-set (update and remove) alone, so it holds the same on SQLite and on the WeChat cloud database.
 */
export interface Store {
  get<T>(collection: string, id: string): Promise<Doc<T> | null>
  /** Fails with DUPLICATE when the id exists; never overwrites. */
  insert<T>(collection: string, id: string, data: T): Promise<InsertResult<T>>
  /** Writes only if the stored version is `expectedVersion`. */
  update<T>(collection: string, id: string, expectedVersion: number, data: T): Promise<UpdateResult<T>>
  /** Deletes only if the stored version is `expectedVersion`; false when it was not there at that version. */
  remove(collection: string, id: string, expectedVersion: number): Promise<boolean>
  /** Ranged query on a declared index, at most `limit` (1–1000) documents. */
  query<T>(collection: string, q: Query): Promise<Doc<T>[]>
  /**
   * Runs `work` as one transaction over documents by id: its writes commit together or not at all
   * (a throw aborts it and is rethrown). Its reads see its own writes. If another writer changed a
   * document it read or wrote before it commits, `work` runs again from the start (a few times,
   * then TransactionConflict), so it must do nothing but read and write through `tx`.
   */
  transact<R>(work: (tx: StoreTx) => Promise<R>): Promise<R>
}

/** What a transaction can do: the Store's reads and writes by id, with the same answers. */
export interface StoreTx extends Pick<Store, 'get' | 'insert' | 'update' | 'remove'> {
  /**
   * Inserts a document whose id is new by construction — derived from one this transaction found
   * absent, as a new loan's receipts and audit entries are — without reading it first. Should it
   * exist after all, the commit fails and `work` runs again, where `create` reads first and
   * answers as `insert` does (DUPLICATE): what commits is never built on a wrong guess.
   */
  create<T>(collection: string, id: string, data: T): Promise<InsertResult<T>>
}

/** A transaction that kept meeting other writers: nothing of it was written. */
export class TransactionConflict extends Error {
  readonly code = 'TRANSACTION_CONFLICT'
  constructor(attempts: number) {
    super(`the transaction met a concurrent write ${attempts} times in a row; nothing was written`)
  }
}

/** A provider has no statement for the day yet (WeChat makes a day's bill the next morning), or would not give it. */
export class StatementUnavailable extends Error {
  readonly code = 'STATEMENT_UNAVAILABLE'
}

export type IdentityCheck = { result: 'MATCH' } | { result: 'MISMATCH' } | { result: 'UNAVAILABLE'; detail: string }

/** Name + ID number against the public-security record, through a licensed identity service. */
export interface IdentityVerifier {
  verify(name: string, idNumber: string): Promise<IdentityCheck>
}

export type CardCheckResult = { result: 'MATCH' } | { result: 'MISMATCH' } | { result: 'UNAVAILABLE'; detail: string }

/** Four-element bank-card verification (holder name, ID number, card number, reserved mobile) at a licensed provider. */
export interface CardVerifier {
  verify(card: { name: string; idNumber: string; cardNumber: string; mobile: string }): Promise<CardCheckResult>
}

/**
 * WeChat face verification v2 (server side). `start` gets a verify_id for the person; `query`
 * asks for the true result. Nothing about the person is kept with the session: no cert_hash (an
 * unkeyed hash of name + ID, which one row's birth date would let anyone brute-force).
 */
export interface FaceVerifier {
  start(req: {
    outSeqNo: string
    openid: string
    certName: string
    certNo: string
  }): Promise<{ verifyId: string; expiresInSec: number }>
  /** The person's certificate again (WeChat wants its cert_hash): the caller decrypts it for this call. */
  query(req: {
    verifyId: string
    outSeqNo: string
    openid: string
    certName: string
    certNo: string
  }): Promise<{ errcode: number; verifyRet?: number }>
}

/** Mini-program codes (小程序码) that open `page` with `scene`: WeChat's wxacode.getUnlimited, or a local QR. */
export interface MerchantCodes {
  create(scene: string, page: string): Promise<{ contentType: string; bytes: Uint8Array }>
}

export interface SubscribeMessage {
  openid: string
  templateId: string
  /** The mini-program page the message opens. */
  page: string
  data: Record<string, { value: string }>
}

/** 43101: the user refused or has no one-time grant left — fall back to the in-app center, never retry. */
export type NotifyResult = { ok: true } | { ok: false; reason: 'NO_GRANT' | 'FAILED'; detail: string }

/** Subscribe messages (订阅消息): one one-time grant allows exactly one send. */
export interface Notifier {
  send(message: SubscribeMessage): Promise<NotifyResult>
}

/**
 * WeChat Pay score, as a lender can know it: WeChat Pay's authorization state (AVAILABLE means
 * authorized — never "score ≥ 600"; NONE is its 404 for a person who never authorized), and the
 * lender's own assessment of whether an authorized person meets a threshold. No score, ever.
 */
export interface PayScore {
  authorization(openid: string): Promise<PayScoreAuthorization>
  /** The lender's assessment (its gateway in production): does this authorized person meet `threshold`? */
  assess(subject: Subject, threshold: number): Promise<boolean>
  /**
   * 商户预授权: the apply_permissions_token that opens WeChat Pay's authorization page
   * (wx.openBusinessView 'wxpayScoreEnable'). `outRequestNo` is our authorization_code, unique per request.
   */
  permissionToken(openid: string, outRequestNo: string): Promise<string>
}

/**
 * Whom a provider is asked about: the WeChat account, the keyed hash of the verified ID (for
 * correlation), and the legal name and ID number the bureau needs to find the person's file —
 * decrypted for this call only (absent for a record verified before they were kept).
 */
export interface Subject {
  openid: string
  idHash: string
  name?: string
  idNumber?: string
}

/** Soft (no-cost) credit report: what the bureau shows without recording a hard inquiry. */
export interface CreditBureau {
  softReport(subject: Subject, now: number): Promise<CreditProfile['bureau']>
  /**
   * A hard inquiry, made only after the person's per-query consent; it appears in later reports.
   * One per consent: asked again with the same consentId (a retry after a lost answer) it records
   * nothing more — the lender gateway's protocol carries the consent id for exactly that.
   */
  hardInquiry(subject: Subject, query: { consentId: string; purpose: string }, now: number): Promise<void>
}

/**
 * Aggregate, consented signals for scoring (docs/product-rules.md §2): counts and balances only — never
 * chat content, chat frequency or followed accounts — plus the 微粒贷 whitelist and sign-in risk.
 */
export type ProfileSignals = Pick<CreditProfile, 'activity' | 'consumption' | 'assets' | 'invited' | 'device'>

export interface ProfileSource {
  signals(openid: string, now: number): Promise<ProfileSignals>
}

/** The cloud function WeChat Pay calls when an order is paid (cloudfunctions/payCallback). */
export const PAY_CALLBACK_FUNCTION = 'payCallback'

/** What the provider says of an order (WeChat Pay's trade_state). */
export type TradeState = 'NOTPAY' | 'SUCCESS' | 'REFUND' | 'CLOSED' | 'PAYERROR'

export type { PaymentRequest }

/**
 * WeChat Pay for repayments (cloud pay, `cloud.cloudPay`): amounts in integer fen, the order
 * number is the payment id. The provider calls the payment callback function when an order is
 * paid; the callback trusts nothing in its event and asks `query`. A transport failure throws
 * (the caller retries or lets WeChat retry); a refusal is an answer.
 */
/** A WeChat Pay order: the payment id as its number, integer fen, whose it is, until when it can be paid. */
export interface PaymentOrder {
  outTradeNo: string
  amountFen: number
  description: string
  openid: string
  expiresAt: number
}

export interface Payments {
  /** Creates the order, or answers the same one again for the same number and amount. */
  create(order: PaymentOrder): Promise<{ ok: true; request: PaymentRequest } | { ok: false; detail: string }>
  /** The provider's own record of the order; `found: false` if it has none. */
  query(
    outTradeNo: string,
  ): Promise<
    | { found: false }
    | { found: true; state: TradeState; amountFen: number; transactionId: string | null; paidAt: number | null }
  >
  /** Closes an unpaid order so it can no longer be paid: 'paid' if it already was. */
  close(outTradeNo: string): Promise<'closed' | 'paid' | 'missing'>
  /** Refunds part or all of a paid order, once per refund number (the same number on every retry). */
  refund(r: {
    outTradeNo: string
    outRefundNo: string
    totalFen: number
    refundFen: number
  }): Promise<{ ok: true; refundId: string } | { ok: false; detail: string }>
  /**
   * The provider's statement (对账单) for a China calendar day, YYYY-MM-DD: each order with money in
   * (paid that day) or back (refunded that day), in fen. A day with nothing on it answers [].
   */
  statement(date: string): Promise<StatementLine[]>
}

/**
 * Payouts to the borrower's bound debit card (放款): the lender's gateway in production. A payout
 * is asked for once per id (the same id again answers the same payout); it lands or fails later,
 * and `query` says which. A transport failure throws (the payout job asks again).
 */
export interface Payouts {
  send(p: {
    payoutId: string
    loanId: string
    amountFen: number
    /** The bound card, as the lender's binding knows it: its keyed-hash token and last four digits. */
    cardToken: string
    last4: string
    subjectHash: string
  }): Promise<{ ok: true } | { ok: false; detail: string }>
  query(
    payoutId: string,
  ): Promise<
    | { found: false }
    | { found: true; state: 'PROCESSING' | 'SUCCESS' | 'FAILED'; at: number | null; failure: string | null }
  >
}

/**
 * Automatic debit (代扣) of the bound debit card on a due day: the lender's gateway in
 * production. A debit is asked for once per id (the same id again answers the same debit); it is
 * taken or refused later, and `query` says which — a refusal names why (INSUFFICIENT_FUNDS, a
 * closed card). Money taken that the loan cannot use goes back with `refund`, once per refund
 * number. A transport failure throws (the debit job asks again).
 */
export interface CardDebits {
  send(d: {
    debitId: string
    loanId: string
    amountFen: number
    /** Whose card: the account the mandate was given from, and the binding's token and last four digits. */
    openid: string
    cardToken: string
    last4: string
    subjectHash: string
  }): Promise<{ ok: true } | { ok: false; detail: string }>
  query(debitId: string): Promise<
    | { found: false }
    | {
        found: true
        state: 'PROCESSING' | 'SUCCESS' | 'FAILED'
        amountFen: number
        /** The gateway's reference for money taken. */
        reference: string | null
        at: number | null
        failure: string | null
      }
  >
  refund(r: {
    debitId: string
    refundId: string
    amountFen: number
  }): Promise<{ ok: true; refundId: string } | { ok: false; detail: string }>
  /** The gateway's debit file for a China calendar day: each debit taken or sent back that day (outTradeNo: the debit id). */
  statement(date: string): Promise<StatementLine[]>
}

/**
 * Files a borrower downloads (contract PDFs): kept under a path, fetched through a short-lived
 * address. In WeChat Cloud, cloud storage (uploadFile + getTempFileURL); locally a folder and
 * signed URLs served by the local cloud.
 */
export interface Files {
  put(path: string, bytes: Uint8Array, contentType: string): Promise<{ fileId: string }>
  /** The bytes kept under a file id, or null (a file removed by the retention purge). */
  get(fileId: string): Promise<Uint8Array | null>
  /** A download address good until `expiresAt`. */
  url(fileId: string, ttlMs: number): Promise<{ url: string; expiresAt: number }>
  remove(fileId: string): Promise<void>
}

export interface Clock {
  now(): number
}

export interface Ids {
  /** A unique, opaque id (time-ordered where the adapter can) with a readable prefix. */
  next(prefix: string): string
}

/** A value encrypted with AES-256-GCM under the data key `kid` (base64 fields); `v` is the format. */
export interface Sealed {
  v: 1
  kid: string
  iv: string
  ct: string
  tag: string
}

/** A sealed value that cannot be opened: its key is not configured, or the data or its context changed. */
export class SealedDataError extends Error {
  constructor(
    readonly kid: string,
    readonly reason: 'KEY_MISSING' | 'AUTH_FAILED',
  ) {
    super(
      reason === 'KEY_MISSING'
        ? `data key ${kid} is not configured (was it removed before every ciphertext was re-sealed?)`
        : `a value sealed with data key ${kid} does not open: changed, or moved from another record`,
    )
    this.name = 'SealedDataError'
  }
}

export interface Secrets {
  /** Keyed hash (HMAC-SHA256, hex) for look-up of sensitive values without storing them. */
  keyedHash(purpose: string, value: string): string
  /**
   * Encrypts what the lender must be able to read back (legal name, ID number). `context` names
   * the person and field (e.g. `identity/<openid>/name`) and is bound to the ciphertext: opening it
   * under any other context fails.
   */
  seal(context: string, plaintext: string): Sealed
  /** Decrypts with the key the ciphertext names; throws SealedDataError if that key is gone or the data was changed. */
  open(context: string, sealed: Sealed): string
  /** The key new ciphertexts are sealed with (rotation re-seals the rest). */
  currentKeyId(): string
  /** Every configured data key's id: the current one and those kept only to open older ciphertexts. */
  keyIds(): string[]
  /** The server's Ed25519 signature of `message` (`ed25519:<kid>:<base64>`): anyone checks it with signingKeys(). */
  sign(message: string): string
  /** The public keys that check the server's signatures (published at /.well-known/kaitong-signing-key). */
  signingKeys(): PublicSigningKey[]
}

export type { PublicSigningKey }

export interface Logger {
  info(event: string, fields?: Record<string, unknown>): void
  warn(event: string, fields?: Record<string, unknown>): void
  error(event: string, fields?: Record<string, unknown>): void
}

/** The lender's configuration that decisions depend on (environment variables in both clouds). */
export interface Settings {
  /** The cap on the all-in annualized cost, in percent (default 24; at most 36). */
  aprCapPercent: number
  /** The most one borrower's unsecured consumer line may be (Interim Measures for Internet Loans, 2020: ¥200,000). */
  lineCeilingFen: number
  /** Years a deleted account's contracts, receipts, journal, credit-query consents and audit log are kept after its last loan closed (default 5). */
  retentionYears: number
}

export interface Ports {
  store: Store
  identity: IdentityVerifier
  payScore: PayScore
  bureau: CreditBureau
  profiles: ProfileSource
  cards: CardVerifier
  face: FaceVerifier
  codes: MerchantCodes
  notifier: Notifier
  payments: Payments
  payouts: Payouts
  cardDebits: CardDebits
  files: Files
  /** The lender's subscribe-message template ids (configuration). */
  reminderTemplates: { due: string; overdue: string }
  settings: Settings
  clock: Clock
  ids: Ids
  secrets: Secrets
  log: Logger
}
