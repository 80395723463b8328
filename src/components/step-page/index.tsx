// One onboarding step's page: the step bar, the title and what the step is for, then — once the
// server's status has come — what stands before the step (an earlier step, a missing consent) or
// the step itself. The step form's fields and its error are here too, so each step page says
// only what is its own.
import type { ReactNode } from 'react'
import { Text, View } from '@tarojs/components'
import type { ApiError, OnboardingStatus } from '../../api'
import { STEP_TITLES, type JourneyStep } from '../../domain/journey'
import type { QueryState } from '../../hooks/use-cloud'
import type { ErrorFix, FieldsForm } from '../../hooks/use-form'
import type { StepBlocker } from '../../hooks/use-onboarding-step'
import type { PageName } from '../../routes'
import { Action, Actions } from '../action'
import { ErrorNotice } from '../error-notice'
import { FormField, type FieldSpec } from '../form-field'
import { Page } from '../page'
import { QueryView } from '../states'
import { StepBar } from '../step-bar'
import { StepGate } from '../step-gate'

/** What a step says when something stands before it (see StepGate). */
export interface StepBlockedTexts {
  /** What this step does, as in "请先完成实名认证，再绑定银行卡。". */
  doing: string
  /** Why this step needs its consent. */
  consent: string
  consentNote?: string
}

export function StepPage({
  step,
  title = STEP_TITLES[step],
  subtitle,
  intro,
  gate,
  blocked,
  unavailable,
  children,
}: {
  step: JourneyStep
  title?: string
  subtitle?: ReactNode
  /** Shown before the status has come (what the step shares, say). */
  intro?: ReactNode
  /** The server's status and what stands before the step. */
  gate: { status: QueryState<OnboardingStatus>; blocker: StepBlocker | null; goTo: (page: PageName) => unknown }
  blocked: StepBlockedTexts
  /** When the page cannot show the step at all (no product named): shown instead of it. */
  unavailable?: ReactNode
  children: (status: OnboardingStatus) => JSX.Element | null
}) {
  return (
    <Page>
      <StepBar current={step} />
      <View className="kt-title">{title}</View>
      {subtitle ? <View className="kt-subtitle">{subtitle}</View> : null}
      {intro}
      {unavailable ?? (
        <QueryView query={gate.status} loadingText="正在读取开通进度…">
          {(status) =>
            gate.blocker ? (
              <StepGate blocker={gate.blocker} {...blocked} onGo={(page) => void gate.goTo(page)} />
            ) : (
              children(status)
            )
          }
        </QueryView>
      )}
    </Page>
  )
}

/** A step form's fields, in a card: each with its problem (or its hint while there is none). */
export function StepFields<F extends string>({
  fields,
  form,
  hint,
  note,
}: {
  fields: ReadonlyArray<FieldSpec<F>>
  form: FieldsForm<F>
  hint?: (field: F) => ReactNode
  /** A line above the fields. */
  note?: string
}) {
  return (
    <View className="kt-card">
      {note ? <Text className="kt-muted">{note}</Text> : null}
      {fields.map((spec) => (
        <FormField
          key={spec.field}
          spec={spec}
          value={form.values[spec.field]}
          onChange={(v) => form.set(spec.field, v)}
          onBlur={() => form.touch(spec.field)}
          problem={form.problemFor(spec.field)}
          hint={hint?.(spec.field)}
        />
      ))}
    </View>
  )
}

/** A step form's send button, showing what it is named: enabled once the form may be sent, spinning while it is. */
export function StepSubmit({
  form,
  label,
  bare = false,
}: {
  form: { canSubmit: boolean; busy: boolean; submit: () => unknown }
  label: string
  /** The button alone, without the row's spacing above it (the agreements page's last line). */
  bare?: boolean
}) {
  const button = (
    <Action primary label={label} disabled={!form.canSubmit} loading={form.busy} onTap={() => void form.submit()} />
  )
  return bare ? button : <Actions>{button}</Actions>
}

/** A step's error with what can be done about it (去授权, the earlier step, 重试) when there is something. */
export function StepError({ error, fix }: { error: ApiError | null; fix: ErrorFix | null }) {
  if (!error) return null
  return <ErrorNotice error={error} retryLabel={fix?.label} onRetry={fix?.run} />
}
