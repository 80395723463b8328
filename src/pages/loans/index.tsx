// 我的借款 (tab, main package — kept light: plain Views and Text): every loan with its state,
// annualized rate and next payment, or the 冷静期 badge; reloaded each time the tab shows.
import { Text, View } from '@tarojs/components'
import type { LoanView } from '../../api'
import { Empty, QueryView } from '../../components/states'
import { Page } from '../../components/page'
import { inCoolingOff, isOpen, nextLine, useLoanList } from '../../hooks/use-loan'
import { go } from '../../services/nav'
import { LOAN_STATE_NAMES, PRODUCT_NAMES, apr, civilDate, termText, yuan } from '../../ui/format'
import { pressable, weappLabel } from '../../ui/aria'
import './index.scss'

function LoanItem({ loan }: { loan: LoanView }) {
  const product = PRODUCT_NAMES[loan.product] ?? loan.product
  const line = isOpen(loan) ? nextLine(loan) : null
  const overdue = loan.state === 'overdue' && loan.due !== null
  return (
    <View
      className="kt-card loans-item"
      data-testid="loan-item"
      data-loan-id={loan.id}
      // Named by all it shows (product, term, state, amount, rate, what is due), as it reads; in WeChat by its label.
      {...weappLabel(`查看借款 ${product} ${yuan(loan.amountFen)}`)}
      {...pressable(() => void go('loan', { loanId: loan.id }))}
    >
      <View className="kt-row">
        <Text className="loans-product">
          {product}　{termText(loan)}
        </Text>
        <Text className={`loans-state loans-state-${loan.state}`}>{LOAN_STATE_NAMES[loan.state] ?? loan.state}</Text>
      </View>
      <View className="kt-row">
        <Text className="loans-amount">{yuan(loan.amountFen)}</Text>
        <Text>
          <Text className="kt-muted">年化利率 </Text>
          <Text className="kt-rate">{apr(loan.aprPercent)}</Text>
        </Text>
      </View>
      {inCoolingOff(loan) ? (
        <View className="loans-badge" data-testid="cooling-off-badge">
          <Text>冷静期内可取消</Text>
        </View>
      ) : null}
      {overdue ? (
        <View data-testid="next-due">
          <Text className="kt-error">已逾期，现应还 {yuan(loan.due!.dueNowFen)}</Text>
        </View>
      ) : line ? (
        <View data-testid="next-due">
          <Text className="kt-muted">
            下期 {civilDate(line.dueDate)} 应还 {yuan(line.totalFen)}
          </Text>
        </View>
      ) : null}
    </View>
  )
}

export default function Loans() {
  const query = useLoanList()
  return (
    <Page className="kt-tab-page" title="我的借款">
      <QueryView query={query} loadingText="正在加载借款…">
        {(loans) =>
          loans.length === 0 ? (
            <Empty text="还没有借款。" action="去看看产品" onAction={() => void go('products')} />
          ) : (
            <View data-testid="loans">
              {loans.map((loan) => (
                <LoanItem key={loan.id} loan={loan} />
              ))}
            </View>
          )
        }
      </QueryView>
    </Page>
  )
}
