// 我的合同: every contract the borrower signed — 授信合同 at each opening, 借款合同 at each
// drawdown — newest first, with its product and when it was signed; from a line or a loan, only
// theirs (and the way to all). A tap opens one: its text, its signing record and its PDF.
import { Text, View } from '@tarojs/components'
import { useRouter } from '@tarojs/taro'
import type { ContractSummary } from '../../../api'
import { Action, Actions } from '../../../components/action'
import { Page } from '../../../components/page'
import { QueryView } from '../../../components/states'
import { productOf } from '../../../hooks/use-line'
import { useContractList } from '../../../hooks/use-contracts'
import { go, replace } from '../../../services/nav'
import { CONTRACT_KIND_NAMES } from '../../../ui/contract-text'
import { PRODUCT_NAMES, dateTime } from '../../../ui/format'
import { pressable } from '../../../ui/aria'
import './index.scss'

function Item({ c }: { c: ContractSummary }) {
  const product = PRODUCT_NAMES[c.product] ?? c.product
  const signed = `${dateTime(c.signedAt)}（北京时间）签署`
  return (
    <View
      className="kt-card contracts-item"
      aria-label={`查看合同 ${c.title} ${product} ${signed}`}
      data-testid="contract-item"
      data-contract-id={c.contractId}
      {...pressable(() => void go('contract', { contractId: c.contractId }))}
    >
      <View>
        <Text className="contracts-item-title">{c.title}</Text>
        <View>
          <Text className="kt-muted">{`${product} · ${CONTRACT_KIND_NAMES[c.kind] ?? c.kind}`}</Text>
        </View>
        <Text className="kt-muted">{signed}</Text>
      </View>
      <Text className="contracts-arrow">›</Text>
    </View>
  )
}

export default function Contracts() {
  const { params } = useRouter()
  const product = productOf(params.product)
  const loanId = params.loanId || null
  const list = useContractList({ product, loanId })
  const scope = loanId ? '这笔借款的合同' : product ? `${PRODUCT_NAMES[product]}的合同` : null
  return (
    <Page
      title="我的合同"
      subtitle="开通额度时签署的授信合同和每笔借款的借款合同都保存在这里，可以随时查看和下载 PDF。"
    >
      {scope ? (
        <View className="kt-card" data-testid="contracts-scope">
          <Text className="kt-muted">{`只显示${scope}。`}</Text>
          <Actions>
            <Action small label="查看全部合同" onTap={() => void replace('contracts')} />
          </Actions>
        </View>
      ) : null}
      <QueryView
        query={list}
        loadingText="正在读取你的合同…"
        empty={(items) =>
          items.length === 0
            ? list.filtered
              ? '这里还没有签署的合同。'
              : '还没有签署的合同。开通额度和每笔借款时签署的合同都会保存在这里。'
            : null
        }
      >
        {(items) => (
          <View data-testid="contracts">
            {items.map((c) => (
              <Item key={c.contractId} c={c} />
            ))}
          </View>
        )}
      </QueryView>
    </Page>
  )
}
