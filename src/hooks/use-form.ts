// One form store for the onboarding steps' forms, the way a component library's form store
// works: the values, which fields were left (touched), each field's problem — the device's
// check, or the server's refusal on the field it is about — and submit through a cloud
// mutation, which keeps the same requestId while the same values are sent again (a request that
// did land is answered again by the server, not run twice).
import { useState } from 'react'
import type { ActionName, ActionRequest, ApiError, FunctionName } from '../api'
import { fixedByAgreements } from '../api/errors'
import type { PageName } from '../routes'
import type { FieldChecks, FieldProblem } from '../ui/field-checks'
import type { MutationState } from './use-cloud'

/** Where a refusal from the server shows: on a field, with its fix; edits to `clearedBy` (and the field) clear it. */
export interface FieldRefusal<F extends string> {
  field: F
  problem: FieldProblem
  clearedBy?: F[]
}

export interface FormSpec<F extends string, Fn extends FunctionName, A extends ActionName<Fn>> {
  initial: Record<F, string>
  /** The device's checks of the values (what the server would refuse, said before sending). */
  check: (values: Record<F, string>) => FieldChecks<F>
  /** Which field a server refusal is about, if any; the rest are the form's own error. */
  refusal?: (error: ApiError) => FieldRefusal<F> | undefined
  mutation: MutationState<Fn, A>
  /** The request the values make. */
  toInput: (values: Record<F, string>) => ActionRequest<Fn, A>
}

export function useForm<F extends string, Fn extends FunctionName, A extends ActionName<Fn>>(spec: FormSpec<F, Fn, A>) {
  const [values, setValues] = useState(spec.initial)
  const [touched, setTouched] = useState<Partial<Record<F, boolean>>>({})
  // The last refusal stays until the person edits a field it is about, or sends again.
  const [refused, setRefused] = useState<ApiError | null>(null)
  const checks = spec.check(values)
  const onField = refused ? spec.refusal?.(refused) : undefined
  const complete = (Object.values(values) as string[]).every((v) => v.trim() !== '')
  const valid = Object.keys(checks).length === 0

  const submit = async () => {
    setRefused(null)
    const result = await spec.mutation.run(spec.toInput(values))
    if (result && !result.ok) setRefused(result.error)
    return result
  }

  return {
    values,
    set: (field: F, value: string) => {
      setValues((v) => ({ ...v, [field]: value }))
      if (onField && (onField.field === field || onField.clearedBy?.includes(field))) setRefused(null)
    },
    touch: (field: F) => setTouched((t) => ({ ...t, [field]: true })),
    /** The server's refusal on this field, else the device's check once it applies. */
    problemFor: (field: F): FieldProblem | undefined => {
      if (onField?.field === field) return onField.problem
      const check = checks[field]
      return check && (check.live || touched[field]) ? check.problem : undefined
    },
    complete,
    valid,
    canSubmit: complete && valid && !spec.mutation.busy,
    busy: spec.mutation.busy,
    /** A refusal not about one field (service down, network, a consent…). */
    formError: refused && !onField ? refused : null,
    submit,
  }
}

/** What a form's fields read and write (the step page's field list takes this). */
export interface FieldsForm<F extends string> {
  values: Record<F, string>
  set: (field: F, value: string) => void
  touch: (field: F) => void
  problemFor: (field: F) => FieldProblem | undefined
}

/** What the person can do about a step's error: accept the agreements, do the earlier step, or send again. */
export interface ErrorFix {
  label: string
  run: () => void
}

export function errorFix(
  error: ApiError | null,
  ways: {
    retry: () => unknown
    goTo: (page: PageName) => unknown
    /** Only these codes are worth sending again (default: any). */
    retryable?: ReadonlySet<string>
    /** An earlier step the server says is missing (STEP_REQUIRED), and its button. */
    earlier?: ErrorFix
    agreementsLabel?: string
  },
): ErrorFix | null {
  if (!error) return null
  if (fixedByAgreements(error))
    return { label: ways.agreementsLabel ?? '去授权', run: () => void ways.goTo('agreements') }
  if (error.code === 'STEP_REQUIRED' && ways.earlier) return ways.earlier
  if (ways.retryable && !ways.retryable.has(error.code)) return null
  return { label: '重试', run: () => void ways.retry() }
}
