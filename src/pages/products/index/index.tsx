// 选择产品: every product with its verdict, the reasons and fixes, the limit range, 日利率 beside
// 年化利率, the fees, and what the chosen amount and term cost on it (priced on the device).
import { Text, View } from '@tarojs/components'
import { AmountTermChooser } from '../../../components/amount-term-chooser'
import { ProductCard, type ProductAction } from '../../../components/product-card'
import { ProductsQuery } from '../../../components/products-query'
import type { ProductId } from '../../../domain/catalog'
import { Page } from '../../../components/page'
import { useProducts } from '../../../hooks/use-products'
import { STEP_TASKS, type OnboardingStep } from '../../../domain/journey'
import { goToStep } from '../../../routes'
import { go, replace } from '../../../services/nav'
import { PRODUCT_NAMES, percent } from '../../../ui/format'
import { DEMO_STATEMENT } from '../../../ui/product-text'
import { Action, Actions } from '../../../components/action'
import './index.scss'

function act(product: ProductId, action: ProductAction) {
  if (action === 'open') return go('openLine', { product })
  if (action === 'borrow') return go('offer', { product })
  if (action === 'line') return go('line', { product })
  return go(...goToStep(action, product))
}

/** Comparing the products, and what other platforms ask (information only). */
function Links() {
  return (
    <View className="products-links">
      <Action className="products-link" outline small label="查看产品对比" onTap={() => void go('compare')}>
        产品对比
      </Action>
      <Action className="products-link" outline small label="查看其他平台参考" onTap={() => void go('competitors')}>
        其他平台参考
      </Action>
    </View>
  )
}

/** What is still to do before the verdicts reflect the person: an earlier step, the pay score. */
function Banners({ next, payScoreNeededBy }: { next: OnboardingStep; payScoreNeededBy: ProductId[] }) {
  return (
    <>
      {next !== 'precheck' ? (
        <View className="kt-card" data-testid="step-banner">
          <Text>{`还没有完成${STEP_TASKS[next]}，以下结果尚不能反映你的情况。`}</Text>
          <Actions>
            <Action primary small label={`去${STEP_TASKS[next]}`} onTap={() => void go(next)} />
          </Actions>
        </View>
      ) : null}
      {payScoreNeededBy.length > 0 ? (
        <View className="kt-card" data-testid="pay-score-banner">
          <Text>
            {`${payScoreNeededBy.map((id) => PRODUCT_NAMES[id]).join('、')} 需要授权微信支付分，授权后以微信支付的结果为准。`}
          </Text>
          <Actions>
            <Action small label="去授权微信支付分" onTap={() => void go('payScore')} />
          </Actions>
        </View>
      ) : null}
    </>
  )
}

export default function Products() {
  const p = useProducts()

  return (
    <Page
      title="选择产品"
      subtitle="看清能否开通、额度、日利率和年化利率，以及所选金额和期限的总成本。每个产品开通一次（查询一次征信），之后在额度内借款不再硬查询。"
    >
      <AmountTermChooser {...p.chooser}>
        <Text className="kt-muted">
          {`各产品的费用按你的预审利率在本机测算，申请时以服务器核算为准；年化利率超过 ${percent(p.capPercent)} 的方案不提供。`}
        </Text>
      </AmountTermChooser>

      <Links />

      <ProductsQuery
        query={p.query}
        needsAgreements={p.needsAgreements}
        onAgreements={() => void replace('agreements')}
      >
        {(data) => (
          <View data-testid="products">
            <Banners next={data.status.next} payScoreNeededBy={p.payScoreNeededBy} />
            {p.products.map((view) => (
              <ProductCard
                key={view.spec.id}
                view={view}
                chosen={p.choice}
                onAction={(action) => void act(view.spec.id, action)}
              />
            ))}
          </View>
        )}
      </ProductsQuery>

      <View className="kt-card" data-testid="demo-statement">
        <Text className="kt-muted">{DEMO_STATEMENT}</Text>
      </View>
    </Page>
  )
}
