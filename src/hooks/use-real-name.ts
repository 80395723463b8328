// The real-name step: where the server says the user is (agreements first, or already verified),
// the form's values, the checks the device can preview, and the server's verdict.
import { useState } from 'react'
import { fixedByAgreements, type ErrorCode } from '../api'
import { checkIdNumber, checkLendingAge } from '../domain/id-card'
import { isLegalName, normalizeMobile, normalizeName } from '../domain/person'
import { useCloudMutation } from './use-cloud'
import { useGoNext, useStepGate, type StepBlocker } from './use-onboarding-step'

export type RealNameField = 'name' | 'idNumber' | 'mobile'

const ID_PROBLEMS: Record<string, string> = {
  FORMAT: '身份证号应为18位，最后一位可以是数字或X。',
  REGION: '身份证号前两位不是有效的地区代码。',
  BIRTH_DATE: '身份证号中的出生日期无效。',
  CHECK_DIGIT: '身份证号校验位不正确，请核对每一位。',
  UNDER_AGE: '未满18周岁不能借款。',
  OVER_AGE: '超过60周岁不能借款。',
}

/** The device's preview of the server's checks, so most mistakes show before sending. */
export function previewProblems(
  values: Record<RealNameField, string>,
  now: number,
): Partial<Record<RealNameField, string>> {
  const problems: Partial<Record<RealNameField, string>> = {}
  if (values.name && !isLegalName(normalizeName(values.name))) problems.name = '请填写身份证上的姓名（2–20个汉字）。'
  if (values.idNumber) {
    const id = checkIdNumber(values.idNumber, now)
    if (!id.ok) problems.idNumber = ID_PROBLEMS[id.problem]
    else {
      const age = checkLendingAge(id.birth, now)
      if (age) problems.idNumber = ID_PROBLEMS[age]
    }
  }
  if (values.mobile && !normalizeMobile(values.mobile)) problems.mobile = '请填写11位中国大陆手机号码。'
  return problems
}

/** Refusals not about one field that the same request may get past when sent again. */
const RETRYABLE: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'IDENTITY_SERVICE_UNAVAILABLE',
  'NETWORK_ERROR',
  'INTERNAL',
  'CONFLICT',
  'REQUEST_IN_PROGRESS',
])

export function useRealName() {
  // The real-name check needs no separate consent, only the required agreements (the user
  // agreement among them). The gate's own step is this page: it blocks only on the agreements.
  const gate = useStepGate('userAgreement')
  const blocker: StepBlocker | null =
    gate.blocker?.kind === 'step' && gate.blocker.page === 'realName' ? null : gate.blocker
  const goNext = useGoNext()
  const verify = useCloudMutation('onboarding', 'verifyIdentity')
  const [values, setValues] = useState<Record<RealNameField, string>>({ name: '', idNumber: '', mobile: '' })
  const [touched, setTouched] = useState<Partial<Record<RealNameField, boolean>>>({})
  const preview = previewProblems(values, Date.now())
  const complete = values.name !== '' && values.idNumber !== '' && values.mobile !== ''
  const serverField = verify.error?.field as RealNameField | undefined

  const problemFor = (field: RealNameField): string | undefined => {
    if (serverField === field && verify.error) {
      return verify.error.detail && ID_PROBLEMS[verify.error.detail]
        ? ID_PROBLEMS[verify.error.detail]
        : verify.error.message
    }
    return touched[field] ? preview[field] : undefined
  }

  // The same values again keep their requestId (useCloudMutation): a check that did land is
  // answered again by the server, not run twice.
  const submit = async () => {
    const result = await verify.run({ name: values.name, idNumber: values.idNumber, mobile: values.mobile })
    if (result?.ok) await goNext(result.data)
    return result
  }

  const formError = verify.error && !serverField ? verify.error : null
  const status = gate.status.data
  return {
    status: gate.status,
    blocker,
    goTo: gate.goTo,
    /** The identity the server already verified (masked), when there is one: no form, just 继续. */
    verified: status?.identity && !status.identity.recheck ? status.identity : null,
    /** Verified before the identity was kept sealed: the form asks for name and ID once more. */
    recheck: status?.identity?.recheck === true,
    continueOn: () => (status ? goNext(status) : undefined),
    values,
    set: (field: RealNameField, value: string) => setValues((v) => ({ ...v, [field]: value })),
    touch: (field: RealNameField) => setTouched((t) => ({ ...t, [field]: true })),
    problemFor,
    canSubmit: complete && Object.keys(preview).length === 0 && !verify.busy,
    busy: verify.busy,
    /** An error not about one field (service down, agreements missing…). */
    formError,
    /** What the user can do about `formError`: send the same request again, or accept the agreements. */
    formFix: !formError
      ? null
      : RETRYABLE.has(formError.code)
        ? { label: '重试', run: () => void submit() }
        : fixedByAgreements(formError)
          ? { label: '去授权', run: () => void gate.goTo('agreements') }
          : null,
    submit,
  }
}
