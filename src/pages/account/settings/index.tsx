// 设置: 长辈模式 (larger type, larger buttons, higher contrast), kept on this device and applied to every page.
import { Switch } from '@nutui/nutui-react-taro'
import { Text, View } from '@tarojs/components'
import { Page } from '../../../components/page'
import { COOLING_OFF_HOURS } from '../../../domain/agreements'
import { useElderMode } from '../../../hooks/use-elder-mode'
import { yuan } from '../../../ui/format'
import { Row } from '../../../components/row'
import './index.scss'

export default function Settings() {
  const [elder, setElder] = useElderMode()

  return (
    <Page title="设置">
      <View className="kt-card">
        <View className="kt-row settings-row">
          <View>
            <View>
              <Text className="settings-label">长辈模式</Text>
            </View>
            <Text className="kt-muted">更大的字、更大的按钮、更高的对比度</Text>
          </View>
          <Switch checked={elder} onChange={setElder} ariaLabel="长辈模式" />
        </View>
        <View role="status" data-testid="elder-state">
          <Text className="kt-muted">
            {elder ? '已开启：所有页面都使用大字显示。' : '未开启。'}设置保存在本机，下次打开小程序仍然有效。
          </Text>
        </View>
      </View>
      <View className="settings-heading">效果示例</View>
      <View className="kt-card" data-testid="elder-sample">
        <Row label="本期应还" value={yuan(103_000)} plain className="kt-rate" />
        <Row label="到期日" value="2026年12月28日" plain />
        <Text className="kt-muted">放款后{COOLING_OFF_HOURS}小时内可无理由取消借款，不收利息和费用。</Text>
      </View>
    </Page>
  )
}
