// 借款方案: build an offer for one product — amount within the limit, term, repayment mode and
// purpose — with the annualized rate, every cost and the whole repayment plan, previewed live on
// the device. The server prices it again, and that figure binds, when the user applies.
import { useMemo } from 'react'
import { Button, Input } from '@nutui/nutui-react-taro'
import { Text, View } from '@tarojs/components'
import { useRouter } from '@tarojs/taro'
import { PURPOSES } from '../../../api'
import { ChoiceChips, type Choice } from '../../../components/choice-chips'
import { ErrorNotice } from '../../../components/error-notice'
import { OfferSummary } from '../../../components/offer-summary'
import { ReasonList } from '../../../components/reason-list'
import { RepaymentPlan } from '../../../components/repayment-plan'
import { Empty, QueryView } from '../../../components/states'
import type { RepaymentMode } from '../../../domain/catalog'
import type { PricingError } from '../../../domain/pricing'
import type { Term } from '../../../domain/schedule'
import { Page } from '../../../components/page'
import { termKey, useOfferBuilder, type Purpose } from '../../../hooks/use-offer-builder'
import { goToStep } from '../../../routes'
import { go, replace } from '../../../services/nav'
import { MODE_NAMES, PRODUCT_NAMES, PURPOSE_NAMES, apr, percent, termText, yuanShort } from '../../../ui/format'
import { PENDING_STEP_NAMES, verdictText } from '../../../ui/product-text'
import './index.scss'

const PURPOSE_CHOICES: Array<Choice<Purpose>> = PURPOSES.map((p) => ({
  value: p,
  label: PURPOSE_NAMES[p],
  ariaLabel: `借款用途 ${PURPOSE_NAMES[p]}`,
}))

function overCapText(error: PricingError, within: Term[]): string {
  const head = `该方案年化利率（IRR）为 ${apr(error.aprPercent ?? 0)}，超过 ${percent(error.capPercent ?? 0)} 的上限，不予提供。`
  return within.length > 0
    ? `${head}同样金额和还款方式下，可选期限：${within.map(termText).join('、')}；也可调整金额或还款方式。`
    : `${head}请调整期限、金额或还款方式。`
}

