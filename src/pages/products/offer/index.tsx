// PLACEHOLDER — being written.
import { View } from '@tarojs/components'
import { KtPage } from '../../../components/kt-page'

export default function Page() {
  return (
    <KtPage>
      <View className="kt-title">借款方案</View>
    </KtPage>
  )
}
