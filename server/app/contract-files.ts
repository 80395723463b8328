// A signed contract as a PDF the borrower downloads and anyone can check: rendered from the
// contract's text with its signing record printed at the end, and sealed — the seal, embedded in
// the PDF, carries the signing record and the PDF's own SHA-256 (outside the seal), signed by the
// server with Ed25519. The PDF is deterministic, so making it again gives the same bytes: it is
// made for each download, put in the Files port for a few minutes, and removed after.
import type { ContractPdf, SigningRecord } from '../../src/api'
import { toChinaDateTime } from '../../src/domain/china-time'
import type { Doc, Ports } from '../ports'
import { COLLECTIONS } from '../schema'
import { pdfSha256, renderContractPdf, writeSeal } from '../contracts/pdf'
import { sealMessage, type PdfSeal } from '../contracts/verify'
import { signingOf, type ContractDoc } from './contracts'

/** How long a download address lasts. */
export const PDF_URL_TTL_MS = 10 * 60_000

const pad = (n: number) => String(n).padStart(2, '0')
const chinaTime = (ms: number) => {
  const t = toChinaDateTime(ms)
  return `${t.year}-${pad(t.month)}-${pad(t.day)} ${pad(t.hour)}:${pad(t.minute)}（北京时间）`
}

/** The signing record as the PDF prints it on its last page. */
function footer(d: Doc<ContractDoc>, signing: SigningRecord): string[] {
  const { record, signature } = signing
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
  const signing = signingOf(ports, d)
  const pdf = await renderContractPdf({
    title: d.data.title,
    text,
    footer: footer(d, signing),
    date: d.data.record.signedAt,
  })
  const seal: PdfSeal = { v: 1, contractId: d.id, signing, pdfSha256: pdfSha256(pdf) }
  const signature = ports.secrets.sign(sealMessage(seal))
  return writeSeal(pdf, Buffer.from(JSON.stringify({ seal, signature }), 'utf8').toString('base64'))
}

/** A PDF handed out for download: kept only until its address has expired, then removed by the timer. */
export interface DownloadDoc {
  fileId: string
  /** 1 until removed (the job's index). */
  pending: 1
  /** When the file goes (its address's expiry, and a margin for a download under way). */
  removeAt: number
}

/** How long past its address's expiry a download's file stays (a slow download finishing). */
const REMOVE_MARGIN_MS = 5 * 60_000

/**
 * The contract's PDF, made again (the same bytes every time) and put where the borrower can fetch
 * it for a few minutes. It names the borrower, so it is not kept: the download job removes it
 * once its address has expired. The contract records the PDF's hash, which every copy has.
 */
export async function contractPdf(ports: Ports, d: Doc<ContractDoc>, text: string): Promise<ContractPdf> {
  const bytes = await sealedPdf(ports, d, text)
  const sha = pdfSha256(bytes)
  const { fileId } = await ports.files.put(`contracts/${d.id}/${ports.ids.next('dl')}.pdf`, bytes, 'application/pdf')
  const { url, expiresAt } = await ports.files.url(fileId, PDF_URL_TTL_MS)
  // Recorded before it is answered: a crash after the upload leaves a file the job still removes.
  await ports.store.insert<DownloadDoc>(COLLECTIONS.downloads, ports.ids.next('dl'), {
    fileId,
    pending: 1,
    removeAt: expiresAt + REMOVE_MARGIN_MS,
  })
  if (d.data.pdf?.pdfSha256 !== sha)
    await ports.store.update<ContractDoc>(COLLECTIONS.contracts, d.id, d.version, {
      ...d.data,
      pdf: { pdfSha256: sha, bytes: bytes.length },
    })
  return { contractId: d.id, url, fileId, expiresAt, bytes: bytes.length, pdfSha256: sha }
}

/** The download job (the timer runs it): PDFs whose addresses have expired are removed. */
export async function removeExpiredDownloads(ports: Ports, limit = 200): Promise<{ removed: number }> {
  const due = await ports.store.query<DownloadDoc>(COLLECTIONS.downloads, {
    index: 'byRemoveAt',
    eq: 1,
    lt: ports.clock.now(),
    limit,
  })
  let removed = 0
  for (const d of due) {
    await ports.files.remove(d.data.fileId)
    if (await ports.store.remove(COLLECTIONS.downloads, d.id, d.version)) removed++
  }
  return { removed }
}