export default function Offer() {
  const { params } = useRouter()
  const b = useOfferBuilder(params.product)
  const name = b.product ? PRODUCT_NAMES[b.product] : ''

  const presetChoices = useMemo(
    () =>
      b.amount.presets.map((fen) => ({ value: fen, label: yuanShort(fen), ariaLabel: `借款金额 ${yuanShort(fen)}` })),
    [b.amount.presets],
  )
  const modeChoices = useMemo(
    () => b.modes.map((m) => ({ value: m, label: MODE_NAMES[m], ariaLabel: `还款方式 ${MODE_NAMES[m]}` })),
    [b.modes],
  )
  const termChoices = useMemo(
    () => b.terms.map((t) => ({ value: termKey(t), label: termText(t), ariaLabel: `期限 ${termText(t)}` })),
    [b.terms],
  )
  const termsByKey = useMemo(() => new Map(b.terms.map((t) => [termKey(t), t])), [b.terms])

  if (!b.product) {
    return (
      <Page>
        <View className="kt-title">借款方案</View>
        <Empty text="没有找到这个产品。" action="返回选择产品" onAction={() => void replace('products')} />
      </Page>
    )
  }

  const offer = b.preview?.ok ? b.preview.offer : null
  const pricingError = b.preview && !b.preview.ok ? b.preview.error : null

  return (
    <Page>
      <View className="kt-title">{`${name} 借款方案`}</View>
      <View className="kt-subtitle">按你的预审利率在本机实时测算；提交申请时由服务器重新核算，以服务器结果为准。</View>
      {b.needsAgreements && b.query.error ? (
        <ErrorNotice error={b.query.error} retryLabel="去授权" onRetry={() => void replace('agreements')} />
      ) : (
        <QueryView query={b.query} loadingText="正在读取你的额度和利率…">
          {() =>
            !b.decision ? (
              <Empty
                text="暂时没有这个产品的预审结果。"
                action="返回选择产品"
                onAction={() => void replace('products')}
              />
            ) : b.verdict === 'refused' || b.verdict === 'invitation' ? (
              <View data-testid="blocked">
                <View className="kt-card">
                  <Text className="offer-blocked">{`${name}：${verdictText(b.verdict, [])}`}</Text>
                </View>
                <ReasonList reasons={b.decision.reasons} />
                <Button block aria-label="返回选择产品" onClick={() => void replace('products')}>
                  返回选择产品
                </Button>
              </View>
            ) : (
              <View data-testid="builder">
                {b.verdict === 'pending' ? (
                  <View className="kt-card" data-testid="pending">
                    <Text>{`${verdictText('pending', b.decision.pendingSteps)}，之后才能申请；下面的方案可以先看。`}</Text>
                    <View className="kt-actions">
                      {b.decision.pendingSteps.map((step) => (
                        <Button
                          key={step}
                          size="small"
                          type="primary"
                          aria-label={`去${PENDING_STEP_NAMES[step]}`}
                          onClick={() => void go(...goToStep(step, b.product))}
                        >
                          {`去${PENDING_STEP_NAMES[step]}`}
                        </Button>
                      ))}
                    </View>
                  </View>
                ) : null}

                <View className="kt-card" data-testid="amount">
                  <Text className="offer-label">借款金额（元）</Text>
                  <View className="offer-amount">
                    <Button
                      size="small"
                      aria-label="减少金额"
                      disabled={b.amount.fen !== null && b.amount.fen <= b.amount.minFen}
                      onClick={() => b.stepAmount(-1)}
                    >
                      −
                    </Button>
                    <View className="offer-amount-input">
                      <Input
                        name="amount"
                        type="digit"
                        align="center"
                        maxLength={12}
                        value={b.amount.text}
                        onChange={b.setAmountText}
                        aria-label="借款金额（元）"
                      />
                    </View>
                    <Button
                      size="small"
                      aria-label="增加金额"
                      disabled={b.amount.fen !== null && b.amount.fen >= b.amount.maxFen}
                      onClick={() => b.stepAmount(1)}
                    >
                      +
                    </Button>
                  </View>
                  <Text className="kt-muted">{`可借 ${yuanShort(b.amount.minFen)} – ${yuanShort(b.amount.maxFen)}（你的额度）`}</Text>
                  <ChoiceChips title="常用金额" choices={presetChoices} value={b.amount.fen} onChange={b.pickAmount} />
                  {b.amount.problem ? (
                    <View role="alert" data-testid="amount-problem">
                      <Text className="kt-error">
                        {b.amount.problem === 'invalid'
                          ? '请输入借款金额（元），最多两位小数。'
                          : `借款金额须在 ${yuanShort(b.amount.minFen)} – ${yuanShort(b.amount.maxFen)} 之间（你的额度为 ${yuanShort(b.amount.maxFen)}）。`}
                      </Text>
                    </View>
                  ) : null}
                </View>

                <View className="kt-card">
                  <ChoiceChips<RepaymentMode>
                    title="还款方式"
                    choices={modeChoices}
                    value={b.draft.mode}
                    onChange={b.pickMode}
                  />
                  <ChoiceChips
                    title={'days' in b.draft.term ? '借款天数' : '期数'}
                    choices={termChoices}
                    value={termKey(b.draft.term)}
                    onChange={(k) => {
                      const t = termsByKey.get(k)
                      if (t) b.pickTerm(t)
                    }}
                  />
                  <ChoiceChips<Purpose>
                    title="借款用途"
                    choices={PURPOSE_CHOICES}
                    value={b.draft.purpose}
                    onChange={b.pickPurpose}
                  />
                  {b.purposeRefused ? <ReasonList reasons={[b.purposeRefused]} /> : null}
                </View>

                <View className="kt-card" data-testid="preview">
                  <Text className="offer-section">方案预览</Text>
                  {offer ? (
                    <OfferSummary offer={offer} />
                  ) : pricingError ? (
                    <View role="alert" data-testid="pricing-error">
                      <Text className="kt-error">
                        {pricingError.code === 'APR_OVER_CAP'
                          ? overCapText(pricingError, b.withinCap)
                          : pricingError.message}
                      </Text>
                    </View>
                  ) : (
                    <Text className="kt-muted">填写有效的借款金额后显示方案。</Text>
                  )}
                </View>

                {offer ? (
                  <View className="kt-card">
                    <Text className="offer-section">还款计划</Text>
                    <RepaymentPlan lines={offer.schedule} />
                  </View>
                ) : null}

                <View className="kt-card">
                  <Text className="kt-muted">
                    以上为本机预览。提交申请时服务器会按你当时的额度和利率重新核算，借款金额、年化利率和还款计划以服务器结果为准；申请前会单独征得征信查询授权。
                  </Text>
                </View>

                <Button type="primary" block disabled={!b.canContinue} onClick={b.next} aria-label="下一步：确认借款">
                  下一步：确认借款
                </Button>
              </View>
            )
          }
        </QueryView>
      )}
    </Page>
  )
}
