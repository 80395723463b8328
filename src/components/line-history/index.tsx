// 额度记录: every change of a line, newest first — when (China time), why (in words, from its
// reason code), how much it moved, the limit and what was in use after it, and what the server
// wrote beside it. A change that belongs to a loan links to it.
import { Text, View } from '@tarojs/components'
import type { LineChange } from '../../domain/line'
import { chinaTime, yuan } from '../../ui/format'
import { LINE_REASON_NAMES, changeAmountText, changeDetailText, newestFirst } from '../../ui/line-text'
import { Action } from '../action'
import './index.scss'

function Change({ c, onLoan }: { c: LineChange; onLoan: (loanId: string) => void }) {
  const amount = changeAmountText(c)
  const detail = changeDetailText(c)
  return (
    <View className="line-change" data-testid="line-change" data-reason={c.reason}>
      <View className="kt-row">
        <Text className="line-change-reason">{LINE_REASON_NAMES[c.reason] ?? c.reason}</Text>
        {amount ? (
          <Text className="line-change-amount" data-testid="line-change-amount">
            {amount}
          </Text>
        ) : null}
      </View>
      <Text className="kt-muted line-change-line">{`${chinaTime(c.at)}`}</Text>
      <Text className="kt-muted line-change-line">{`之后：总额度 ${yuan(c.limitFen)}，已借未还 ${yuan(c.inUseFen)}`}</Text>
      {detail ? <Text className="kt-muted line-change-line">{detail}</Text> : null}
      {c.loanId ? (
        <Action small outline label={`查看这笔借款 ${c.loanId}`} onTap={() => onLoan(c.loanId!)}>
          查看这笔借款
        </Action>
      ) : null}
    </View>
  )
}

export function LineHistory({ changes, onLoan }: { changes: LineChange[]; onLoan: (loanId: string) => void }) {
  return (
    <View className="kt-card" data-testid="line-history">
      <View className="kt-heading line-history-title" role="heading" aria-level={2}>
        额度记录
      </View>
      {changes.length === 0 ? (
        <Text className="kt-muted">还没有记录。</Text>
      ) : (
        newestFirst(changes).map((c, i) => <Change key={`${c.at}-${c.reason}-${i}`} c={c} onLoan={onLoan} />)
      )}
    </View>
  )
}
