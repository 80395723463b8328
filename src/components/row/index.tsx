// A label and its value on one line (kt-row): the label muted unless `plain`.
import type { ReactNode } from 'react'
import { Text, View } from '@tarojs/components'

export function Row({
  label,
  value,
  plain = false,
  className,
  testId,
}: {
  label: ReactNode
  value: ReactNode
  /** The label in the body colour, for lists where every line is a fact of equal weight. */
  plain?: boolean
  /** The value's class. */
  className?: string
  testId?: string
}) {
  return (
    <View className="kt-row" data-testid={testId}>
      <Text className={plain ? undefined : 'kt-muted'}>{label}</Text>
      <Text className={className}>{value}</Text>
    </View>
  )
}
