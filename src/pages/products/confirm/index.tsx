// PLACEHOLDER — being written.
import { View } from '@tarojs/components'
import { usePageClass } from '../../../hooks/use-elder-mode'

export default function Page() {
  const pageClass = usePageClass()
  return (
    <View className={pageClass}>
      <View className="kt-title">确认借款</View>
    </View>
  )
}
