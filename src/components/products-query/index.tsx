// The pre-check behind the product pages: the way to the agreements while they are missing, else
// loading, the error with a retry, 暂无可选产品, or the products.
import type { ApiError } from '../../api'
import type { ProductsData } from '../../hooks/use-products'
import { ErrorNotice } from '../error-notice'
import { QueryView } from '../states'

export function ProductsQuery({
  query,
  needsAgreements,
  onAgreements,
  children,
}: {
  query: { loading: boolean; data: ProductsData | null; error: ApiError | null; reload: () => Promise<void> }
  /** The pre-check was refused for want of the agreements or the financial-data consent. */
  needsAgreements: boolean
  onAgreements: () => void
  children: (data: ProductsData) => JSX.Element | null
}) {
  if (needsAgreements && query.error)
    return <ErrorNotice error={query.error} retryLabel="去授权" onRetry={onAgreements} />
  return (
    <QueryView
      query={query}
      loadingText="正在预审各产品…"
      empty={(d) => (d.evaluation.products.length === 0 ? '暂无可选产品。' : null)}
    >
      {children}
    </QueryView>
  )
}
