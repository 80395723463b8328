// The borrower's legal identity, sealed: the name and ID number the lender must be able to read
// back (bureau queries, the face check's cert_hash, later the contract and payout checks) are
// stored only encrypted, each bound to its person and field; look-ups use the keyed hashes and the
// UI the masked forms. Decryption happens here, in the use cases that must send the values.
import { fail, ok, type ApiResult } from '../../src/api'
import { SealedDataError, type Logger, type Ports, type Sealed, type Secrets } from '../ports'
import { COLLECTIONS } from '../schema'
import type { ContractDoc } from './contracts'
import { changeUser, type UserDoc } from './users'

export interface LegalIdentity {
  name: string
  idNumber: string
}

const context = (openid: string, field: keyof LegalIdentity) => `identity/${openid}/${field}`

export function sealIdentity(
  secrets: Secrets,
  openid: string,
  legal: LegalIdentity,
): { name: Sealed; idNumber: Sealed } {
  return {
    name: secrets.seal(context(openid, 'name'), legal.name),
    idNumber: secrets.seal(context(openid, 'idNumber'), legal.idNumber),
  }
}

/**
 * The verified person's legal name and ID number, decrypted; null for a record verified before
 * they were kept. Throws SealedDataError when its key is gone or the ciphertext was changed.
 */
export function openIdentity(secrets: Secrets, user: UserDoc): LegalIdentity | null {
  const sealed = user.identity?.legal
  if (!sealed) return null
  return {
    name: secrets.open(context(user.openid, 'name'), sealed.name),
    idNumber: secrets.open(context(user.openid, 'idNumber'), sealed.idNumber),
  }
}

/**
 * The legal identity for a use case that must send it, or the typed refusal: a record verified
 * before identities were kept, or one its key cannot open (logged with the key id, for the
 * operators), answers IDENTITY_RECHECK_REQUIRED — typing name and ID again seals them anew.
 */
export function requireIdentity(ports: { secrets: Secrets; log: Logger }, user: UserDoc): ApiResult<LegalIdentity> {
  try {
    const legal = openIdentity(ports.secrets, user)
    return legal ? ok(legal) : fail('IDENTITY_RECHECK_REQUIRED', { detail: 'NOT_KEPT' })
  } catch (error) {
    if (!(error instanceof SealedDataError)) throw error
    ports.log.error('identity_unreadable', { kid: error.kid, reason: error.reason })
    return fail('IDENTITY_RECHECK_REQUIRED', { detail: 'UNREADABLE' })
  }
}

/** Whether the legal identity was stored sealed: records verified before were not (status asks for it again). */
export function identityKept(user: UserDoc): boolean {
  return user.identity?.legal !== undefined
}

/**
 * Key rotation's second step (after a new data key became the current one): re-seals up to
 * `limit` people per retired key, with compare-and-set, so a concurrent write is kept. Returns
 * how many were re-sealed, how many remain under the retired keys, and how many could not be
 * opened (those stay, and the operator is told: their people are asked for their identity again).
 */
export async function resealIdentities(
  ports: Pick<Ports, 'store' | 'secrets' | 'clock'>,
  retiredKeys: string[],
  limit = 100,
): Promise<{ resealed: number; remaining: number; failed: number }> {
  const current = ports.secrets.currentKeyId()
  let resealed = 0
  let remaining = 0
  // Records a key cannot open (changed, or sealed with a key that is gone): counted, skipped, never re-sealed.
  let failed = 0
  for (const kid of retiredKeys.filter((k) => k !== current)) {
    const users = await ports.store.query<UserDoc>(COLLECTIONS.users, { index: 'byDataKey', eq: kid, limit })
    for (const doc of users) {
      let unreadable = false
      const saved = await changeUser(ports.store, doc.id, ports.clock.now(), (u) => {
        let legal: LegalIdentity | null = null
        try {
          legal = u.identity?.legal?.name.kid === kid ? openIdentity(ports.secrets, u) : null
        } catch (error) {
          if (!(error instanceof SealedDataError)) throw error
          unreadable = true
        }
        if (!legal || !u.identity) return { stop: false }
        return {
          write: { ...u, identity: { ...u.identity, legal: sealIdentity(ports.secrets, u.openid, legal) } },
          result: true,
        }
      })
      if (saved.ok && saved.result) resealed++
      if (unreadable) failed++
    }
    remaining += (await ports.store.query<UserDoc>(COLLECTIONS.users, { index: 'byDataKey', eq: kid, limit: 1000 }))
      .length
    // The signed contracts name the borrower too: their text is sealed, and re-sealed here the same way.
    const contracts = await resealContracts(ports, kid, limit)
    resealed += contracts.resealed
    failed += contracts.failed
    remaining += contracts.remaining
  }
  return { resealed, remaining, failed }
}

/** One batch of contracts sealed with `kid`, re-sealed under the current key (the text itself unchanged). */
async function resealContracts(ports: Pick<Ports, 'store' | 'secrets' | 'clock'>, kid: string, limit: number) {
  let resealed = 0
  let failed = 0
  const docs = await ports.store.query<ContractDoc>(COLLECTIONS.contracts, { index: 'byDataKey', eq: kid, limit })
  for (const d of docs) {
    let text: string
    try {
      text = ports.secrets.open(`contract/${d.id}`, d.data.text)
    } catch (error) {
      if (!(error instanceof SealedDataError)) throw error
      failed++
      continue
    }
    const saved = await ports.store.update<ContractDoc>(COLLECTIONS.contracts, d.id, d.version, {
      ...d.data,
      text: ports.secrets.seal(`contract/${d.id}`, text),
    })
    if (saved.ok) resealed++
  }
  const remaining = (
    await ports.store.query<ContractDoc>(COLLECTIONS.contracts, { index: 'byDataKey', eq: kid, limit: 1000 })
  ).length
  return { resealed, failed, remaining }
}
