// Withdrawing an optional consent (PIPL art. 15) where it was given: the biometric and
// financial-data consents, automatic debit, and repayment reminders by subscribe message. The
// withdrawal is recorded beside the acceptance (never deleted), what needs the consent asks for it
// again (the guard's CONSENT_REQUIRED), and the answer says what stops and how to give it again.
import { fail, ok, type WithdrawResult } from '../../src/api'
import { AGREEMENT_VERSIONS } from '../../src/domain/agreements'
import { WITHDRAWAL_EFFECTS } from '../../src/domain/withdrawal'
import { COLLECTIONS } from '../schema'
import { consents } from './account'
import { setAutoDebit } from './card-debits'
import type { ConsentDoc } from './onboarding'
import { changeUser, loadUser } from './users'
import type { LineDoc } from './lines'
import type { UseCase } from './use-case'

export const withdrawConsent: UseCase<'account', 'withdrawConsent'> = async (ports, openid, input, request) => {
  const now = ports.clock.now()
  const kind = input.kind
  const user = await loadUser(ports.store, openid)
  if (!user) return fail('NOT_FOUND', { message: '没有找到你的账户记录：还没有给出过任何授权。' })
  const lines =
    kind === 'autoDebit'
      ? (await ports.store.query<LineDoc>(COLLECTIONS.lines, { index: 'byOpenid', eq: openid, limit: 100 })).filter(
          (d) => d.data.line.autoDebit,
        )
      : []
  const wasGiven =
    kind === 'biometricConsent' || kind === 'financialDataConsent'
      ? !!user.data.agreements[kind]
      : kind === 'reminders'
        ? Object.values(user.data.grants ?? {}).some((n) => n > 0)
        : lines.length > 0
  // The withdrawal is recorded before it takes effect, once per request: a failure in between is
  // finished by the retry, and a withdrawal in effect always has its record.
  if (wasGiven) {
    const version = kind === 'biometricConsent' || kind === 'financialDataConsent' ? AGREEMENT_VERSIONS[kind] : '-'
    const id = `cw_${ports.secrets.keyedHash('withdrawal', `${openid}:${request?.requestId ?? ports.ids.next('w')}`).slice(0, 24)}`
    await ports.store.insert<ConsentDoc>(COLLECTIONS.consents, id, {
      openid,
      kind,
      version,
      acceptedAt: now,
      withdrawn: true,
    })
  }
  if (kind === 'biometricConsent' || kind === 'financialDataConsent') {
    const changed = await changeUser(ports.store, openid, now, (u) => {
      if (!u.agreements[kind]) return { stop: false }
      const { [kind]: _gone, ...rest } = u.agreements
      return { write: { ...u, agreements: rest }, result: true }
    })
    if (!changed.ok) return fail('CONFLICT')
  } else if (kind === 'reminders') {
    const changed = await changeUser(ports.store, openid, now, (u) =>
      Object.values(u.grants ?? {}).some((n) => n > 0)
        ? { write: { ...u, grants: {} }, result: true }
        : { stop: false },
    )
    if (!changed.ok) return fail('CONFLICT')
  } else
    for (const l of lines) {
      const off = await setAutoDebit(ports, openid, { product: l.data.line.product, on: false })
      if (!off.ok) return off
    }
  ports.log.info('consent_withdrawn', { kind, wasGiven })
  const list = await consents(ports, openid)
  return ok<WithdrawResult>({
    kind,
    withdrawnAt: now,
    wasGiven,
    ...WITHDRAWAL_EFFECTS[kind],
    consents: list.ok ? list.data : [],
  })
}
