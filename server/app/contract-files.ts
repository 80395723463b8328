// A signed contract as a PDF the borrower downloads and anyone can check: rendered from the
// contract's text with its signing record printed at the end, and sealed — the seal, embedded in
// the PDF, carries the signing record and the PDF's own SHA-256 (outside the seal), signed by the
// server with Ed25519. The PDF is deterministic, so making it again gives the same bytes; it is
// kept in the Files port once made and answered as a short-lived address.
import type { ContractPdf } from '../../src/api'
import { toChinaDateTime } from '../../src/domain/china-time'
import type { Doc, Ports } from '../ports'
import { COLLECTIONS } from '../schema'
import { pdfSha256, renderContractPdf, writeSeal } from '../contracts/pdf'
import { sealMessage, type PdfSeal } from '../contracts/verify'
import type { ContractDoc } from './contracts'

/** How long a download address lasts. */
export const PDF_URL_TTL_MS = 10 * 60_000

const pad = (n: number) => String(n).padStart(2, '0')
const chinaTime = (ms: number) => {
  const t = toChinaDateTime(ms)
  return `${t.year}-${pad(t.month)}-${pad(t.day)} ${pad(t.hour)}:${pad(t.minute)}（北京时间）`
}

/** The signing record as the PDF prints it on its last page. */
function footer(d: Doc<ContractDoc>): string[] {
  const { record, signature } = d.data.signing
  return [
    `合同编号：${d.id}`,
    `模板版本：${record.templateVersion}`,
    `合同文本 SHA-256：${record.sha256}`,
    `签署时间：${chinaTime(record.signedAt)}`,
    `签署账户（化名）：${record.signer}`,
    `出借人电子签名（Ed25519）：${signature.slice(0, 40)}…`,
    '验证：npm run kaitong -- verify <本文件>，公钥见 /.well-known/kaitong-signing-key',
  ]
}

/** Renders and seals the PDF of a contract: the same contract always gives the same bytes. */
export async function sealedPdf(ports: Ports, d: Doc<ContractDoc>, text: string): Promise<Uint8Array> {
  const pdf = await renderContractPdf({ title: d.data.title, text, footer: footer(d), date: d.data.signedAt })
  const seal: PdfSeal = { v: 1, contractId: d.id, signing: d.data.signing, pdfSha256: pdfSha256(pdf) }
  const signature = ports.secrets.sign(sealMessage(seal))
  return writeSeal(pdf, Buffer.from(JSON.stringify({ seal, signature }), 'utf8').toString('base64'))
}

export async function contractPdf(ports: Ports, d: Doc<ContractDoc>, text: string): Promise<ContractPdf> {
  let kept = d.data.pdf
  if (!kept || !(await ports.files.get(kept.fileId))) {
    const bytes = await sealedPdf(ports, d, text)
    const { fileId } = await ports.files.put(`contracts/${d.id}.pdf`, bytes, 'application/pdf')
    kept = { fileId, pdfSha256: pdfSha256(bytes), bytes: bytes.length }
    // Recorded once; a concurrent request made the same bytes, so its write is as good as this one.
    await ports.store.update<ContractDoc>(COLLECTIONS.contracts, d.id, d.version, { ...d.data, pdf: kept })
  }
  const { url, expiresAt } = await ports.files.url(kept.fileId, PDF_URL_TTL_MS)
  return { contractId: d.id, url, fileId: kept.fileId, expiresAt, bytes: kept.bytes, pdfSha256: kept.pdfSha256 }
}
