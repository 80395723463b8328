// 可用额度 beside 总额度, in large type: what can be borrowed now and the whole line — the one pair
// wherever a line is shown (the home tab's glance and the line's own page). Plain Views and Text:
// the home tab is in the main package.
import { Text, View } from '@tarojs/components'
import type { LineView } from '../../api'
import { yuan } from '../../ui/format'
import './index.scss'

export function LineAmounts({
  line,
  testIdPrefix,
  large = false,
}: {
  line: Pick<LineView, 'availableFen' | 'limitFen'>
  /** The figures' test ids: `<prefix>-available` and `<prefix>-limit`. */
  testIdPrefix: string
  /** The line's own page: larger figures than a glance. */
  large?: boolean
}) {
  const value = large ? 'line-amount-value line-amount-large' : 'line-amount-value'
  return (
    <View className="line-amounts">
      <View className="line-amount">
        <Text className="line-amount-label">可用额度</Text>
        <Text className={value} data-testid={`${testIdPrefix}-available`}>
          {yuan(line.availableFen)}
        </Text>
      </View>
      <View className="line-amount">
        <Text className="line-amount-label">总额度</Text>
        <Text className={value} data-testid={`${testIdPrefix}-limit`}>
          {yuan(line.limitFen)}
        </Text>
      </View>
    </View>
  )
}
