// The per-query credit consent (征信查询授权): one hard inquiry, for one stated purpose, by this
// caller only, within 15 minutes — for a line's approval or (until borrowing draws on the line) a loan.
import { CREDIT_CONSENT_TTL_MS } from '../../src/domain/agreements'
import type { ProductId } from '../../src/domain/catalog'
import type { Ports } from '../ports'
import { COLLECTIONS } from '../schema'

/** Records an unspent consent; its id is what the one inquiry it allows must carry. */
export async function recordCreditConsent<P extends string>(
  ports: Ports,
  openid: string,
  product: ProductId,
  purpose: P,
  idPrefix: string,
): Promise<{ consentId: string; expiresAt: number }> {
  const now = ports.clock.now()
  const consentId = ports.ids.next(idPrefix)
  const doc = { openid, product, purpose, at: now, expiresAt: now + CREDIT_CONSENT_TTL_MS, usedBy: null }
  await ports.store.insert(COLLECTIONS.creditConsents, consentId, doc)
  return { consentId, expiresAt: doc.expiresAt }
}
