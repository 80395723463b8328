// Every page's frame: the elder-friendly mode class, and a label for screen readers.
import type { ReactNode } from 'react'
import { View } from '@tarojs/components'
import { useElderMode } from '../../hooks/use-elder-mode'

export function KtPage({
  children,
  className = '',
  label,
}: {
  children: ReactNode
  className?: string
  label?: string
}) {
  const [elder] = useElderMode()
  return (
    <View
      className={`kt-page ${elder ? 'kt-elder' : ''} ${className}`}
      aria-label={label}
      data-elder={elder ? '1' : '0'}
    >
      {children}
    </View>
  )
}
