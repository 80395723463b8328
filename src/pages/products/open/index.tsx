// 开通 (微粒贷: 激活): what opening a product does — one hard inquiry for 授信审批 after its own
// per-query consent (15 minutes, one use), a line for 12 months, borrowing within it with no
// further inquiry — then the explicit consent, 确认开通, the line contract (授信合同) read and
// signed (同意并签署), and the decision: a line (总额度, 可用额度, 日利率 beside 年化利率), a
// refusal with reasons and fixes, or manual review (7 days at most).
import { Checkbox } from '@nutui/nutui-react-taro'
import { Text, View } from '@tarojs/components'
import { useRouter } from '@tarojs/taro'
import type { LineView } from '../../../api'
import { fixedByAgreements } from '../../../api/errors'
import { Action, Actions } from '../../../components/action'
import { AdviceError } from '../../../components/advice-error'
import { ContractReader } from '../../../components/contract-reader'
import { ErrorNotice } from '../../../components/error-notice'
import { ExplainLink } from '../../../components/explain-link'
import { FeeLines, FeesUnavailable } from '../../../components/fee-lines'
import { useProductSpec } from '../../../services/catalog'
import { FrozenNotice, LineFigures, RefusedNotice, ReviewNotice, SeeLine } from '../../../components/line-status'
import { Page } from '../../../components/page'
import { PendingSteps } from '../../../components/pending-steps'
import { RatePair } from '../../../components/rate-pair'
import { ReasonList } from '../../../components/reason-list'
import { Row } from '../../../components/row'
import { Empty, QueryView } from '../../../components/states'
import type { ProductId } from '../../../domain/catalog'
import { nominalAprPercent } from '../../../domain/irr'
import { productOf, useOpenLine } from '../../../hooks/use-line'
import { verdictOf } from '../../../hooks/use-products'
import { goToStep } from '../../../routes'
import { go, goTab, replace } from '../../../services/nav'
import { PRODUCT_NAMES, dailyRate, chinaTime, yuanShort } from '../../../ui/format'
import { autoDebitText, lineConsentText, openVerb, openingFacts } from '../../../ui/line-text'
import { verdictText } from '../../../ui/product-text'
import './index.scss'

type Opening = ReturnType<typeof useOpenLine>

const backToProducts = () => void replace('products')

function Facts({ name }: { name: string }) {
  return (
    <View className="kt-card" data-testid="open-facts">
      {openingFacts(name).map((f) => (
        <View key={f.title} className="open-fact">
          <Text className="open-fact-title">{f.title}</Text>
          <Text className="kt-muted">{f.text}</Text>
        </View>
      ))}
    </View>
  )
}

/** What the pre-check (soft data, no inquiry) expects, and what the product charges: a reference, the decision binds. */
function Estimate({ o, product }: { o: Opening; product: ProductId }) {
  // What the product charges, by the catalog the pre-check decided with.
  const fees = useProductSpec(o.query.data?.precheck.catalogVersion, product)
  const d = o.decision
  if (!d || !d.eligible) return null
  return (
    <View className="kt-card" data-testid="open-estimate">
      <Text className="kt-muted">预审参考（未查询征信，以开通审批结果为准）</Text>
      <Row label="预计额度" value={yuanShort(d.limitFen)} />
      <RatePair
        rateLabel="预计日利率"
        rate={dailyRate(d.dailyRatePercent)}
        aprPercent={nominalAprPercent(d.dailyRatePpm)}
        method="nominal"
      />
      {fees.spec ? <FeeLines spec={fees.spec} testId="open-fees" lineClassName="kt-muted open-fee" /> : null}
      <FeesUnavailable fees={fees} />
    </View>
  )
}

const explain = (product: ProductId) => () => void go('explain', { product })

