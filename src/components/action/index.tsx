// One thing a person can do: a button whose label is both what it says and what a screen reader
// reads (aria-label), full width unless small. `Actions` is the row of them under a card.
import type { ReactNode } from 'react'
import { Button } from '@nutui/nutui-react-taro'
import { View } from '@tarojs/components'

export function Action({
  label,
  onTap,
  primary = false,
  danger = false,
  outline = false,
  small = false,
  disabled,
  loading,
  className,
  children,
}: {
  label: string
  onTap: () => void
  primary?: boolean
  danger?: boolean
  outline?: boolean
  /** A small inline button instead of a full-width one. */
  small?: boolean
  disabled?: boolean
  loading?: boolean
  className?: string
  /** What the button shows when it is more than its label (an amount, say); the label is still read. */
  children?: ReactNode
}) {
  // Only what is set is passed: NutUI's Button spreads its props over its defaults, so an
  // explicit `size={undefined}` would drop its default size (and its classes) altogether.
  const optional = {
    ...(className ? { className } : {}),
    ...(outline ? { fill: 'outline' as const } : {}),
    ...(small ? { size: 'small' as const } : {}),
    ...(disabled === undefined ? {} : { disabled }),
    ...(loading === undefined ? {} : { loading }),
  }
  return (
    <Button
      type={danger ? 'danger' : primary ? 'primary' : 'default'}
      block={!small}
      onClick={onTap}
      aria-label={label}
      {...optional}
    >
      {children ?? label}
    </Button>
  )
}

export function Actions({ children, testId }: { children: ReactNode; testId?: string }) {
  return (
    <View className="kt-actions" data-testid={testId}>
      {children}
    </View>
  )
}
