// A page about one loan, named by the loanId in its link: not found without one, else the loan
// once loaded (with the loading and error states before it).
import type { ApiError, LoanView } from '../../api'
import { ErrorNotice } from '../error-notice'
import { Page } from '../page'
import { QueryView } from '../states'

export function LoanPage({
  title,
  of,
  loadingText,
  notFoundText,
  children,
}: {
  title: string
  /** The loan's id from the link, and the query that reads it. */
  of: {
    loanId: string
    query: { loading: boolean; data: LoanView | null; error: ApiError | null; reload: () => Promise<void> }
  }
  loadingText: string
  notFoundText: string
  children: (loan: LoanView) => JSX.Element | null
}) {
  return (
    <Page title={title}>
      {of.loanId === '' ? (
        <ErrorNotice error={{ code: 'NOT_FOUND', message: notFoundText }} />
      ) : (
        <QueryView query={of.query} loadingText={loadingText}>
          {children}
        </QueryView>
      )}
    </Page>
  )
}
