// 借款方案: build a drawdown on one product's open line — amount within what the line has
// available, term, repayment mode and purpose — with the annualized rate, every cost and the whole
// repayment plan, previewed live on the device. The server prices it again, and that figure binds,
// when the user applies. A product not opened yet leads to opening it; a frozen line says why.
import { useMemo } from 'react'
import { PlainInput } from '../../../components/plain-input'
import { Text, View } from '@tarojs/components'
import { useRouter } from '@tarojs/taro'
import { PURPOSES } from '../../../domain/purposes'
import { ChoiceChips, type Choice } from '../../../components/choice-chips'
import { ErrorNotice } from '../../../components/error-notice'
import { ExplainLink } from '../../../components/explain-link'
import { FrozenNotice, ReviewNotice, SeeLine } from '../../../components/line-status'
import { OfferSummary } from '../../../components/offer-summary'
import { Page } from '../../../components/page'
import { PendingSteps } from '../../../components/pending-steps'
import { ReasonList } from '../../../components/reason-list'
import { RepaymentPlan } from '../../../components/repayment-plan'
import { Empty, QueryView } from '../../../components/states'
import type { RepaymentMode } from '../../../domain/catalog'
import { termKey, useOfferBuilder, type Purpose } from '../../../hooks/use-offer-builder'
import { goToStep } from '../../../routes'
import { go, goTab, replace } from '../../../services/nav'
import { MODE_NAMES, PRODUCT_NAMES, PURPOSE_NAMES, termText, yuan, yuanShort } from '../../../ui/format'
import { openVerb } from '../../../ui/line-text'
import { amountProblemText, overCapText, verdictText } from '../../../ui/product-text'
import { Action, Actions } from '../../../components/action'
import './index.scss'
import { isStanding } from '../../../domain/line'

type Builder = ReturnType<typeof useOfferBuilder>

const PURPOSE_CHOICES: Array<Choice<Purpose>> = PURPOSES.map((p) => ({
  value: p,
  label: PURPOSE_NAMES[p],
}))

const backToProducts = () => void replace('products')

/** Refused or by invitation only: why, and the way back. */
function Blocked({ b, name }: { b: Builder; name: string }) {
  return (
    <View data-testid="blocked">
      <View className="kt-card">
        <Text className="offer-blocked">{`${name}：${verdictText(b.verdict ?? 'refused', [])}`}</Text>
      </View>
      <ReasonList reasons={b.decision?.reasons ?? []} />
      {b.product && b.verdict === 'refused' ? (
        <ExplainLink onTap={() => void go('explain', { product: b.product! })} />
      ) : null}
      <Action label="返回选择产品" onTap={backToProducts} />
    </View>
  )
}

function Amount({ b }: { b: Builder }) {
  const { amount } = b
  const presets = useMemo(
    () => amount.presets.map((fen) => ({ value: fen, label: yuanShort(fen), ariaLabel: `借款金额 ${yuanShort(fen)}` })),
    [amount.presets],
  )
  return (
    <View className="kt-card" data-testid="amount">
      <Text className="offer-label">借款金额（元）</Text>
      <View className="offer-amount">
        <Action
          small
          label="减少金额"
          disabled={amount.fen !== null && amount.fen <= amount.minFen}
          onTap={() => b.stepAmount(-1)}
        >
          −
        </Action>
        <View className="offer-amount-input">
          <PlainInput
            name="amount"
            type="digit"
            align="center"
            maxLength={12}
            value={amount.text}
            onChange={b.setAmountText}
            aria-label="借款金额（元）"
          />
        </View>
        <Action
          small
          label="增加金额"
          disabled={amount.fen !== null && amount.fen >= amount.maxFen}
          onTap={() => b.stepAmount(1)}
        >
          +
        </Action>
      </View>
      <Text className="kt-muted" data-testid="amount-range">
        {`可借 ${yuanShort(amount.minFen)} – ${yuanShort(amount.maxFen)}（可用额度 ${yuan(b.line?.availableFen ?? 0)}）`}
      </Text>
      <ChoiceChips title="常用金额" choices={presets} value={amount.fen} onChange={b.pickAmount} />
      {amount.problem ? (
        <View role="alert" data-testid="amount-problem">
          <Text className="kt-error">
            {amountProblemText(amount.problem, amount.minFen, amount.maxFen, b.line?.availableFen)}
          </Text>
        </View>
      ) : null}
    </View>
  )
}

/** Repayment mode, term and purpose. */
function Choices({ b }: { b: Builder }) {
  const modeChoices = useMemo(
    () => b.modes.map((m) => ({ value: m, label: MODE_NAMES[m], ariaLabel: `还款方式 ${MODE_NAMES[m]}` })),
    [b.modes],
  )
  const termChoices = useMemo(
    () => b.terms.map((t) => ({ value: termKey(t), label: termText(t), ariaLabel: `期限 ${termText(t)}` })),
    [b.terms],
  )
  const termsByKey = useMemo(() => new Map(b.terms.map((t) => [termKey(t), t])), [b.terms])
  return (
    <View className="kt-card">
      <ChoiceChips<RepaymentMode> title="还款方式" choices={modeChoices} value={b.draft.mode} onChange={b.pickMode} />
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
  )
}

