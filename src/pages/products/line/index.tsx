// 我的额度: one product's line — its state, 可用额度 and 总额度, the daily rate beside the
// annualized one, until when it lasts — with the way on (借款, or what to do when it cannot be drawn
// on: a frozen line says why and how it unfreezes), the way to its contracts, and its history
// (额度记录), newest first.
import { Switch } from '@nutui/nutui-react-taro'
import { Text, View } from '@tarojs/components'
import { useRouter } from '@tarojs/taro'
import type { LineView } from '../../../api'
import { Action, Actions } from '../../../components/action'
import { ErrorNotice } from '../../../components/error-notice'
import { FeesUnavailable } from '../../../components/fee-lines'
import { LineHistory } from '../../../components/line-history'
import { FrozenNotice, LineFigures, LineStateBadge, RefusedNotice, ReviewNotice } from '../../../components/line-status'
import { Page } from '../../../components/page'
import { Empty, Loading } from '../../../components/states'
import type { ProductId } from '../../../domain/catalog'
import { productOf, useLinePage } from '../../../hooks/use-line'
import { go, goTab, replace } from '../../../services/nav'
import { PRODUCT_NAMES, chinaTime } from '../../../ui/format'
import { autoDebitText, autoDebitWhen, openVerb } from '../../../ui/line-text'
import { useProductSpec } from '../../../services/catalog'
import './index.scss'

/** The way to the line's contracts; its name adds the product (WCAG 2.5.3: the name starts with what is shown). */
const SEE_CONTRACTS = '查看合同（授信合同、借款合同）'

type LinePage = ReturnType<typeof useLinePage>

function Header({ line, name }: { line: LineView; name: string }) {
  return (
    <View className="kt-card" data-testid="line-header">
      <View className="kt-row">
        <Text className="line-name">{name}</Text>
        <LineStateBadge line={line} />
      </View>
      {line.decidedAt !== null && line.state !== 'refused' ? (
        <Text className="kt-muted">{`开通时间 ${chinaTime(line.decidedAt)}`}</Text>
      ) : null}
    </View>
  )
}

/** The line as it is now, and what can be done with it. */
function Current({ line, name }: { line: LineView; name: string }) {
  const product = line.product
  // Its fees as the catalog it was opened under states them.
  const fees = useProductSpec(line.catalogVersion, product)
  const feesError = <FeesUnavailable fees={fees} />
  const reopen = (
    <Actions>
      <Action label={`重新${openVerb(product)} ${name}`} onTap={() => void go('openLine', { product })} />
    </Actions>
  )
  switch (line.state) {
    case 'active':
      return (
        <View>
          <LineFigures line={line} spec={fees.spec} />
          {feesError}
          <View className="line-borrow">
            <Action primary label={`借钱 ${name}`} onTap={() => void go('offer', { product })}>
              借钱
            </Action>
          </View>
        </View>
      )
    case 'frozen':
      return (
        <View>
          <FrozenNotice onLoans={() => void goTab('loans')} />
          <LineFigures line={line} spec={fees.spec} />
          {feesError}
        </View>
      )
    case 'review':
      return <ReviewNotice line={line} />
    case 'refused':
      return (
        <View>
          <RefusedNotice line={line} onHelp={() => void go('help')} onExplain={() => void go('explain', { product })} />
          {reopen}
        </View>
      )
    default:
      return (
        <View className="kt-card" data-testid="line-ended">
          <Text>
            {line.state === 'expired'
              ? '额度已到期，不能再借款；已借的款项照常按计划还款。'
              : '额度已关闭，不能再借款。'}
          </Text>
          {reopen}
        </View>
      )
  }
}

/** 自动扣款: the switch, with what it does; turning it on is a tap of the borrower's own, off at any time. */
function AutoDebit({ p, line }: { p: LinePage; line: LineView }) {
  // Shown wherever it can be turned on — or is on, whatever the line's state (an expired line's loans are still debited).
  if (line.autoDebit === null && line.state !== 'active' && line.state !== 'frozen' && line.state !== 'review')
    return null
  const on = line.autoDebit !== null
  return (
    <View className="kt-card" data-testid="auto-debit-switch" data-on={on ? 'on' : 'off'}>
      <View className="kt-row">
        <Text>自动扣款</Text>
        <Switch
          checked={on}
          disabled={p.switching}
          onChange={(value: boolean) => void p.setAutoDebit(value)}
          ariaLabel="自动扣款"
        />
      </View>
      <View>
        <Text className="kt-muted">
          {on && line.autoDebit
            ? `已开启（${chinaTime(line.autoDebit.since)}）：从尾号${line.autoDebit.last4}的银行卡扣款。${autoDebitWhen}关闭后不再发起新的扣款（已在处理中的一笔仍会完成），请记得按时自己还款。`
            : `未开启。${autoDebitText}`}
        </Text>
      </View>
      {p.switchError ? <ErrorNotice error={p.switchError} /> : null}
    </View>
  )
}

function History({ p }: { p: LinePage }) {
  if (p.historyError) return <ErrorNotice error={p.historyError} onRetry={() => void p.reload()} />
  if (!p.history) return <Loading text="正在读取额度记录…" />
  return <LineHistory changes={p.history} onLoan={(loanId) => void go('loan', { loanId })} />
}

function NotOpened({ product, name }: { product: ProductId; name: string }) {
  return (
    <View className="kt-card" data-testid="line-not-opened">
      <Text>{`尚未${openVerb(product)}${name}。开通时查询一次征信，之后在额度内借款不再硬查询。`}</Text>
      <Actions>
        <Action primary small label={`去${openVerb(product)} ${name}`} onTap={() => void go('openLine', { product })} />
      </Actions>
    </View>
  )
}

export default function LinePageView() {
  const { params } = useRouter()
  const product = productOf(params.product)
  const p = useLinePage(product)
  if (!product)
    return (
      <Page title="我的额度">
        <Empty text="没有找到这个产品。" action="返回选择产品" onAction={() => void replace('products')} />
      </Page>
    )
  const name = PRODUCT_NAMES[product]
  const { line } = p
  return (
    <Page title={`${name} 额度`}>
      {line.error ? (
        <ErrorNotice error={line.error} onRetry={() => void p.reload()} />
      ) : line.notOpened ? (
        <NotOpened product={product} name={name} />
      ) : !line.line ? (
        <Loading text="正在读取你的额度…" />
      ) : (
        <View data-testid="line-page">
          <Header line={line.line} name={name} />
          <Current line={line.line} name={name} />
          <AutoDebit p={p} line={line.line} />
          <Actions>
            <Action label={`${SEE_CONTRACTS}：${name}`} onTap={() => void go('contracts', { product })}>
              {SEE_CONTRACTS}
            </Action>
          </Actions>
          <History p={p} />
        </View>
      )}
    </Page>
  )
}
