// The bank-card step: the holder's name and ID typed again (they are not stored; the server
// checks them against the verified identity), the card with its bank shown as it is typed, the
// bank-reserved mobile; the device's preview of the server's checks, and the server's verdict
// shown on the field it is about, with the fix.
import { useState } from 'react'
import { useRouter } from '@tarojs/taro'
import type { ErrorCode } from '../api'
import { REASONS } from '../domain/reasons'
import { PAGES, pageAfter, type PageName } from '../routes'
import { replace } from '../services/nav'
import { cardCheck, identityChecks, NOT_DEBIT_FIX, UNSUPPORTED_FIX } from '../ui/field-checks'
import { useCloudMutation } from './use-cloud'
import { errorFix, useForm, type FieldRefusal } from './use-form'
import { useStepGate } from './use-onboarding-step'

export type BankCardField = 'name' | 'idNumber' | 'cardNumber' | 'mobile'

/** The server's refusals that are about one field: where they show, and what to do. */
const SERVER_FIELD: Partial<
  Record<ErrorCode, { field: BankCardField; fix: string; title?: string; clearedBy?: BankCardField[] }>
> = {
  CARD_INVALID: { field: 'cardNumber', fix: '请对照卡面逐位核对卡号。' },
  CARD_NOT_DEBIT: { field: 'cardNumber', fix: NOT_DEBIT_FIX },
  CARD_BANK_UNSUPPORTED: { field: 'cardNumber', fix: UNSUPPORTED_FIX },
  IDENTITY_CARD_FAILED: {
    field: 'cardNumber',
    title: REASONS.IDENTITY_CARD_FAILED.title,
    fix: REASONS.IDENTITY_CARD_FAILED.fix,
  },
  // A holder mismatch is about the name and the ID together.
  CARD_HOLDER_MISMATCH: {
    field: 'name',
    fix: '请填写实名认证时使用的姓名和身份证号，并使用本人名下的卡。',
    clearedBy: ['idNumber'],
  },
  ID_NUMBER_INVALID: { field: 'idNumber', fix: '请核对身份证号的每一位。' },
  MOBILE_INVALID: { field: 'mobile', fix: '请填写办卡时在银行预留的11位手机号。' },
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
  const [adding, setAdding] = useState(false)
  const form = useForm({
    initial: { name: '', idNumber: '', cardNumber: '', mobile: '' },
    check: (v) => {
      const card = cardCheck(v.cardNumber).check
      return {
        ...identityChecks({ name: v.name, idNumber: v.idNumber, mobile: v.mobile }, Date.now()),
        ...(card ? { cardNumber: card } : {}),
      }
    },
    refusal: (error): FieldRefusal<BankCardField> | undefined => {
      const on = SERVER_FIELD[error.code]
      return (
        on && { field: on.field, problem: { message: on.title ?? error.message, fix: on.fix }, clearedBy: on.clearedBy }
      )
    },
    mutation: useCloudMutation('onboarding', 'bindCard'),
    toInput: (v) => ({
      cardNumber: v.cardNumber.replace(/[\s-]/g, ''),
      mobile: v.mobile.trim(),
      name: v.name.trim(),
      idNumber: v.idNumber.trim(),
    }),
  })

  const submit = async () => {
    const result = await form.submit()
    if (result?.ok) await replace(next ?? pageAfter('bankCard'))
    return result
  }

  const data = gate.status.data
  return {
    ...gate,
    ...form,
    cards: data?.cards ?? [],
    showForm: (data?.cards.length ?? 0) === 0 || adding,
    addAnother: () => setAdding(true),
    bank: cardCheck(form.values.cardNumber).bank,
    formFix: errorFix(form.formError, {
      retry: submit,
      goTo: gate.goTo,
      earlier: { label: '去实名认证', run: () => void gate.goTo('realName') },
    }),
    submit,
    continueOn: () => replace(next ?? pageAfter('bankCard')),
  }
}
