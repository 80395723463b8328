// 产品对比: the three products side by side for one amount and term — how each opens, limits,
// rates and 年化利率, fees, overdue charges, terms and modes, and whether the user can open it.
import { Text, View } from '@tarojs/components'
import { AmountTermChooser } from '../../../components/amount-term-chooser'
import { CompareTable } from '../../../components/compare-table'
import { ProductsQuery } from '../../../components/products-query'
import { Page } from '../../../components/page'
import { useProducts } from '../../../hooks/use-products'
import { replace } from '../../../services/nav'
import { percent } from '../../../ui/format'
import { DEMO_STATEMENT } from '../../../ui/product-text'

export default function Compare() {
  const p = useProducts()

  return (
    <Page title="产品对比" subtitle="同一笔借款在三款产品上的条件和成本。">
      <AmountTermChooser {...p.chooser} />
      <ProductsQuery
        query={p.query}
        needsAgreements={p.needsAgreements}
        onAgreements={() => void replace('agreements')}
      >
        {() => <CompareTable views={p.products} />}
      </ProductsQuery>
      <View className="kt-card">
        <Text className="kt-muted">
          {`所选金额超过某产品的额度时按其额度计算，期限按该产品最接近的可选期数计算；有多种还款方式时按等额本息（小鹅花钱按分期手续费方式）测算。年化利率按实际现金流（IRR）计算并含手续费，随借随还且无手续费时为日利率×365；超过 ${percent(p.capPercent)} 的方案不提供。以上为本机预览，申请时以服务器核算为准。`}
        </Text>
      </View>
      <View className="kt-card" data-testid="demo-statement">
        <Text className="kt-muted">{DEMO_STATEMENT}</Text>
      </View>
    </Page>
  )
}
