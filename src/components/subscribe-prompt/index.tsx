// The reminder subscription, offered at a natural moment (after approval, after a repayment);
// the dialog opens only from the user's own tap, as WeChat requires.
import { Text, View } from '@tarojs/components'
import type { SubscribeOutcome } from '../../hooks/use-subscribe'
import { Action, Actions } from '../action'

export function SubscribePrompt({
  context,
  busy,
  outcome,
  onAsk,
}: {
  context: 'approved' | 'repaid'
  busy: boolean
  outcome: SubscribeOutcome | null
  onAsk: () => void
}) {
  return (
    <View className="kt-card" data-testid="subscribe-prompt">
      <View>
        <Text>{context === 'approved' ? '需要还款提醒吗？' : '还款成功。下次还款也提醒你吗？'}</Text>
      </View>
      <Text className="kt-muted">
        到期前3天、1天、当天和逾期后提醒，不在22:00–08:00打扰。每允许一次只能发一条微信消息；不订阅也会在消息中心看到。
      </Text>
      {outcome?.kind === 'granted' ? (
        <View data-testid="subscribe-result">
          <Text className="kt-ok">已订阅：可以收到 {outcome.count} 条提醒。</Text>
        </View>
      ) : outcome?.kind === 'declined' ? (
        <View data-testid="subscribe-result">
          <Text className="kt-muted">未订阅。提醒会放在消息中心。</Text>
        </View>
      ) : outcome?.kind === 'error' ? (
        <View data-testid="subscribe-result" role="alert">
          <Text className="kt-error">{outcome.message}</Text>
        </View>
      ) : null}
      <Actions>
        <Action primary small label="订阅还款提醒" disabled={busy} loading={busy} onTap={onAsk} />
      </Actions>
    </View>
  )
}
