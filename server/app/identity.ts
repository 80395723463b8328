// The borrower's legal identity, sealed: the name and ID number the lender must be able to read
// back (bureau queries, the face check's cert_hash, later the contract and payout checks) are
// stored only encrypted, each bound to its person and field; look-ups use the keyed hashes and the
// UI the masked forms. Decryption happens here, in the use cases that must send the values.
import type { Ports, Sealed, Secrets, Subject } from '../ports'
import { COLLECTIONS } from '../schema'
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

/** The verified person's legal name and ID number, decrypted; null for a record verified before they were kept. */
export function openIdentity(secrets: Secrets, user: UserDoc): LegalIdentity | null {
  const sealed = user.identity?.legal
  if (!sealed) return null
  return {
    name: secrets.open(context(user.openid, 'name'), sealed.name),
    idNumber: secrets.open(context(user.openid, 'idNumber'), sealed.idNumber),
  }
}

/** Whom the bureau is asked about: the keyed hash for correlation, and the legal identity it needs to find the file. */
export function subjectOf(secrets: Secrets, user: UserDoc): Subject | null {
  if (!user.identity) return null
  const legal = openIdentity(secrets, user)
  return { openid: user.openid, idHash: user.identity.idHash, ...(legal ?? {}) }
}

/**
 * Key rotation's second step (after a new data key became the current one): re-seals up to
 * `limit` people whose identity is sealed with any other key, with compare-and-set, so a
 * concurrent write is kept. Returns how many were re-sealed and how many remain under old keys.
 */
export async function resealIdentities(
  ports: Pick<Ports, 'store' | 'secrets' | 'clock'>,
  retiredKeys: string[],
  limit = 100,
): Promise<{ resealed: number; remaining: number }> {
  const current = ports.secrets.currentKeyId()
  let resealed = 0
  let remaining = 0
  for (const kid of retiredKeys.filter((k) => k !== current)) {
    const users = await ports.store.query<UserDoc>(COLLECTIONS.users, { index: 'byDataKey', eq: kid, limit })
    for (const doc of users) {
      const saved = await changeUser(ports.store, doc.id, ports.clock.now(), (u) => {
        const legal = u.identity?.legal?.name.kid === kid ? openIdentity(ports.secrets, u) : null
        if (!legal || !u.identity) return { stop: false }
        return {
          write: { ...u, identity: { ...u.identity, legal: sealIdentity(ports.secrets, u.openid, legal) } },
          result: true,
        }
      })
      if (saved.ok && saved.result) resealed++
    }
    remaining += (await ports.store.query<UserDoc>(COLLECTIONS.users, { index: 'byDataKey', eq: kid, limit: 1000 }))
      .length
  }
  return { resealed, remaining }
}
