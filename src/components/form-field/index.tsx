// One labelled input with what is wrong with it and how to fix it, and an optional live hint.
import type { ReactNode } from 'react'
import { PlainInput } from '../plain-input'
import { Text, View } from '@tarojs/components'
import type { FieldProblem } from '../../ui/field-checks'
import './index.scss'

/** How a form describes one of its inputs. */
export interface FieldSpec<F extends string> {
  field: F
  label: string
  placeholder: string
  type: 'text' | 'idcard' | 'number'
  maxLength: number
}

export function FormField({
  spec,
  value,
  onChange,
  onBlur,
  problem,
  hint,
}: {
  spec: FieldSpec<string>
  value: string
  onChange: (value: string) => void
  onBlur?: () => void
  problem?: FieldProblem
  /** Shown under the input while there is no problem (e.g. the bank a card number belongs to). */
  hint?: ReactNode
}) {
  const { field: name, label, placeholder, type, maxLength } = spec
  return (
    <View className="kt-field" data-testid={`field-${name}`}>
      <Text className="kt-field-label">{label}</Text>
      <View className="kt-field-input">
        <PlainInput
          name={name}
          type={type}
          placeholder={placeholder}
          maxLength={maxLength}
          value={value}
          onChange={(v: string) => onChange(v)}
          onBlur={onBlur}
          aria-label={label}
        />
      </View>
      {problem ? (
        <View role="alert" data-testid={`problem-${name}`}>
          <Text className="kt-error kt-field-error">{problem.message}</Text>
          {problem.fix ? <Text className="kt-muted kt-field-error">怎么办：{problem.fix}</Text> : null}
        </View>
      ) : hint ? (
        <View data-testid={`hint-${name}`}>{hint}</View>
      ) : null}
    </View>
  )
}
