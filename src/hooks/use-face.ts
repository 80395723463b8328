// The face step (人脸核身, WeChat's v2 flow): the server issues a verifyId for the verified
// person, WeChat's camera page runs, then the server asks WeChat for the result. "Finished" on
// the device is not "passed": confirmFace is always asked, and only its answer counts. Nothing
// biometric passes through here: no image, no template.
import { useState } from 'react'
import { useRouter } from '@tarojs/taro'
import type { ApiError, ErrorCode } from '../api'
import { isProductId } from '../domain/catalog'
import { REASONS } from '../domain/reasons'
import { replace } from '../services/nav'
import { platform } from '../services/platform'
import { identityChecks } from '../ui/field-checks'
import { useCloudMutation } from './use-cloud'
import { errorFix, useForm } from './use-form'
import { useStepGate } from './use-onboarding-step'

export type FaceField = 'name' | 'idNumber'

/** What WeChat's face page can end with, other than a pass: each with what to do next. */
export const FACE_FAILURES: Partial<Record<ErrorCode, { title?: string; fix: string }>> = {
  IDENTITY_FACE_FAILED: { title: REASONS.IDENTITY_FACE_FAILED.title, fix: REASONS.IDENTITY_FACE_FAILED.fix },
  FACE_CANCELLED: { fix: '准备好后点“重新核身”，按页面提示完成动作。' },
  FACE_TIMEOUT: { fix: '请在光线充足处，点“重新核身”后尽快按提示完成动作。' },
  FACE_NOT_FINISHED: { fix: '请点“重新核身”，在核身页面完成全部动作，中途不要返回。' },
  FACE_SESSION_USED: { fix: '每次核身只能确认一次：请点“重新核身”重新开始。' },
  FACE_SESSION_EXPIRED: { fix: '请点“重新核身”重新开始，并在有效时间内完成。' },
}

/** The start's refusals about one field. */
/** (Both are about the name and the ID together: editing either clears them.) */
const FIELD_ERRORS: Partial<Record<ErrorCode, { field: FaceField; fix: string }>> = {
  CARD_HOLDER_MISMATCH: { field: 'name', fix: '请填写实名认证时使用的姓名和身份证号。' },
  ID_NUMBER_INVALID: { field: 'idNumber', fix: '请核对身份证号的每一位。' },
}

/** The answer was lost on the way, not given: the same verifyId is asked about again. */
const ASK_AGAIN: ErrorCode[] = [
  'NETWORK_ERROR',
  'FACE_SERVICE_UNAVAILABLE',
  'INTERNAL',
  'CONFLICT',
  'REQUEST_IN_PROGRESS',
]

type Stage = 'start' | 'face' | 'confirm' | 'drawdown'

export function useFace() {
  const router = useRouter()
  const params = router?.params ?? {}
  const product = isProductId(params.product) ? params.product : null
  const loanId = params.loanId || null
  // The earlier steps, then the separate biometric consent.
  const gate = useStepGate('biometricConsent')
  const confirm = useCloudMutation('onboarding', 'confirmFace')
  const drawdown = useCloudMutation('loans', 'drawdown')
  // The name and ID are the start's form: its refusals about them show on their field.
  const form = useForm({
    initial: { name: '', idNumber: '' },
    check: (v) => identityChecks(v, Date.now()),
    refusal: (error) => {
      const on = FIELD_ERRORS[error.code]
      return (
        on && { field: on.field, problem: { message: error.message, fix: on.fix }, clearedBy: ['name', 'idNumber'] }
      )
    },
    mutation: useCloudMutation('onboarding', 'startFace'),
    toInput: (v) => ({ name: v.name.trim(), idNumber: v.idNumber.trim() }),
  })
  const [running, setRunning] = useState(false)
  // What went wrong after the start: WeChat's face page, the server's query of it, or the payout.
  const [failure, setFailure] = useState<{ error: ApiError; stage: Stage; verifyId?: string } | null>(null)

  /**
   * After a pass: the held loan is paid out, or the user goes back to opening the product the step
   * was for (the page shows the line instead when it is open already).
   */
  const proceed = async () => {
    if (loanId) {
      const paid = await drawdown.run({ loanId })
      if (!paid) return
      if (!paid.ok) return setFailure({ error: paid.error, stage: 'drawdown' })
      await replace('loan', { loanId })
      return
    }
    await (product ? replace('openLine', { product }) : replace('products'))
  }

  const confirmAndGo = async (verifyId: string) => {
    const answer = await confirm.run({ verifyId })
    if (!answer) return
    if (!answer.ok) {
      const code = answer.error.code
      const stage = FACE_FAILURES[code] ? 'face' : ASK_AGAIN.includes(code) ? 'confirm' : 'start'
      return setFailure({ error: answer.error, stage, verifyId })
    }
    await proceed()
  }

  /** One attempt: a new verifyId each time, the camera, then the server's verdict. */
  const verify = async () => {
    setRunning(true)
    setFailure(null)
    try {
      const started = await form.submit()
      if (!started?.ok) return
      // Whatever the device reports ('finished', 'cancelled', 'unavailable'), the server decides.
      await platform.runFace(started.data.verifyId)
      await confirmAndGo(started.data.verifyId)
    } finally {
      setRunning(false)
    }
  }

  /** A face outcome starts again (a new verifyId); a lost answer is asked again; a failed payout is retried alone. */
  const retry = async () => {
    const last = failure
    const verifyId = last?.stage === 'confirm' ? last.verifyId : undefined
    if (last?.stage !== 'drawdown' && !verifyId) return verify()
    setRunning(true)
    setFailure(null)
    try {
      await (verifyId ? confirmAndGo(verifyId) : proceed())
    } finally {
      setRunning(false)
    }
  }

  const face = failure && failure.stage === 'face' ? FACE_FAILURES[failure.error.code] : undefined
  const error = (failure && !face ? failure.error : null) ?? form.formError
  return {
    ...gate,
    product,
    loanId,
    /** Already passed, and no held loan asks for it again. */
    alreadyPassed: gate.status.data?.face === 'passed' && !loanId,
    values: form.values,
    set: form.set,
    touch: form.touch,
    problemFor: form.problemFor,
    canStart: form.complete && form.valid,
    running: running || form.busy || confirm.busy || drawdown.busy,
    /** A face outcome that was not a pass: its message and fix, and 重新核身. */
    faceFailure:
      face && failure
        ? { code: failure.error.code, message: face.title ?? failure.error.message, fix: face.fix }
        : null,
    /** Any other failure (service, network, consent, payout), not about one field. */
    error,
    errorFix: errorFix(error, { retry, goTo: gate.goTo }),
    verify,
    retry,
    continueOn: () => proceed(),
  }
}
