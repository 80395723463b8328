// 其他平台参考: docs/product-rules.md §5 as information only — what the source article says other platforms
// ask for. No links and no integrations; the platforms decide their own conditions.
import { Text, View } from '@tarojs/components'
import { Page } from '../../../components/page'
import './index.scss'

interface Platform {
  id: string
  name: string
  conditions: string
  /** The article's claim could not be confirmed. */
  unverified?: string
  approval: string
  products: string
}

const PLATFORMS: Platform[] = [
  {
    id: 'jiebei',
    name: '支付宝借呗',
    conditions: '芝麻分 ≥ 600 + 实名认证',
    approval: '即时',
    products: '借呗 / 备用金',
  },
  {
    id: 'jintiao',
    name: '京东金条',
    conditions: '小白信用 ≥ 80 + 绑定银行卡',
    approval: '1个工作日',
    products: '金条 / 白条',
  },
  {
    id: 'fangxinjie',
    name: '抖音放心借',
    conditions: '粉丝数 ≥ 1000（未经核实）+ 实名认证',
    unverified: '粉丝数条件仅见于原文，未能核实，请以平台说明为准。',
    approval: '2小时',
    products: '放心借',
  },
]

export default function Competitors() {
  return (
    <Page
      title="其他平台参考"
      subtitle="以下内容整理自公开文章的描述，仅供了解，不构成推荐；开通（Kaitong）与这些平台没有合作，也不代为申请。"
    >
      {PLATFORMS.map((p) => (
        <View key={p.id} className="kt-card" data-testid={`platform-${p.id}`}>
          <Text className="competitor-name">{p.name}</Text>
          <View className="competitor-row">
            <Text className="kt-muted competitor-key">开通条件（据原文）</Text>
            <Text>{p.conditions}</Text>
            {p.unverified ? (
              <Text className="competitor-unverified" data-testid="unverified">
                {p.unverified}
              </Text>
            ) : null}
          </View>
          <View className="competitor-row">
            <Text className="kt-muted competitor-key">审批时间</Text>
            <Text>{p.approval}</Text>
          </View>
          <View className="competitor-row">
            <Text className="kt-muted competitor-key">产品</Text>
            <Text>{p.products}</Text>
          </View>
        </View>
      ))}
      <View className="kt-card" data-testid="competitors-note">
        <Text className="kt-muted">
          各平台的开通条件、额度和利率会随时调整，也因人而异；请以该平台官方渠道的说明为准。比较借款成本时请看年化利率（含全部费用），不要只看日利率。
        </Text>
      </View>
    </Page>
  )
}
