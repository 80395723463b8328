// Collections and indexes the use cases rely on; both store adapters create them.
import type { IndexSpec } from '../ports'

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
} as const

export const INDEXES: IndexSpec[] = [
  { collection: COLLECTIONS.consents, name: 'byOpenid', eq: 'openid', range: 'acceptedAt' },
  { collection: COLLECTIONS.events, name: 'byType', eq: 'type', range: 'at' },
  { collection: COLLECTIONS.users, name: 'byIdHash', eq: 'identity.idHash' },
  { collection: COLLECTIONS.loans, name: 'byOpenid', eq: 'openid', range: 'loan.appliedAt' },
  { collection: COLLECTIONS.receipts, name: 'byOpenid', eq: 'openid', range: 'at' },
  { collection: COLLECTIONS.receipts, name: 'byLoan', eq: 'loanId', range: 'at' },
  { collection: COLLECTIONS.audit, name: 'byOpenid', eq: 'openid', range: 'at' },
  { collection: COLLECTIONS.creditConsents, name: 'byOpenid', eq: 'openid', range: 'at' },
  { collection: COLLECTIONS.events, name: 'byOpenid', eq: 'openid', range: 'at' },
  { collection: COLLECTIONS.faceSessions, name: 'byOpenid', eq: 'openid', range: 'startedAt' },
  { collection: COLLECTIONS.requests, name: 'byOpenid', eq: 'openid' },
]
