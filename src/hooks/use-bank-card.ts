// The bank-card step: the holder's name and ID typed again (they are not stored; the server
// checks them against the verified identity), the card with its bank shown as it is typed, the
// bank-reserved mobile; the device's preview of the server's checks, and the server's verdict
// shown on the field it is about, with the fix.
import { useState } from 'react'
import { useRouter } from '@tarojs/taro'
import type { ApiError, ErrorCode } from '../api'
import { bankForPrefix, checkDebitCard, issuerCount, type CardType } from '../domain/bank-card'
import { REASONS } from '../domain/reasons'
import { PAGES, afterPrecheck, type PageName } from '../routes'
import { replace } from '../services/nav'
import { useCloudMutation } from './use-cloud'
import { useStepGate } from './use-onboarding-step'
import { previewProblems } from './use-real-name'

export type BankCardField = 'name' | 'idNumber' | 'cardNumber' | 'mobile'

export interface Problem {
  message: string
  fix?: string
}

/** How many card issuers the BIN table knows (every major bank and many city and rural banks). */
export const ISSUER_COUNT = issuerCount()

const NOT_DEBIT_FIX = '请换一张本人名下的借记卡（储蓄卡）。'
const UNSUPPORTED_FIX = `请对照卡面核对卡号的前几位和位数；卡号无误的话，请换一张其他银行的借记卡（支持全国 ${ISSUER_COUNT} 家发卡机构）。`

/** What a card that cannot repay is called. */
export const CARD_TYPE_NAMES: Record<CardType, string> = {
  debit: '借记卡',
  credit: '信用卡',
  'semi-credit': '准贷记卡',
  prepaid: '预付费卡',
}

/** The server's refusals that are about one field: where they show, and what to do. */
const SERVER_FIELD: Partial<Record<ErrorCode, { field: BankCardField; fix: string; title?: string }>> = {
  CARD_INVALID: { field: 'cardNumber', fix: '请对照卡面逐位核对卡号。' },
  CARD_NOT_DEBIT: { field: 'cardNumber', fix: NOT_DEBIT_FIX },
  CARD_BANK_UNSUPPORTED: { field: 'cardNumber', fix: UNSUPPORTED_FIX },
  IDENTITY_CARD_FAILED: {
    field: 'cardNumber',
    title: REASONS.IDENTITY_CARD_FAILED.title,
    fix: REASONS.IDENTITY_CARD_FAILED.fix,
  },
  CARD_HOLDER_MISMATCH: { field: 'name', fix: '请填写实名认证时使用的姓名和身份证号，并使用本人名下的卡。' },
  ID_NUMBER_INVALID: { field: 'idNumber', fix: '请核对身份证号的每一位。' },
  MOBILE_INVALID: { field: 'mobile', fix: '请填写办卡时在银行预留的11位手机号。' },
}

/** The card number as the device can judge it: `live` problems show while typing, the rest once the field is left. */
export function previewCard(raw: string): {
  bank: { bank: string; type: CardType | null } | null
  live?: Problem
  onLeave?: Problem
} {
  const digits = raw.replace(/[\s-]/g, '')
  if (digits === '') return { bank: null }
  if (!/^\d+$/.test(digits)) return { bank: null, live: { message: '银行卡号只能包含数字。' } }
  const bank = bankForPrefix(digits)
  if (bank?.type && bank.type !== 'debit') {
    const kind = CARD_TYPE_NAMES[bank.type]
    return {
      bank,
      live: { message: `这是${bank.bank}的${kind}：还款需要借记卡（储蓄卡），${kind}不能绑定。`, fix: NOT_DEBIT_FIX },
    }
  }
  if (!bank && digits.length >= 6)
    return { bank, live: { message: '暂时无法识别这张卡的发卡银行。', fix: UNSUPPORTED_FIX } }
  const check = checkDebitCard(digits)
  if (check.ok) return { bank }
  if (check.problem === 'FORMAT')
    return { bank, onLeave: { message: '银行卡号应为15–20位数字。', fix: '请对照卡面完整输入卡号。' } }
  if (check.problem === 'CHECKSUM')
    return { bank, onLeave: { message: '卡号校验未通过，可能有一位输错了。', fix: '请对照卡面逐位核对卡号。' } }
  if (check.problem === 'NOT_DEBIT' && check.bin)
    return {
      bank,
      onLeave: {
        message: `这是${check.bin.bank}的${CARD_TYPE_NAMES[check.bin.type]}，不能用于还款。`,
        fix: NOT_DEBIT_FIX,
      },
    }
  return {
    bank,
    onLeave: { message: `卡号的位数与${bank ? bank.bank : '发卡银行'}的卡不符。`, fix: UNSUPPORTED_FIX },
  }
}

