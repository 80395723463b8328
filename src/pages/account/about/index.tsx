// 关于开通: what Kaitong is, that it is independent of the products it demonstrates, the data
// versions in use, and how it treats personal data.
import { Text, View } from '@tarojs/components'
import { Page } from '../../../components/page'
import { COOLING_OFF_HOURS } from '../../../domain/agreements'
import { Heading, Para } from '../../../components/prose'
import { DEFAULT_RULE_SET } from '../../../domain/rule-set'
import { Row } from '../../../components/row'
import { PUBLISHED, useCatalog } from '../../../services/catalog'
import './index.scss'

export default function About() {
  // The catalog the lender publishes now (the compiled demonstration one until it publishes its own).
  const published = useCatalog(PUBLISHED)
  return (
    <Page title="关于开通">
      <View className="kt-card">
        <Para>
          开通（Kaitong）是一套在微信里开通消费信贷额度的小程序及云函数：从扫码或打开小程序，到实名认证、预审、看清每个方案的日利率和年化利率、申请、
          {COOLING_OFF_HOURS}小时冷静期内取消、还款和提醒。
        </Para>
        <Para>评估规则在云端执行并逐条说明原因；不符合条件时，告诉你原因和改进方法。</Para>
      </View>

      <Heading>独立声明</Heading>
      <View className="kt-card" data-testid="about-independence">
        <Para>
          开通是独立的项目，与微粒贷、WE2000、小鹅花钱等产品及其所有方（包括相关银行、金融机构和腾讯）没有关联，也未获得其授权或认可。产品名称归各自所有方所有。
        </Para>
        <Para>
          默认产品目录是根据公开文章整理的演示数据，其中的额度、利率、费用和开通条件仅供演示，不代表这些产品的真实条款；放贷机构使用时会替换为自己的产品目录和规则。
        </Para>
      </View>

      <Heading>数据版本</Heading>
      <View className="kt-card" data-testid="about-versions">
        <Row
          label="产品目录（当前发布）"
          value={published.catalog?.version ?? (published.error ? '暂时无法读取' : '读取中…')}
          plain
          className="about-version"
          testId="about-catalog-version"
        />
        <Row label="内置默认规则集" value={DEFAULT_RULE_SET.version} plain className="about-version" />
        <Text className="kt-muted">
          放贷机构可以发布新的目录和规则版本；每次预审和申请的结果都会记录并显示它所使用的目录和规则版本（见“为什么是这个结果”）。
        </Text>
      </View>

      <Heading>隐私</Heading>
      <View className="kt-card">
        <Para>只收集开通所必需的信息，各项敏感信息都单独征得你的同意，每次征信查询单独授权并记录用途。</Para>
        <Para>
          姓名和身份证号加密保存，只在查询征信、人脸核身时解密；银行卡号只保存尾号和加密摘要；人脸图像和特征从不保存。
        </Para>
        <Para>不读取聊天内容、聊天频率，也不读取你关注的公众号或账号。</Para>
        <Para>你可以在“我的 › 我的数据”中查看、导出和删除你的数据；有未结清的借款时，只保留法律要求的部分。</Para>
      </View>
    </Page>
  )
}
