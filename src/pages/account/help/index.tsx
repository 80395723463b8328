// 帮助: why opening fails and how to fix it, limit growth, the cooling-off promise, how the
// annualized rate is computed, reminders, and which data is and is not used.
import type { ReactNode } from 'react'
import { Text, View } from '@tarojs/components'
import { ReasonList } from '../../../components/reason-list'
import { Page } from '../../../components/page'
import { Heading, Para } from '../../../components/prose'
import { COOLING_OFF_HOURS } from '../../../domain/agreements'
import { DIMENSIONS } from '../../../domain/rule-set'
import { percent } from '../../../ui/format'
import {
  ALL_REASONS,
  APR_CAP_PERCENT,
  DIMENSION_TEXTS,
  DIMENSION_WEIGHTS,
  GROWTH_NOTES,
  REMINDER_TEXT,
  growthTips,
} from './content'
import './index.scss'

const TIPS = growthTips()

function Section({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <View className="help-section" data-testid={`help-${id}`}>
      <Heading>{title}</Heading>
      {children}
    </View>
  )
}

function ReasonsSection() {
  return (
    <Section id="reasons" title="开通失败常见原因">
      <View className="kt-subtitle">每条原因都附有改进方法。产品页和预审结果中显示的就是这些原因。</View>
      <ReasonList reasons={ALL_REASONS} />
    </Section>
  )
}

function GrowthSection() {
  return (
    <Section id="growth" title="提额建议">
      <View className="kt-card" data-testid="growth-tips">
        {TIPS.map((t) => (
          <View className="help-tip" key={t.id} data-tip={t.id}>
            <View>
              <Text>{t.text}</Text>
            </View>
            <Text className="kt-muted">预计生效：{t.effectPeriod}</Text>
          </View>
        ))}
        {GROWTH_NOTES.map((n) => (
          <View className="kt-para" key={n}>
            <Text className="kt-muted">{n}</Text>
          </View>
        ))}
      </View>
    </Section>
  )
}

function CoolingOffSection() {
  return (
    <Section id="cooling-off" title={`冷静期：${COOLING_OFF_HOURS}小时内可无理由取消`}>
      <View className="kt-card">
        <Para>
          放款后 {COOLING_OFF_HOURS}{' '}
          小时内，你可以在借款详情里“取消借款”，不需要任何理由：退还本金即结清，不收利息，也不收任何费用。
        </Para>
        <Para>
          时间按服务器时间精确计算：放款后满 {COOLING_OFF_HOURS} 小时整（{COOLING_OFF_HOURS}
          :00:00）冷静期结束，此后不能取消，但可以随时提前还款，利息按实际天数计算。
        </Para>
        <Para>已经还过款的借款不能取消，可以提前还清。</Para>
      </View>
    </Section>
  )
}

function AprSection() {
  return (
    <Section id="apr" title="年化利率怎么算">
      <View className="kt-card">
        <Para>
          随借随还、没有任何手续费的借款：年化利率 = 日利率 × 365。例如日利率 0.05%，年化利率为 {percent(0.05 * 365)}。
        </Para>
        <Para>
          分期借款（等额本息、等额本金、分期手续费），以及任何收取手续费（如取现手续费）的借款：按你实际到手的本金和每一笔还款（本金、利息、手续费）计算内部收益率（IRR）再年化，标注为“年化利率(IRR)”。手续费会让年化利率明显高于“日利率
          × 365”或“月费率 × 12”。
        </Para>
        <Para>
          每个方案都同时显示日利率和年化利率；综合年化成本（利息加全部手续费）超过上限的方案不会提供，页面会显示它的年化利率和原因。上限默认为{' '}
          {APR_CAP_PERCENT}%（国家金融监督管理总局2025年第9号文，2025年10月1日起施行）。
        </Para>
      </View>
    </Section>
  )
}

function RemindersSection() {
  return (
    <Section id="reminders" title="还款提醒">
      <View className="kt-card">
        <Para>
          {REMINDER_TEXT.when}；{REMINDER_TEXT.quiet}。
        </Para>
        <Para>
          微信的订阅消息每允许一次只能发送一条。我们在借款成功、还款后等时机询问是否订阅，并记录剩余次数；次数用完或未订阅时，提醒放在“我的
          › 消息中心”。
        </Para>
        <Para>同一笔借款、同一期、同一种提醒只发送一次，不会重复打扰。</Para>
      </View>
    </Section>
  )
}

function DataSection() {
  return (
    <Section id="data" title="我们使用和不使用的数据">
      <View className="kt-card">
        <Para>综合评分由四个维度加权得出，只使用你授权的、汇总后的信息：</Para>
        {DIMENSIONS.map((d) => (
          <View className="help-tip" key={d}>
            <View>
              <Text>
                {DIMENSION_TEXTS[d].title}（权重 {DIMENSION_WEIGHTS[d]}%）
              </Text>
            </View>
            <Text className="kt-muted">{DIMENSION_TEXTS[d].uses}</Text>
          </View>
        ))}
        <Para>
          我们不读取聊天内容、聊天频率，也不读取你关注了哪些公众号或账号：这些信息不是评估所必需的，放贷机构也不能合法获取。
        </Para>
        <Para>
          姓名和身份证号加密保存（密钥不在数据库中），只在查询征信、人脸核身时解密；银行卡号只保存尾号和加密摘要；人脸图像和特征从不保存，只保存核验结果和时间。每次正式征信查询都单独征得你的授权并记录用途。你可以在“我的数据”中查看、导出和删除你的数据。
        </Para>
      </View>
    </Section>
  )
}

export default function Help() {
  return (
    <Page title="帮助">
      <ReasonsSection />
      <GrowthSection />
      <CoolingOffSection />
      <AprSection />
      <RemindersSection />
      <DataSection />
    </Page>
  )
}