/** `?next=` when it names a page: where the step leads instead of the journey's next step. */
function nextPage(next: string | undefined): PageName | null {
  return next && Object.prototype.hasOwnProperty.call(PAGES, next) ? (next as PageName) : null
}

export function useBankCard() {
  const router = useRouter()
  const next = nextPage(router?.params?.next)
  // The bank checks the card: financial data, with its own consent.
  const gate = useStepGate('financialDataConsent')
  const bind = useCloudMutation('onboarding', 'bindCard')
  const [values, setValues] = useState<Record<BankCardField, string>>({
    name: '',
    idNumber: '',
    cardNumber: '',
    mobile: '',
  })
  const [touched, setTouched] = useState<Partial<Record<BankCardField, boolean>>>({})
  // A server refusal stays on its field until the user changes that field.
  const [dismissed, setDismissed] = useState<ApiError | null>(null)
  const [adding, setAdding] = useState(false)

  const holder = previewProblems({ name: values.name, idNumber: values.idNumber, mobile: values.mobile }, Date.now())
  const card = previewCard(values.cardNumber)
  const cardProblem = card.live ?? card.onLeave
  const serverError = bind.error && bind.error !== dismissed ? bind.error : null
  const serverField = serverError ? SERVER_FIELD[serverError.code] : undefined

  const problemFor = (field: BankCardField): Problem | undefined => {
    if (serverError && serverField?.field === field)
      return { message: serverField.title ?? serverError.message, fix: serverField.fix }
    if (field === 'cardNumber') return card.live ?? (touched.cardNumber ? card.onLeave : undefined)
    const message = touched[field] ? holder[field] : undefined
    return message ? { message } : undefined
  }

  const complete = Object.values(values).every((v) => v.trim() !== '')
  const previewOk = Object.keys(holder).length === 0 && !cardProblem

  const submit = async () => {
    const result = await bind.run({
      cardNumber: values.cardNumber.replace(/[\s-]/g, ''),
      mobile: values.mobile.trim(),
      name: values.name.trim(),
      idNumber: values.idNumber.trim(),
    })
    if (result?.ok) await replace(next ?? afterPrecheck(result.data))
    return result
  }

  const data = gate.status.data
  return {
    ...gate,
    cards: data?.cards ?? [],
    showForm: (data?.cards.length ?? 0) === 0 || adding,
    addAnother: () => setAdding(true),
    values,
    set: (field: BankCardField, value: string) => {
      setValues((v) => ({ ...v, [field]: value }))
      const about = serverError && serverField?.field
      // A holder mismatch is about the name and the ID together.
      if (about === field || (serverError?.code === 'CARD_HOLDER_MISMATCH' && field === 'idNumber'))
        setDismissed(serverError)
    },
    touch: (field: BankCardField) => setTouched((t) => ({ ...t, [field]: true })),
    bank: card.bank,
    problemFor,
    canSubmit: complete && previewOk && !bind.busy,
    busy: bind.busy,
    /** A refusal not about one field (service down, network, consent…). */
    formError: serverError && !serverField ? serverError : null,
    submit,
    continueOn: () => replace(next ?? (gate.status.data ? afterPrecheck(gate.status.data) : 'products')),
  }
}
