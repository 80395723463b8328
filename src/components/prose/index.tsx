// A section heading (read as a heading by screen readers) and a paragraph, for the pages that are
// mostly text: help, about, my data.
import type { ReactNode } from 'react'
import { Text, View } from '@tarojs/components'

export function Heading({ children }: { children: ReactNode }) {
  return (
    <View className="kt-heading" role="heading" aria-level={2}>
      {children}
    </View>
  )
}

export function Para({ children }: { children: ReactNode }) {
  return (
    <View className="kt-para">
      <Text>{children}</Text>
    </View>
  )
}
