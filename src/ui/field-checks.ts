// What the device can say about a form's fields before it sends them: the same checks the server
// makes (src/domain), worded for the field they are about, with how to fix them. The server
// still decides; this only lets most mistakes show before a round trip.
import { bankForPrefix, checkDebitCard, issuerCount, type CardType } from '../domain/bank-card'
import { CARD_DIGITS, LENDING_AGE, MOBILE_DIGITS, NAME_LENGTH } from '../domain/figures'
import { checkIdNumber, checkLendingAge } from '../domain/id-card'
import { isLegalName, normalizeMobile, normalizeName } from '../domain/person'

/** What is wrong with a field, and what the person can do about it (shown after 怎么办：). */
export interface FieldProblem {
  message: string
  fix?: string
}

/** A problem the device found: `live` ones show while typing, the rest once the field is left. */
export interface FieldCheck {
  problem: FieldProblem
  live?: boolean
}

export type FieldChecks<F extends string> = Partial<Record<F, FieldCheck>>

/** The ID number's problems (the domain's codes, and the server's `detail` for ID_NUMBER_INVALID). */
export const ID_PROBLEMS: Record<string, string> = {
  FORMAT: '身份证号应为18位，最后一位可以是数字或X。',
  REGION: '身份证号前两位不是有效的地区代码。',
  BIRTH_DATE: '身份证号中的出生日期无效。',
  CHECK_DIGIT: '身份证号校验位不正确，请核对每一位。',
  UNDER_AGE: `未满${LENDING_AGE.min}周岁不能借款。`,
  OVER_AGE: `超过${LENDING_AGE.max}周岁不能借款。`,
}

export type IdentityField = 'name' | 'idNumber' | 'mobile'

/** Name, resident ID (with the lending age) and mobile, for whichever of them `values` has. */
export function identityChecks(
  values: Partial<Record<IdentityField, string>>,
  now: number,
): FieldChecks<IdentityField> {
  const checks: FieldChecks<IdentityField> = {}
  const say = (message: string): FieldCheck => ({ problem: { message } })
  if (values.name && !isLegalName(normalizeName(values.name)))
    checks.name = say(`请填写身份证上的姓名（${NAME_LENGTH.min}–${NAME_LENGTH.max}个汉字）。`)
  if (values.idNumber) {
    const id = checkIdNumber(values.idNumber, now)
    const problem = id.ok ? checkLendingAge(id.birth, now) : id.problem
    if (problem) checks.idNumber = say(ID_PROBLEMS[problem])
  }
  if (values.mobile && !normalizeMobile(values.mobile))
    checks.mobile = say(`请填写${MOBILE_DIGITS}位中国大陆手机号码。`)
  return checks
}

/** How many card issuers the BIN table knows (every major bank and many city and rural banks). */
export const ISSUER_COUNT = issuerCount()

/** What a card that cannot repay is called. */
export const CARD_TYPE_NAMES: Record<CardType, string> = {
  debit: '借记卡',
  credit: '信用卡',
  'semi-credit': '准贷记卡',
  prepaid: '预付费卡',
}

export const NOT_DEBIT_FIX = '请换一张本人名下的借记卡（储蓄卡）。'
export const UNSUPPORTED_FIX = `请对照卡面核对卡号的前几位和位数；卡号无误的话，请换一张其他银行的借记卡（支持全国 ${ISSUER_COUNT} 家发卡机构）。`

/** The card number as the device can judge it: the bank it belongs to, and what is wrong with it. */
export function cardCheck(raw: string): { bank: { bank: string; type: CardType | null } | null; check?: FieldCheck } {
  const digits = raw.replace(/[\s-]/g, '')
  if (digits === '') return { bank: null }
  const live = (message: string, fix?: string) => ({ problem: { message, fix }, live: true })
  const onLeave = (message: string, fix: string) => ({ problem: { message, fix } })
  if (!/^\d+$/.test(digits)) return { bank: null, check: live('银行卡号只能包含数字。') }
  const bank = bankForPrefix(digits)
  if (bank?.type && bank.type !== 'debit') {
    const kind = CARD_TYPE_NAMES[bank.type]
    return {
      bank,
      check: live(`这是${bank.bank}的${kind}：还款需要借记卡（储蓄卡），${kind}不能绑定。`, NOT_DEBIT_FIX),
    }
  }
  if (!bank && digits.length >= 6) return { bank, check: live('暂时无法识别这张卡的发卡银行。', UNSUPPORTED_FIX) }
  const card = checkDebitCard(digits)
  if (card.ok) return { bank }
  if (card.problem === 'FORMAT')
    return {
      bank,
      check: onLeave(`银行卡号应为${CARD_DIGITS.min}–${CARD_DIGITS.max}位数字。`, '请对照卡面完整输入卡号。'),
    }
  if (card.problem === 'CHECKSUM')
    return { bank, check: onLeave('卡号校验未通过，可能有一位输错了。', '请对照卡面逐位核对卡号。') }
  if (card.problem === 'NOT_DEBIT' && card.bin)
    return {
      bank,
      check: onLeave(`这是${card.bin.bank}的${CARD_TYPE_NAMES[card.bin.type]}，不能用于还款。`, NOT_DEBIT_FIX),
    }
  return { bank, check: onLeave(`卡号的位数与${bank ? bank.bank : '发卡银行'}的卡不符。`, UNSUPPORTED_FIX) }
}