/** A line decided before, no longer open: opening again is a new application, with its own inquiry. */
function Previous({ line }: { line: LineView }) {
  const when = line.decidedAt !== null ? `${chinaTime(line.decidedAt)}` : ''
  const text =
    line.state === 'refused'
      ? `上次开通${when ? `（${when}）` : ''}未通过。重新开通会再查询一次征信。`
      : line.state === 'expired'
        ? '你的额度已到期。重新开通会再查询一次征信。'
        : '你的额度已关闭。重新开通会再查询一次征信。'
  return (
    <View className="kt-card" data-testid="open-previous">
      <Text>{text}</Text>
      {line.state === 'refused' && line.reasons.length > 0 ? <ReasonList reasons={line.reasons} /> : null}
      {line.state === 'refused' ? <ExplainLink onTap={explain(line.product)} /> : null}
    </View>
  )
}

/** One consent on the opening page: a box the borrower ticks themself, what it is, and what it does. */
function ConsentBox(p: {
  testId: string
  label: string
  title: string
  text: string
  checked: boolean
  busy: boolean
  onChange: (value: boolean) => void
}) {
  return (
    <View className="kt-card open-consent" data-testid={p.testId}>
      <Checkbox
        checked={p.checked}
        disabled={p.busy}
        onChange={(value: boolean) => p.onChange(value)}
        aria-label={p.label}
      />
      <View className="open-consent-body">
        <View>
          <Text>{p.title}</Text>
        </View>
        <Text className="kt-muted">{p.text}</Text>
      </View>
    </View>
  )
}

function Consent({ o, name }: { o: Opening; name: string }) {
  return (
    <ConsentBox
      testId="line-consent"
      label="征信查询授权"
      title="征信查询授权（授信审批，本次开通单独授权）"
      text={lineConsentText(name)}
      checked={o.consented}
      busy={o.busy}
      onChange={o.setConsented}
    />
  )
}

/** Automatic debit (自动扣款): a consent of its own, never ticked for the borrower, with what it does and how to stop it. */
function AutoDebitConsent({ o }: { o: Opening }) {
  return (
    <ConsentBox
      testId="auto-debit-consent"
      label="自动扣款授权（可选）"
      title="自动扣款授权（可选）"
      text={autoDebitText}
      checked={o.autoDebit}
      busy={o.busy}
      onChange={o.setAutoDebit}
    />
  )
}

function Form({ o, product, name }: { o: Opening; product: ProductId; name: string }) {
  const pending = (o.decision?.pendingSteps.length ?? 0) > 0
  return (
    <View data-testid="open-form">
      {o.previous ? <Previous line={o.previous} /> : null}
      <PendingSteps
        steps={o.decision?.pendingSteps ?? []}
        onStep={(step) => void go(...goToStep(step, product))}
        then="之后才能开通（这些步骤不查询征信）。"
        testId="open-pending"
      />
      <Facts name={name} />
      <Estimate o={o} product={product} />
      <Consent o={o} name={name} />
      <AutoDebitConsent o={o} />
      <AdviceError error={o.error} advice={o.advice} onFollow={() => void o.follow()} testId="open-error" />
      <View className="open-next">
        <Text className="kt-muted">
          {`点“确认${openVerb(product)}”后先阅读授信合同；点合同下方的“同意并签署”才会提交${openVerb(product)}申请并查询征信。`}
        </Text>
      </View>
      <Action
        primary
        label={`确认${openVerb(product)}${name}`}
        disabled={!o.consented || o.busy || pending}
        loading={o.busy}
        onTap={() => void o.submit()}
      >
        {`确认${openVerb(product)}${name}`}
      </Action>
    </View>
  )
}

/** After 确认开通: the line contract to read, and 同意并签署 — which sends the opening (one inquiry). */
function Signing({ o, product, name }: { o: Opening; product: ProductId; name: string }) {
  const c = o.contract
  const verb = openVerb(product)
  return (
    <View data-testid="open-signing">
      <View className="kt-card">
        <Text>{`${verb}${name}：请阅读授信合同`}</Text>
        <View>
          <Text className="kt-muted">
            {`已勾选征信查询授权；自动扣款${o.autoDebit ? '已勾选' : '未勾选'}。要修改，请点下方“返回修改”。`}
          </Text>
        </View>
      </View>
      {/* Only what a retry mends stays here (a consent to give again goes back to the form, with its way). */}
      {c.error ? <ErrorNotice error={c.error} onRetry={() => void c.reload()} /> : null}
      {c.error && !c.preview ? null : (
        <ContractReader
          contract={c.preview}
          loading={c.loading}
          busy={o.busy}
          notice={c.notice}
          onSign={(sha256) => void o.sign(sha256)}
          signNote={`签署后立即提交${verb}申请，查询一次征信。`}
        />
      )}
      <AdviceError error={o.error} advice={o.advice} onFollow={() => void o.follow()} testId="open-error" />
      <Actions>
        <Action label="返回修改" disabled={o.busy} onTap={o.back} />
      </Actions>
    </View>
  )
}

