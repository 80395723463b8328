// Withdrawing an optional consent (PIPL art. 15) where it was given: the biometric and
// financial-data consents, automatic debit, and repayment reminders by subscribe message. The
// withdrawal is recorded beside the acceptance (never deleted), what needs the consent asks for it
// again (the guard's CONSENT_REQUIRED), and the answer says what stops and how to give it again.
import { fail, ok, type WithdrawableConsent, type WithdrawResult } from '../../src/api'
import { AGREEMENT_VERSIONS } from '../../src/domain/agreements'
import { COLLECTIONS } from '../schema'
import { consents } from './account'
import { setAutoDebit } from './card-debits'
import type { ConsentDoc } from './onboarding'
import { changeUser, loadUser } from './users'
import type { LineDoc } from './lines'
import type { UseCase } from './use-case'

/** What stops working when each consent is withdrawn, and how to give it again: the page and the answer say it. */
export const WITHDRAWAL_EFFECTS: Record<WithdrawableConsent, { stops: string[]; again: string }> = {
  biometricConsent: {
    stops: [
      '不再进行人脸核身：需要人脸核身的产品（小鹅花钱）暂不能开通或借款；新设备或异地登录后的借款需要核身，也会暂停。',
      '已完成的核身只保留结果和时间（从不保存图像），用于已发生的借款。',
    ],
    again: '需要时在“协议与授权”页重新同意《生物识别信息单独授权》即可恢复。',
  },
  financialDataConsent: {
    stops: [
      '不再读取支付分、支付记录和征信软查询：预审、开通额度、借款和绑定银行卡都会先请你重新授权。',
      '额度的定期复审暂停（不会因此调低额度）；已借的款项照常还款。',
    ],
    again: '需要时在“协议与授权”页重新同意《金融信息单独授权》即可恢复。',
  },
  autoDebit: {
    stops: ['所有额度的自动扣款都已关闭：到期需要你自己在小程序中还款，逾期会产生逾期费用。'],
    again: '可在额度页重新开启自动扣款（每次开启都会再次征得你的同意）。',
  },
  reminders: {
    stops: ['不再发送微信订阅消息提醒；还款提醒仍会出现在小程序的消息中心。'],
    again: '在借款页点“订阅还款提醒”即可重新订阅。',
  },
}

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
