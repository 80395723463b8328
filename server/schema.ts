// The data schema, versioned in one place: the collections, their indexes and their client-side
// security rules. The SQLite adapter creates the indexes from it; `npm run kaitong -- schema`
// prints what to create in the WeChat Cloud console (README, deploying).
import type { IndexSpec } from './ports'

/** The data's version: server/app/migrations.ts brings older data to it (its MIGRATIONS end here). */
export const SCHEMA_VERSION = 'schema/2026-12-02.2'

export const COLLECTIONS = {
  users: 'users',
  consents: 'consents',
  merchants: 'merchants',
  requests: 'requests',
  events: 'events',
  faceSessions: 'faceSessions',
  creditConsents: 'creditConsents',
  loans: 'loans',
  receipts: 'receipts',
  audit: 'audit',
  operators: 'operators',
  reminders: 'reminders',
  messages: 'messages',
  lines: 'lines',
  /** Each change of a line (its 额度记录), on its own. */
  lineChanges: 'lineChanges',
  /** Payments from borrowers (WeChat Pay orders by their number), as the provider confirmed them. */
  payments: 'payments',
  /** The books: one journal entry per money event, named by the event (src/domain/journal.ts). */
  journal: 'journal',
  /** Signed contracts (授信合同, 借款合同): the sealed text, its hash and the server-signed signing record. */
  contracts: 'contracts',
  /** A person's review of an automated refusal, asked for by the borrower (the console decides it). */
  reviewCases: 'reviewCases',
  /** Contract PDFs handed out for download, each removed once its address has expired. */
  downloads: 'downloads',
  /** What a deleted account left for the retention period: pseudonym, until when, what it covers. */
  retention: 'retention',
  /** The console's operator accounts (by username): role, argon2id hash, sealed TOTP secret. */
  operatorAccounts: 'operatorAccounts',
  /** Operator sessions, by the keyed hash of their token: expiry and revocation. */
  operatorSessions: 'operatorSessions',
  /** Every console action, allowed or refused: append-only. */
  operatorAudit: 'operatorAudit',
  /** Invitations to invitation-only products (微粒贷), by `<product>:<openid>`, each with its reason. */
  whitelist: 'whitelist',
  /** A merchant's funnel, one document per merchant and China day: how many reached each step. */
  funnelDays: 'funnelDays',
  /** That a person reached a funnel step once (keyed by a hash, never the openid): a step counts once. */
  funnelMarks: 'funnelMarks',
  /** The rule set's versions (drafts, pending, published, superseded), by their version string. */
  versions: 'versions',
  /** The latest profile each person's decisions were made on (keyed hash, never the openid): rule drafts are simulated on them. */
  decisionProfiles: 'decisionProfiles',
  /** The schema version the data is at (one document, `schema`). */
  meta: 'meta',
} as const

