// 我的合同: the contracts the borrower signed (授信合同 at opening, 借款合同 at each drawdown),
// newest first, optionally those of one product or one loan; one contract with its signing record;
// and its PDF, fetched as a short-lived address and opened by the platform.
import { useCallback, useMemo, useRef, useState } from 'react'
import type { ApiError, ContractPdf, ContractSummary } from '../api'
import type { ProductId } from '../domain/catalog'
import { call } from '../services/cloud'
import { openPdf } from '../services/pdf'
import { useCloudQuery, useReloadOnShow } from './use-cloud'

export interface ContractFilter {
  product?: ProductId | null
  /** A loan's id: its drawdown contract. */
  loanId?: string | null
}

/** Is `subject` (a line `lines/<id>` or a loan) the thing named `id`? */
export function subjectIs(subject: string, id: string): boolean {
  return subject === id || subject.endsWith(`/${id}`)
}

/** The contracts that pass the filter, newest first. */
export function contractsOf(list: ContractSummary[], filter: ContractFilter): ContractSummary[] {
  return list
    .filter((c) => !filter.product || c.product === filter.product)
    .filter((c) => !filter.loanId || subjectIs(c.subject, filter.loanId))
    .sort((a, b) => b.signedAt - a.signedAt)
}

export function useContractList(filter: ContractFilter) {
  const q = useCloudQuery('contracts', 'list', {})
  useReloadOnShow(q.reload)
  const { product, loanId } = filter
  const data = useMemo(() => (q.data ? contractsOf(q.data, { product, loanId }) : null), [q.data, product, loanId])
  return { ...q, data, filtered: Boolean(product || loanId) }
}

export interface PdfState {
  busy: boolean
  error: ApiError | null
  /** The PDF last fetched (its hash is shown) and whether the platform could open it. */
  pdf: ContractPdf | null
  opened: 'opened' | 'failed' | null
}

const IDLE: PdfState = { busy: false, error: null, pdf: null, opened: null }

export function useContractDetail(contractId: string | null) {
  const q = useCloudQuery('contracts', 'get', { contractId: contractId ?? '' }, contractId !== null)
  const [pdf, setPdf] = useState<PdfState>(IDLE)
  const busy = useRef(false)
  /** 下载 PDF: a fresh address each time (it is short-lived), then the platform's viewer. */
  const download = useCallback(async () => {
    if (!contractId || busy.current) return
    busy.current = true
    setPdf((s) => ({ ...s, busy: true, error: null, opened: null }))
    try {
      const r = await call('contracts', 'pdf', { contractId })
      if (!r.ok) return setPdf((s) => ({ ...s, busy: false, error: r.error }))
      const opened = await openPdf(r.data.url)
      setPdf({ busy: false, error: null, pdf: r.data, opened })
    } finally {
      busy.current = false
    }
  }, [contractId])
  return { query: q, pdf, download }
}
