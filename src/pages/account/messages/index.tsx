// 消息中心: repayment reminders kept in the app, newest first; tapping one marks it read and opens its loan.
import { Text, View } from '@tarojs/components'
import { ErrorNotice } from '../../../components/error-notice'
import { QueryView } from '../../../components/states'
import { Page } from '../../../components/page'
import { useInbox } from '../../../hooks/use-inbox'
import { dateTime } from '../../../ui/format'
import { Action } from '../../../components/action'
import { pressable, weappLabel } from '../../../ui/aria'
import './index.scss'

export default function Messages() {
  const inbox = useInbox()

  return (
    <Page title="消息中心" subtitle="未订阅提醒或订阅次数已用完时，还款提醒会放在这里。每条提醒只发一次。">
      {inbox.markError ? <ErrorNotice error={inbox.markError} onRetry={() => void inbox.retryMark()} /> : null}
      <QueryView query={inbox.query} empty={(d) => (d.messages.length === 0 ? '暂无消息' : null)}>
        {() => (
          <View>
            <View className="kt-row msg-toolbar">
              <Text className="kt-muted" data-testid="unread-count">
                {inbox.unread > 0 ? `${inbox.unread} 条未读` : '全部已读'}
              </Text>
              <Action
                small
                label="全部标为已读"
                disabled={inbox.unread === 0 || inbox.marking}
                loading={inbox.marking}
                onTap={() => void inbox.markAllRead()}
              />
            </View>
            <View data-testid="messages">
              {inbox.messages.map((m) => (
                <View
                  key={m.id}
                  className={`kt-card msg${m.read ? '' : ' msg-unread'}`}
                  // Named by what it shows (未读, the title, when, the text); in WeChat by its label.
                  {...weappLabel(`${m.title}，${m.read ? '已读' : '未读'}`)}
                  data-read={m.read ? 'true' : 'false'}
                  {...pressable(() => void inbox.open(m))}
                >
                  <View className="kt-row">
                    <Text className="msg-title">
                      {m.read ? null : <Text className="msg-dot">未读 </Text>}
                      {m.title}
                    </Text>
                    <Text className="kt-muted">{dateTime(m.at)}</Text>
                  </View>
                  <View>
                    <Text>{m.body}</Text>
                  </View>
                  <View>
                    <Text className="kt-link">查看借款 ›</Text>
                  </View>
                </View>
              ))}
            </View>
          </View>
        )}
      </QueryView>
    </Page>
  )
}
