// Home (a tab page): who sent the user (merchant code), the lines they have opened (可用额度 of
// 总额度, one 借钱 button each), the three products with "can I open it?" at a glance, and one
// clear button to start or go on.
import { Text, View } from '@tarojs/components'
import type { LineView } from '../../api'
import { DevSignIn } from '../../components/dev-sign-in'
import { ErrorNotice } from '../../components/error-notice'
import { Loading } from '../../components/states'
import { LineGlance } from '../../components/line-glance'
import { COOLING_OFF_HOURS } from '../../domain/agreements'
import { Page } from '../../components/page'
import { useEntry, type ProductGlance } from '../../hooks/use-entry'
import { useSession } from '../../hooks/use-session'
import { go } from '../../services/nav'
import { apr, percent, yuanShort } from '../../ui/format'
import { Action, Actions } from '../../components/action'
import './index.scss'

const STEPS = [
  ['阅读协议并授权', '用户协议、隐私政策，以及生物识别、金融信息的单独授权'],
  ['实名认证与预审', '姓名、身份证号、手机号；预审不查征信（不产生硬查询）'],
  [
    '绑卡、支付分、开通',
    `看清额度、日利率和年化利率后再开通（查询一次征信）；之后借款不再硬查询，放款后${COOLING_OFF_HOURS}小时内可无理由取消`,
  ],
] as const

/** The start button, as it reads and as a screen reader names it: where it takes the person next. */
const START_LABELS = { new: '开始开通', onboarding: '继续开通', ready: '查看产品' } as const

const range = (min: number, max: number, f: (x: number) => string) => (min === max ? f(min) : `${f(min)}–${f(max)}`)

function verdictText(p: ProductGlance, line: LineView | undefined): { text: string; tone: 'ok' | 'no' | 'wait' } {
  if (line?.state === 'active') return { text: '已开通', tone: 'ok' }
  if (line?.state === 'frozen') return { text: '已开通 · 额度已冻结', tone: 'no' }
  if (line?.state === 'review') return { text: '开通审核中', tone: 'wait' }
  if (!p.verdict) return { text: p.invitationOnly ? '仅限受邀用户' : '实名后即可预审', tone: 'wait' }
  if (p.verdict.open && p.verdict.pending.length > 0)
    return { text: `需先完成：${p.verdict.pending.join('、')}`, tone: 'wait' }
  if (p.verdict.open) return { text: `可以开通 · 额度 ${yuanShort(p.verdict.limitFen)}`, tone: 'ok' }
  return { text: `暂不能开通：${p.verdict.firstReason ?? ''}`, tone: 'no' }
}

/** One product at a glance: can it open, its limit range, its daily and annualized rates. */
function Glance({ p, capPercent, line }: { p: ProductGlance; capPercent: number; line?: LineView }) {
  const v = verdictText(p, line)
  return (
    <View className="glance" data-testid={`glance-${p.product}`}>
      <View className="kt-row">
        <Text className="glance-name">{p.name}</Text>
        <Text className={`glance-verdict glance-${v.tone}`}>{v.text}</Text>
      </View>
      <View className="glance-figures">
        <Text className="kt-muted">
          额度 {range(p.limitFen.min, p.limitFen.max, yuanShort)}
          {p.limitClipped ? '（单户上限）' : ''}
        </Text>
      </View>
      <View className="glance-figures">
        <Text className="glance-rate">
          日利率 {range(p.dailyRatePercent.min, p.dailyRatePercent.max, (x) => percent(x, 4))}
        </Text>
        <Text className="glance-rate">
          {p.aprPercent ? `年化利率 ${range(p.aprPercent.min, p.aprPercent.max, apr)}` : '年化利率：全部方案超过上限'}
        </Text>
      </View>
      {p.clipped ? (
        <View className="glance-figures">
          <Text className="kt-muted">部分方案的综合年化成本超过 {percent(capPercent)}，不提供</Text>
        </View>
      ) : null}
    </View>
  )
}

/** How opening goes, for someone new. */
function Steps() {
  return (
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
  )
}

export default function Index() {
  const session = useSession()
  const entry = useEntry(session.signedIn)

  if (!session.signedIn) {
    return (
      <Page className="kt-tab-page">
        <DevSignIn personas={session.personas} busy={session.busy} error={session.error} onSignIn={session.signIn} />
      </Page>
    )
  }

  return (
    <Page className="kt-tab-page">
      <View className="entry-hero">
        <View className="kt-title">开通 · 消费信贷</View>
        <Text>几分钟看清能不能开通、真实年化成本多少、{COOLING_OFF_HOURS}小时内可无理由取消。</Text>
        {entry.merchant ? (
          <View className="entry-merchant" data-testid="merchant">
            来自商户：{entry.merchant.name}
          </View>
        ) : null}
      </View>

      {entry.lines.length > 0 ? (
        <View className="kt-card" data-testid="my-lines">
          <View className="entry-section">我的额度</View>
          {entry.lines.map((line) => (
            <LineGlance
              key={line.product}
              line={line}
              onBorrow={() => void go('offer', { product: line.product })}
              onLine={() => void go('line', { product: line.product })}
            />
          ))}
          <Text className="kt-muted">在可用额度内借款不再硬查询征信；已借未还的本金占用额度，还款后恢复。</Text>
        </View>
      ) : null}

      <View className="kt-card" data-testid="glance">
        <View className="entry-section">能不能开通</View>
        {entry.products ? (
          entry.products.map((p) => (
            <Glance
              key={p.product}
              p={p}
              capPercent={entry.capPercent}
              line={entry.lines.find((l) => l.product === p.product)}
            />
          ))
        ) : entry.catalogError ? (
          <ErrorNotice error={entry.catalogError} onRetry={() => void entry.reloadCatalog()} />
        ) : (
          // As tall as the three products it waits for, so that nothing below moves when they arrive.
          <View className="glance-waiting">
            <Loading text="正在读取产品目录…" />
          </View>
        )}
        <Text className="kt-muted">
          年化利率按实际现金流（IRR）计算，含利息和全部手续费；综合年化成本超过 {percent(entry.capPercent)}{' '}
          的方案不提供。
        </Text>
      </View>

      {entry.stage === 'new' ? <Steps /> : null}
      {entry.error ? <ErrorNotice error={entry.error} onRetry={entry.start} /> : null}
      <Action
        primary
        label={START_LABELS[entry.stage]}
        disabled={entry.starting}
        loading={entry.starting}
        onTap={entry.start}
      />
      <Actions>
        <Text className="kt-muted">
          开通（Kaitong）是独立的开源项目，与微粒贷、WE2000、小鹅花钱等产品及其所有方无关；默认产品目录为演示数据，由放贷机构替换为自己的目录。
        </Text>
      </Actions>
    </Page>
  )
}
