// Every page's root: the page class (with 长辈模式's larger type when it is on), and the page's
// title and what the page is for, when it has them.
import type { ReactNode } from 'react'
import { View } from '@tarojs/components'
import { usePageClass } from '../../hooks/use-elder-mode'

export function Page({
  className = '',
  title,
  subtitle,
  children,
}: {
  className?: string
  title?: ReactNode
  subtitle?: ReactNode
  children: ReactNode
}) {
  return (
    <View className={usePageClass(className)}>
      {title === undefined ? null : <View className="kt-title">{title}</View>}
      {subtitle === undefined ? null : <View className="kt-subtitle">{subtitle}</View>}
      {children}
    </View>
  )
}
