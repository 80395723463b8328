// 我的 (tab, main package): who the user is (masked), and the way to messages, contracts, data,
// settings and help.
// Kept light — plain Views only — because the main package is size-limited.
import { Text, View } from '@tarojs/components'
import { ErrorNotice } from '../../components/error-notice'
import { Loading } from '../../components/states'
import { Page } from '../../components/page'
import { useElderMode } from '../../hooks/use-elder-mode'
import { useReloadOnShow } from '../../hooks/use-cloud'
import { useUnreadCount } from '../../hooks/use-inbox'
import { useOnboardingStatus } from '../../hooks/use-onboarding-step'
import { resumePage, type PageName } from '../../routes'
import { go } from '../../services/nav'
import { pressable } from '../../ui/aria'
import './index.scss'

/**
 * A row to another page. Its accessible name is what it shows — title, hint, the unread count —
 * in that order, parted by commas a screen reader pauses at, so a person who sees 我的数据 can say
 * it to voice control (WCAG 2.5.3); `more` is what the name adds after it.
 */
function NavRow({
  title,
  hint,
  more,
  badge,
  onTap,
}: {
  title: string
  hint?: string
  more?: string
  badge?: string
  onTap: () => void
}) {
  const label = [title, hint].filter(Boolean).join('，') + (badge ? `，${badge}${more ?? ''}` : (more ?? ''))
  return (
    <View className="me-row" aria-label={label} {...pressable(onTap)}>
      <Text className="me-row-title">{title}</Text>
      <View className="me-row-end">
        {hint ? <Text className="kt-muted">{hint}</Text> : null}
        {badge ? (
          <Text className="me-badge" data-testid="unread-badge">
            {badge}
          </Text>
        ) : null}
        <Text className="me-arrow">›</Text>
      </View>
    </View>
  )
}

export default function Me() {
  const [elder] = useElderMode()
  const status = useOnboardingStatus()
  const inbox = useUnreadCount()
  useReloadOnShow(status.reload)
  const identity = status.data?.identity ?? null
  const cards = status.data?.cards ?? []
  const unread = inbox.unread ?? 0

  const open = (page: PageName) => () => void go(page)

  return (
    <Page className="kt-tab-page" title="我的">
      {status.error ? (
        <ErrorNotice error={status.error} onRetry={() => void status.reload()} />
      ) : status.data === null ? (
        <Loading />
      ) : identity ? (
        <View className="kt-card" data-testid="me-identity">
          <View className="kt-row">
            <Text className="me-name">{identity.name}</Text>
            <Text className="kt-ok">已实名</Text>
          </View>
          <View>
            <Text className="kt-muted">
              身份证 {identity.idNumber}　手机 {identity.mobile}
            </Text>
          </View>
          <View>
            <Text className="kt-muted">
              {cards.length > 0
                ? `已绑定 ${cards.map((c) => `${c.bank}（尾号${c.last4}）`).join('、')}`
                : '未绑定银行卡'}
            </Text>
          </View>
        </View>
      ) : (
        <View className="kt-card" data-testid="me-identity">
          <View className="kt-row">
            <Text className="me-name">未实名</Text>
          </View>
          <Text className="kt-muted">完成实名认证后，才能查看可开通的产品。</Text>
          <NavRow
            title="去实名认证"
            onTap={() => {
              if (status.data) void go(resumePage(status.data))
            }}
          />
        </View>
      )}

      <View className="kt-card me-list">
        <NavRow
          title="消息中心"
          more={unread > 0 ? '条未读' : undefined}
          hint={inbox.error ? '未读数暂时无法获取' : undefined}
          badge={unread > 0 ? (unread > 99 ? '99+' : String(unread)) : undefined}
          onTap={open('messages')}
        />
        <NavRow title="我的合同" hint="查看、下载 PDF" onTap={open('contracts')} />
        <NavRow title="我的数据" hint="查看、导出、撤回授权、删除" onTap={open('myData')} />
        <NavRow title="设置（长辈模式）" hint={elder ? '已开启' : '未开启'} onTap={open('settings')} />
        <NavRow title="帮助" more="：开通失败原因、提额、冷静期" onTap={open('help')} />
        <NavRow title="关于开通" onTap={open('about')} />
        <NavRow title="其他平台参考" onTap={open('competitors')} />
      </View>
    </Page>
  )
}
