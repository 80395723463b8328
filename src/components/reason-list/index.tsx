// Why a product is not open yet, each reason with the fix the user can make.
import { Text, View } from '@tarojs/components'
import type { Reason } from '../../domain/reasons'

export function ReasonList({ reasons }: { reasons: Reason[] }) {
  return (
    <View data-testid="reasons">
      {reasons.map((r) => (
        <View key={r.code} className="kt-card reason" data-code={r.code}>
          <View>
            <Text className="reason-title">{r.title}</Text>
          </View>
          <View>
            <Text className="kt-muted">怎么办：{r.fix}</Text>
          </View>
        </View>
      ))}
    </View>
  )
}
