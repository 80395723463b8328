// A page about one loan, named by the loanId in its link: not found without one, else the loan
// once loaded (with the loading and error states before it).
import type { ApiError, LoanView } from '../../api'
import { ErrorNotice } from '../error-notice'
import { QueryView } from '../states'

export function LoanQuery({
  loanId,
  query,
  loadingText,
  notFoundText,
  children,
}: {
  loanId: string
  query: { loading: boolean; data: LoanView | null; error: ApiError | null; reload: () => Promise<void> }
  loadingText: string
  notFoundText: string
  children: (loan: LoanView) => JSX.Element | null
}) {
  if (loanId === '') return <ErrorNotice error={{ code: 'NOT_FOUND', message: notFoundText }} />
  return (
    <QueryView query={query} loadingText={loadingText}>
      {children}
    </QueryView>
  )
}