/** The pre-check says this product cannot be opened now: opening would only spend an inquiry. */
function Blocked({ o, name }: { o: Opening; name: string }) {
  const verdict = o.decision ? verdictOf(o.decision) : 'refused'
  return (
    <View data-testid="open-blocked">
      <View className="kt-card">
        <Text className="open-blocked">{`${name}：${verdictText(verdict, [])}`}</Text>
        <View>
          <Text className="kt-muted">
            预审（不查询征信）显示现在开通很可能不通过，而开通会查询一次征信，所以这里不提供开通。按下面的方法改进后再来。
          </Text>
        </View>
      </View>
      <ReasonList reasons={o.decision?.reasons ?? []} />
      {o.product && verdict === 'refused' ? <ExplainLink onTap={explain(o.product)} /> : null}
      <Action label="返回选择产品" onTap={backToProducts} />
    </View>
  )
}

/** The line: just decided, or found open (or in review) on arrival. */
function Decided({ o, line, name }: { o: Opening; line: LineView; name: string }) {
  const lineFees = useProductSpec(line.catalogVersion, line.product)
  const product = line.product
  const toLine = () => void replace('line', { product })
  if (line.state === 'refused')
    return <RefusedNotice line={line} onHelp={() => void go('help')} onExplain={explain(product)} />
  if (line.state === 'review')
    return (
      <View data-testid="open-review">
        <ReviewNotice line={line} />
        <Actions>
          <Action label="查看额度" onTap={toLine} />
        </Actions>
      </View>
    )
  return (
    <View data-testid="open-active">
      <View className="kt-card">
        <Text className="open-verdict">
          {o.justDecided ? `${openVerb(product)}成功：${name}额度已生效` : `你已开通${name}`}
        </Text>
        <View>
          <Text className="kt-muted">在可用额度内借款不再硬查询征信；已借未还的本金占用额度，还款后恢复。</Text>
        </View>
      </View>
      <LineFigures line={line} spec={lineFees.spec} />
      <FeesUnavailable fees={lineFees} />
      {line.state === 'frozen' ? <FrozenNotice onLoans={() => void goTab('loans')} /> : null}
      {line.state === 'active' ? (
        <Action primary label={`去借款 ${name}`} onTap={() => void replace('offer', { product })}>
          去借款
        </Action>
      ) : null}
      <SeeLine onTap={toLine} />
    </View>
  )
}

export default function OpenLine() {
  const { params } = useRouter()
  const o = useOpenLine(productOf(params.product))
  if (!o.product)
    return (
      <Page title="开通额度">
        <Empty text="没有找到这个产品。" action="返回选择产品" onAction={backToProducts} />
      </Page>
    )
  const product = o.product
  const name = PRODUCT_NAMES[product]
  return (
    <Page title={`${openVerb(product)}${name}`} subtitle="开通一次，查询一次征信；之后在额度内借款，不再硬查询征信。">
      {fixedByAgreements(o.query.error) && o.query.error ? (
        <ErrorNotice error={o.query.error} retryLabel="去授权" onRetry={() => void replace('agreements')} />
      ) : (
        <QueryView query={o.query} loadingText="正在读取你的预审结果和额度…">
          {() => {
            if (o.shown) return <Decided o={o} line={o.shown} name={name} />
            const verdict = o.decision ? verdictOf(o.decision) : null
            if (verdict === null || verdict === 'refused' || verdict === 'invitation')
              return <Blocked o={o} name={name} />
            if (o.contract.reading) return <Signing o={o} product={product} name={name} />
            return <Form o={o} product={product} name={name} />
          }}
        </QueryView>
      )}
    </Page>
  )
}
