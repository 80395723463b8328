// Entry: who sent the user (merchant code), what happens next, one clear start button.
import { Button } from '@nutui/nutui-react-taro'
import { Text, View } from '@tarojs/components'
import { DevSignIn } from '../../components/dev-sign-in'
import { ErrorNotice } from '../../components/error-notice'
import { useEntry } from '../../hooks/use-entry'
import { useSession } from '../../hooks/use-session'
import './index.scss'

const STEPS = [
  ['阅读协议并授权', '用户协议、隐私政策，以及生物识别、金融信息的单独授权'],
  ['实名认证', '姓名、身份证号、手机号；身份证号只保存脱敏形式'],
  ['WE2000 预审', '不查征信（不产生硬查询），告诉你能否开通以及原因'],
] as const

export default function Index() {
  const session = useSession()
  const entry = useEntry(session.signedIn)

  if (!session.signedIn) {
    return (
      <View className="kt-page">
        <DevSignIn personas={session.personas} busy={session.busy} error={session.error} onSignIn={session.signIn} />
      </View>
    )
  }

  return (
    <View className="kt-page">
      <View className="entry-hero">
        <View className="kt-title">开通 · 消费信贷</View>
        <Text>几分钟看清能不能开通、真实年化成本多少、24小时内可无理由取消。</Text>
        {entry.merchant ? (
          <View className="entry-merchant" data-testid="merchant">
            来自商户：{entry.merchant.name}
          </View>
        ) : null}
      </View>
      <View className="kt-card">
        {STEPS.map(([title, text], i) => (
          <View className="entry-step" key={title}>
            <View className="entry-step-no">{i + 1}</View>
            <View>
              <View>{title}</View>
              <Text className="kt-muted">{text}</Text>
            </View>
          </View>
        ))}
      </View>
      {entry.error ? <ErrorNotice error={entry.error} onRetry={entry.start} /> : null}
      <Button
        type="primary"
        block
        loading={entry.starting}
        disabled={entry.starting}
        onClick={entry.start}
        aria-label="开始开通"
      >
        开始
      </Button>
      <View className="kt-actions">
        <Text className="kt-muted">
          开通（Kaitong）是独立的开源项目，与微粒贷、WE2000、小鹅花钱等产品及其所有方无关；默认产品目录为演示数据，由放贷机构替换为自己的目录。
        </Text>
      </View>
    </View>
  )
}
