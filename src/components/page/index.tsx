// Every page's root: the page class, with 长辈模式's larger type when it is on.
import type { ReactNode } from 'react'
import { View } from '@tarojs/components'
import { usePageClass } from '../../hooks/use-elder-mode'

export function Page({ className = '', children }: { className?: string; children: ReactNode }) {
  return <View className={usePageClass(className)}>{children}</View>
}
