// The real-name step: where the server says the user is (agreements first, or already verified),
// the form (useForm) with the device's preview of the server's checks, and the server's verdict.
import type { ErrorCode } from '../api'
import { ID_PROBLEMS, identityChecks, type IdentityField } from '../ui/field-checks'
import { useCloudMutation } from './use-cloud'
import { errorFix, useForm } from './use-form'
import { useGoNext, useStepGate, type StepBlocker } from './use-onboarding-step'

export type RealNameField = IdentityField

/** Refusals not about one field that the same request may get past when sent again. */
const RETRYABLE: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'IDENTITY_SERVICE_UNAVAILABLE',
  'NETWORK_ERROR',
  'INTERNAL',
  'CONFLICT',
  'REQUEST_IN_PROGRESS',
])

const FIELDS: readonly string[] = ['name', 'idNumber', 'mobile'] satisfies RealNameField[]

export function useRealName() {
  // The real-name check needs no separate consent, only the required agreements (the user
  // agreement among them). The gate's own step is this page: it blocks only on the agreements.
  const gate = useStepGate('userAgreement')
  const blocker: StepBlocker | null =
    gate.blocker?.kind === 'step' && gate.blocker.page === 'realName' ? null : gate.blocker
  const goNext = useGoNext()
  const form = useForm({
    initial: { name: '', idNumber: '', mobile: '' },
    check: (values) => identityChecks(values, Date.now()),
    // The server names the field; an ID number's finer reason reads as the device would say it.
    refusal: (error) =>
      error.field && FIELDS.includes(error.field)
        ? {
            field: error.field as RealNameField,
            problem: { message: (error.detail && ID_PROBLEMS[error.detail]) || error.message },
          }
        : undefined,
    mutation: useCloudMutation('onboarding', 'verifyIdentity'),
    toInput: (v) => ({ name: v.name, idNumber: v.idNumber, mobile: v.mobile }),
  })

  const submit = async () => {
    const result = await form.submit()
    if (result?.ok) await goNext(result.data)
    return result
  }

  const status = gate.status.data
  return {
    ...form,
    status: gate.status,
    blocker,
    goTo: gate.goTo,
    /** The identity the server already verified (masked), when there is one: no form, just 继续. */
    verified: status?.identity && !status.identity.recheck ? status.identity : null,
    /** Verified before the identity was kept sealed: the form asks for name and ID once more. */
    recheck: status?.identity?.recheck === true,
    continueOn: () => (status ? goNext(status) : undefined),
    /** What the person can do about `formError`: send the same request again, or accept the agreements. */
    formFix: errorFix(form.formError, { retry: submit, goTo: gate.goTo, retryable: RETRYABLE }),
    submit,
  }
}