export const INDEXES: IndexSpec[] = [
  { collection: COLLECTIONS.consents, name: 'byOpenid', eq: 'openid', range: 'acceptedAt' },
  { collection: COLLECTIONS.events, name: 'byType', eq: 'type', range: 'at' },
  { collection: COLLECTIONS.users, name: 'byIdHash', eq: 'identity.idHash' },
  /** Which data key seals the person's identity: key rotation re-seals by it. */
  { collection: COLLECTIONS.users, name: 'byDataKey', eq: 'identity.legal.name.kid' },
  { collection: COLLECTIONS.loans, name: 'byOpenid', eq: 'openid', range: 'loan.appliedAt' },
  { collection: COLLECTIONS.loans, name: 'byDue', eq: 'track.watch', range: 'track.nextDueAt' },
  { collection: COLLECTIONS.loans, name: 'byRemind', eq: 'track.remind', range: 'track.dueKey' },
  /** Loans whose payout the lender's gateway has not confirmed yet, oldest first. */
  { collection: COLLECTIONS.loans, name: 'byPayout', eq: 'track.payout', range: 'loan.appliedAt' },
  { collection: COLLECTIONS.reminders, name: 'byState', eq: 'state', range: 'claimedAt' },
  { collection: COLLECTIONS.reminders, name: 'byOpenid', eq: 'openid', range: 'claimedAt' },
  { collection: COLLECTIONS.messages, name: 'byOpenid', eq: 'openid', range: 'at' },
  { collection: COLLECTIONS.receipts, name: 'byOpenid', eq: 'openid', range: 'at' },
  { collection: COLLECTIONS.receipts, name: 'byLoan', eq: 'loanId', range: 'at' },
  { collection: COLLECTIONS.audit, name: 'byOpenid', eq: 'openid', range: 'at' },
  { collection: COLLECTIONS.creditConsents, name: 'byOpenid', eq: 'openid', range: 'at' },
  { collection: COLLECTIONS.events, name: 'byOpenid', eq: 'openid', range: 'at' },
  { collection: COLLECTIONS.faceSessions, name: 'byOpenid', eq: 'openid', range: 'startedAt' },
  { collection: COLLECTIONS.requests, name: 'byOpenid', eq: 'openid' },
  { collection: COLLECTIONS.lines, name: 'byOpenid', eq: 'openid', range: 'line.requestedAt' },
  /** The lines the line job looks after (in review, active or frozen), oldest first. */
  { collection: COLLECTIONS.lines, name: 'byWatch', eq: 'watch', range: 'line.requestedAt' },
  /** A line's history in order. */
  { collection: COLLECTIONS.lineChanges, name: 'byLine', eq: 'lineId', range: 'seq' },
  { collection: COLLECTIONS.payments, name: 'byOpenid', eq: 'openid', range: 'payment.createdAt' },
  /** A loan's payments, newest first. */
  { collection: COLLECTIONS.payments, name: 'byLoan', eq: 'payment.loanId', range: 'payment.createdAt' },
  /** What the payment job looks after: pending payments by expiry (1), refunds owed (2). */
  { collection: COLLECTIONS.payments, name: 'byWatch', eq: 'watch', range: 'watchAt' },
  { collection: COLLECTIONS.contracts, name: 'byOpenid', eq: 'openid', range: 'record.signedAt' },
  /** Which data key seals a contract's text: key rotation re-seals by it. */
  { collection: COLLECTIONS.contracts, name: 'byDataKey', eq: 'text.kid' },
  { collection: COLLECTIONS.reviewCases, name: 'byOpenid', eq: 'openid', range: 'requestedAt' },
  /** The review cases still waiting, oldest first (the queue, and their expiry). */
  { collection: COLLECTIONS.reviewCases, name: 'byState', eq: 'state', range: 'requestedAt' },
  /** Downloads whose files are due to go. */
  { collection: COLLECTIONS.downloads, name: 'byRemoveAt', eq: 'pending', range: 'removeAt' },
  /** Kept records due for the purge, by the day they may go. */
  { collection: COLLECTIONS.retention, name: 'byUntil', eq: 'state', range: 'until' },
  /** Borrowers by the last four digits of their mobile (the console's search). */
  { collection: COLLECTIONS.users, name: 'byMobileLast4', eq: 'identity.mobileLast4' },
  { collection: COLLECTIONS.versions, name: 'byAt', eq: 'all', range: 'createdAt' },
  { collection: COLLECTIONS.decisionProfiles, name: 'byAt', eq: 'all', range: 'at' },
  /** Every kept profile by its own key: a simulation reads them all, page by page, none twice. */
  { collection: COLLECTIONS.decisionProfiles, name: 'byKey', eq: 'all', range: 'key' },
  /** Every merchant (the console's list). */
  { collection: COLLECTIONS.merchants, name: 'byAll', eq: 'all', range: 'createdAt' },
  { collection: COLLECTIONS.operatorAccounts, name: 'byRole', eq: 'role', range: 'createdAt' },
  /** The console's operator audit: all of it by time, and one operator's. */
  { collection: COLLECTIONS.operatorAudit, name: 'byAt', eq: 'all', range: 'at' },
  { collection: COLLECTIONS.operatorAudit, name: 'byActor', eq: 'actor', range: 'at' },
  { collection: COLLECTIONS.whitelist, name: 'byProduct', eq: 'product', range: 'addedAt' },
  /** The books by kind of entry and time (the console's account view and trial balance), and by entry id (one moment's entries). */
  { collection: COLLECTIONS.journal, name: 'byType', eq: 'type', range: 'at' },
  { collection: COLLECTIONS.journal, name: 'byTypeId', eq: 'type', range: 'id' },
  /** Reminders by state and loan: one moment's claims, when a run claims more than a page at once. */
  { collection: COLLECTIONS.reminders, name: 'byStateLoan', eq: 'state', range: 'loanId' },
  /** A loan's journal entries in order (`kaitong ledger loan`). */
  { collection: COLLECTIONS.journal, name: 'byLoan', eq: 'loanId', range: 'at' },
]

/**
 * Client-side security rules for every collection: closed. The mini-program never reads or
 * writes the database itself; every read and write goes through a cloud function, which checks
 * the caller (security rules do not bind cloud functions).
 */
export const SECURITY_RULE = { read: false, write: false } as const

/** The WeChat Cloud view: documents are { _id, v, d }, so index fields live under `d.`. */
export function wechatSchema() {
  return {
    version: SCHEMA_VERSION,
    collections: Object.values(COLLECTIONS).map((name) => ({
      name,
      securityRule: SECURITY_RULE,
      indexes: INDEXES.filter((i) => i.collection === name).map((i) => ({
        name: i.name,
        fields: [{ field: `d.${i.eq}`, order: 'asc' }, ...(i.range ? [{ field: `d.${i.range}`, order: 'asc' }] : [])],
      })),
    })),
  }
}
