// One opened product on the home tab (main package — kept light: plain Views and Text): 可用额度
// of 总额度, the state when it cannot lend now, and one button — 借钱 when it can, else the line's
// page, which says why and what to do.
import { Text, View } from '@tarojs/components'
import type { LineView } from '../../api'
import { PRODUCT_NAMES } from '../../domain/catalog'
import { DAY_MS } from '../../domain/china-time'
import { REVIEW_TTL_MS } from '../../domain/line'
import { Action } from '../action'
import { LineAmounts } from '../line-amounts'
import { pressable } from '../../ui/aria'
import './index.scss'

const NOTE: Partial<Record<LineView['state'], string>> = {
  frozen: '已冻结：有一期还款逾期，还清后自动恢复',
  review: `人工审核中，${REVIEW_TTL_MS / DAY_MS}天内决定`,
}

export function LineGlance({ line, onBorrow, onLine }: { line: LineView; onBorrow: () => void; onLine: () => void }) {
  const name = PRODUCT_NAMES[line.product] ?? line.product
  const note = NOTE[line.state]
  const follow = line.state === 'frozen' ? '查看怎么恢复' : '查看审核进度'
  return (
    <View className="line-glance" data-testid={`line-glance-${line.product}`}>
      {/* Its name is what it shows (WCAG 2.5.3: a person can say what they see). */}
      <View className="kt-row" aria-label={`${name}，额度记录`} {...pressable(onLine)}>
        <Text className="line-glance-name">{name}</Text>
        <Text className="kt-link">额度记录 ›</Text>
      </View>
      {line.state === 'review' ? null : <LineAmounts line={line} testIdPrefix="line-glance" />}
      {note ? (
        <View>
          <Text className={line.state === 'frozen' ? 'kt-error' : 'kt-muted'}>{note}</Text>
        </View>
      ) : null}
      {line.state === 'active' ? (
        <Action primary small label={`借钱 ${name}`} onTap={onBorrow}>
          借钱
        </Action>
      ) : (
        <Action small label={`${follow} ${name}`} onTap={onLine}>
          {follow}
        </Action>
      )}
    </View>
  )
}