/** The offer as priced on the device, or why there is none; then its plan. */
function Preview({ b }: { b: Builder }) {
  const offer = b.preview?.ok ? b.preview.offer : null
  const error = b.preview && !b.preview.ok ? b.preview.error : null
  return (
    <View>
      <View className="kt-card" data-testid="preview">
        <Text className="offer-section">方案预览</Text>
        {offer ? (
          <OfferSummary offer={offer} />
        ) : error ? (
          <View role="alert" data-testid="pricing-error">
            <Text className="kt-error">
              {error.code === 'APR_OVER_CAP' ? overCapText(error, b.withinCap) : error.message}
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
    </View>
  )
}

/** Not opened yet (or no longer): borrowing starts with opening, which has the one inquiry. */
function NotOpened({ b, name }: { b: Builder; name: string }) {
  const product = b.product!
  const verb = openVerb(product)
  const ended = b.line && (b.line.state === 'expired' || b.line.state === 'closed')
  return (
    <View data-testid="not-opened">
      <View className="kt-card">
        <Text className="offer-section">
          {ended ? `${name}额度已${b.line!.state === 'expired' ? '到期' : '关闭'}` : `尚未${verb}${name}`}
        </Text>
        <Text className="kt-muted">
          {`借款前要先${verb}${name}：${verb}时查询一次征信（授信审批），批准后显示你的总额度、日利率和年化利率；之后在可用额度内借款不再硬查询征信。`}
        </Text>
        <Actions>
          <Action primary small label={`去${verb} ${name}`} onTap={() => void go('openLine', { product })} />
        </Actions>
      </View>
      <PendingSteps
        steps={b.decision?.pendingSteps ?? []}
        onStep={(step) => void go(...goToStep(step, b.product))}
        then={`之后才能${verb}。`}
        testId="pending"
      />
    </View>
  )
}

/** The line cannot lend now: frozen (why, how it unfreezes), in review, or too little available. */
function CannotDraw({ b, name }: { b: Builder; name: string }) {
  const line = b.line!
  const toLine = () => void go('line', { product: line.product })
  return (
    <View data-testid="cannot-draw">
      {line.state === 'frozen' ? (
        <FrozenNotice onLoans={() => void goTab('loans')} />
      ) : line.state === 'review' ? (
        <ReviewNotice line={line} />
      ) : (
        <View className="kt-card" data-testid="too-little">
          <Text>
            {`${name}可用额度 ${yuan(line.availableFen)}，低于最低借款金额 ${yuan(b.amount.minFen)}：还款后额度恢复，即可再借。`}
          </Text>
        </View>
      )}
      <SeeLine onTap={toLine} />
    </View>
  )
}

function OfferBuilder({ b }: { b: Builder }) {
  return (
    <View data-testid="builder">
      <PendingSteps
        steps={b.decision?.pendingSteps ?? []}
        onStep={(step) => void go(...goToStep(step, b.product))}
        then="之后才能借款；下面的方案可以先看。"
        testId="pending"
      />
      <Amount b={b} />
      <Choices b={b} />
      <Preview b={b} />
      <View className="kt-card">
        <Text className="kt-muted">
          以上为本机预览。借款不再硬查询征信：提交时服务器会按你当时的可用额度和利率重新核算，借款金额、年化利率和还款计划以服务器结果为准。
        </Text>
      </View>
      <Action primary label="下一步：确认借款" disabled={!b.canContinue} onTap={b.next} />
    </View>
  )
}

export default function Offer() {
  const { params } = useRouter()
  const b = useOfferBuilder(params.product)
  if (!b.product)
    return (
      <Page title="借款方案">
        <Empty text="没有找到这个产品。" action="返回选择产品" onAction={backToProducts} />
      </Page>
    )
  const name = PRODUCT_NAMES[b.product]
  return (
    <Page
      title={`${name} 借款方案`}
      subtitle="在可用额度内借款，按你的额度利率在本机实时测算；提交时由服务器重新核算，以服务器结果为准。"
    >
      {b.needsAgreements && b.query.error ? (
        <ErrorNotice error={b.query.error} retryLabel="去授权" onRetry={() => void replace('agreements')} />
      ) : (
        <QueryView query={b.query} loadingText="正在读取你的额度和利率…">
          {() =>
            b.canDraw ? (
              <OfferBuilder b={b} />
            ) : b.line && isStanding(b.line.state) ? (
              <CannotDraw b={b} name={name} />
            ) : !b.decision ? (
              <Empty text="暂时没有这个产品的预审结果。" action="返回选择产品" onAction={backToProducts} />
            ) : b.verdict === 'refused' || b.verdict === 'invitation' ? (
              <Blocked b={b} name={name} />
            ) : (
              <NotOpened b={b} name={name} />
            )
          }
        </QueryView>
      )}
    </Page>
  )
}
