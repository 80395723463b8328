// Checking what the server signed, with its public key alone: a contract's PDF (its embedded seal
// and the PDF's hash outside it) and a receipt. This is what `kaitong verify` runs; nothing here
// needs the server's secrets or its database.
import type { ReceiptView, SigningRecord } from '../../src/api'
import { canonicalJson } from '../app/canonical-json'
import { isEd25519Signature, verifySignature, type PublicSigningKey } from '../signing'
import { pdfSha256, readSeal } from './pdf'
import { receiptMessage } from '../app/loans/records'

type ReceiptBody = Parameters<typeof receiptMessage>[1]

/** What a contract PDF's seal says: its contract, the signing record, the PDF's hash outside the seal. */
export interface PdfSeal {
  v: 1
  contractId: string
  signing: SigningRecord
  pdfSha256: string
}

export const sealMessage = (seal: PdfSeal) => canonicalJson({ kaitong: 'contract-pdf-seal', ...seal })

export type Keys = Array<Pick<PublicSigningKey, 'kid' | 'x'>>

export interface Verdict {
  valid: boolean
  /** What was checked, each passed or not: a person reads why a copy is refused. */
  checks: Array<{ check: string; ok: boolean }>
  /** What the document says, once its signature holds. */
  about?: Record<string, unknown>
}

const verdict = (checks: Verdict['checks'], about?: Record<string, unknown>): Verdict => ({
  valid: checks.every((c) => c.ok),
  checks,
  ...(about ? { about } : {}),
})

export function verifyContractPdf(pdf: Uint8Array, keys: Keys): Verdict {
  const raw = readSeal(pdf)
  if (!raw) return verdict([{ check: '文件中有开通的签章（seal）', ok: false }])
  let parsed: { seal: PdfSeal; signature: string }
  try {
    parsed = JSON.parse(Buffer.from(raw, 'base64').toString('utf8')) as { seal: PdfSeal; signature: string }
    if (typeof parsed.signature !== 'string' || parsed.seal?.v !== 1) throw new Error('shape')
    // Exactly what the server wrote, byte for byte: nothing added in the slot's padding or the base64.
    if (Buffer.from(JSON.stringify(parsed), 'utf8').toString('base64') !== raw) throw new Error('not canonical')
  } catch {
    return verdict([{ check: '签章可以读取', ok: false }])
  }
  const { seal, signature } = parsed
  const record = seal.signing?.record
  const checks = [
    { check: '签章由出借人的 Ed25519 公钥签名', ok: verifySignature(keys, sealMessage(seal), signature) },
    {
      check: '签署记录由出借人的 Ed25519 公钥签名',
      ok: !!record && verifySignature(keys, canonicalJson(record), seal.signing.signature),
    },
    { check: 'PDF 内容与签章中的 SHA-256 一致（任何一个字节改动都不一致）', ok: pdfSha256(pdf) === seal.pdfSha256 },
    { check: '签章与签署记录属于同一份合同', ok: !!record && record.contractId === seal.contractId },
  ]
  return verdict(checks, {
    contractId: seal.contractId,
    pdfSha256: seal.pdfSha256,
    ...(record
      ? {
          kind: record.kind,
          templateVersion: record.templateVersion,
          textSha256: record.sha256,
          signedAt: record.signedAt,
        }
      : {}),
  })
}

export function verifyReceiptJson(receipt: Partial<ReceiptView>, keys: Keys): Verdict {
  const { id, signature, ...body } = receipt
  if (typeof id !== 'string' || typeof signature !== 'string')
    return verdict([{ check: '收据有编号和签名', ok: false }])
  if (!isEd25519Signature(signature))
    return verdict([{ check: '收据带有 Ed25519 签名（2026-12-02 之前的收据只能在小程序里核验）', ok: false }])
  return verdict(
    [
      {
        check: '收据由出借人的 Ed25519 公钥签名',
        ok: verifySignature(keys, receiptMessage(id, body as ReceiptBody), signature),
      },
    ],
    { id, loanId: receipt.loanId, kind: receipt.kind, amountFen: receipt.amountFen, at: receipt.at },
  )
}
