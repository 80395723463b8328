// The receipts a borrower can see and check: each signed over its content.
import { fail, ok, type ReceiptView } from '../../../src/api'
import { COLLECTIONS } from '../../schema'
import { ownLoan, type ReceiptDoc } from './docs'
import { receiptView, sign } from './records'
import { isEd25519Signature } from '../../signing'
import { verifyReceiptJson } from '../../contracts/verify'
import type { UseCase } from '../use-case'

export const receipts: UseCase<'loans', 'receipts'> = async (ports, openid, input) => {
  if (input.loanId !== undefined && !(await ownLoan(ports, openid, input.loanId)))
    return fail('NOT_FOUND', { field: 'loanId' })
  const docs =
    input.loanId !== undefined
      ? await ports.store.query<ReceiptDoc>(COLLECTIONS.receipts, { index: 'byLoan', eq: input.loanId, limit: 500 })
      : await ports.store.query<ReceiptDoc>(COLLECTIONS.receipts, { index: 'byOpenid', eq: openid, limit: 500 })
  return ok(docs.map((d) => receiptView(ports, d.id, d.data)))
}

/**
 * A receipt is genuine when its signature matches its content (any change to a figure breaks it):
 * the Ed25519 signature receipts are handed out with, or — for a copy kept from before 2026-12-02 —
 * the keyed seal they carried then.
 */
export const verifyReceipt: UseCase<'loans', 'verifyReceipt'> = async (ports, _openid, input) => {
  const r = input.receipt as Partial<ReceiptView>
  if (typeof r.id !== 'string' || typeof r.signature !== 'string') return ok({ valid: false })
  const { id, signature, ...body } = r
  return ok({
    valid: isEd25519Signature(signature)
      ? verifyReceiptJson(r, ports.secrets.signingKeys()).valid
      : sign(ports, id, body as Omit<ReceiptView, 'id' | 'signature'>) === signature,
  })
}
