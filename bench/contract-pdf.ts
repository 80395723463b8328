// `npm run bench:contract-pdf`: how long a drawdown note (借款合同) of a 20-installment loan takes to
// render as a PDF — the real template with a priced loan's 20-row plan — cold (the first
// render in the process, the font read and parsed) and warm, and its size; against a one-line
// contract in the same run (the floor: the font subset and the file's fixed parts). Set
// BENCH_PDF_OUT=<file> to keep the PDF.
import fs from 'node:fs'
import { fromChinaDateTime } from '../src/domain/china-time'
import { CONTRACT_TEMPLATES, renderDrawdownContract } from '../src/domain/contract'
import { twentyMonthOffer } from '../test/support/contract-example'

const RUNS = 10
const SIGNED_AT = fromChinaDateTime({ year: 2026, month: 12, day: 1, hour: 10 })

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.floor(s.length / 2)]
}

/** Nearest rank: of 10 runs, the slowest. */
function p95(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.ceil(0.95 * s.length) - 1]
}

/**
 * The drawdown note exactly as a borrower signs it: the template (src/domain/contract.ts) rendered
 * with a priced 微粒贷 loan of ¥20,000 over 20 months, 等额本息, at 0.03% a day — its 20-row plan
 * — and the signing record's lines as the PDF prints them.
 */
export function drawdownNote(): { title: string; text: string; footer: string[]; date: number } {
  const text = renderDrawdownContract({
    borrowerName: '张三',
    borrowerIdMasked: '1****************4',
    mobileMasked: '138****5678',
    offer: twentyMonthOffer(SIGNED_AT),
    purpose: 'consumption',
    cardLast4: '6789',
    autoDebit: { last4: '6789' },
    ruleSetVersion: 'rules/2026-11-28.1',
    at: SIGNED_AT,
  })
  return {
    title: CONTRACT_TEMPLATES.drawdown.title,
    text,
    footer: [
      '合同编号：C_0123456789abcdef01234567',
      `模板版本：${CONTRACT_TEMPLATES.drawdown.version}`,
      '合同文本 SHA-256：3f6c0c8e5d2a4b1e9f7a6c5b4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8b7c6d5e',
      '签署时间：2026-12-01 10:00（北京时间）',
      '签署账户（化名）：c9ec50c682b0c9e3363a0801b4ae8fe3',
      '出借人电子签名（Ed25519）：ed25519:a17092cb1c8b7129:SATHjArZad7BnvjdeqZN…',
      '验证：npm run kaitong -- verify <本文件>，公钥见 /.well-known/kaitong-signing-key',
    ],
    date: SIGNED_AT,
  }
}

const ONE_LINE = {
  title: '借款合同',
  text: '借款金额为人民币 1,000.00 元。',
  footer: ['借款人 张三 已确认签署'],
  date: SIGNED_AT,
}

export async function benchContractPdf(): Promise<string[]> {
  const t0 = performance.now()
  const { renderContractPdf, pdfSha256, writeSeal } = await import('../server/contracts/pdf')
  const { contractFontBytes } = await import('../server/contracts/font')
  const loadMs = performance.now() - t0
  const note = drawdownNote()
  const lineCount = note.text.split('\n').length

  const t1 = performance.now()
  const fontMb = contractFontBytes().length / 1e6
  const readMs = performance.now() - t1
  const cold = await renderContractPdf(note)
  const coldMs = performance.now() - t1
  await renderContractPdf(note) // warm-up
  const times: number[] = []
  let pdf = cold
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now()
    pdf = await renderContractPdf(note)
    times.push(performance.now() - t)
  }
  const same = Buffer.compare(pdf, cold) === 0

  await renderContractPdf(ONE_LINE)
  const peerTimes: number[] = []
  let peer = pdf
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now()
    peer = await renderContractPdf(ONE_LINE)
    peerTimes.push(performance.now() - t)
  }

  const seal = `v1.${Buffer.alloc(300, 1).toString('base64')}`
  const t2 = performance.now()
  const sealed = writeSeal(pdf, seal)
  const hash = pdfSha256(sealed)
  const sealMs = performance.now() - t2
  if (process.env.BENCH_PDF_OUT) fs.writeFileSync(process.env.BENCH_PDF_OUT, sealed)

  const pages = (
    Buffer.from(pdf)
      .toString('latin1')
      .match(/\/Type \/Page\n/g) ?? []
  ).length
  const kb = (bytes: Uint8Array) => (bytes.length / 1024).toFixed(1)
  return [
    `module load (pdfkit + fontkit): ${loadMs.toFixed(0)} ms`,
    `drawdown note, 20 installments (${lineCount} text lines → ${pages} pages): cold first render ${coldMs.toFixed(0)} ms (of which reading the ${fontMb.toFixed(1)} MB font ${readMs.toFixed(0)} ms, the rest parsing it and the first layout); warm over ${RUNS} runs median ${median(times).toFixed(0)} ms, p95 ${p95(times).toFixed(0)} ms`,
    `size ${kb(pdf)} KB (font subset embedded); the same bytes on every render: ${same}`,
    `one-line contract (the floor), warm median ${median(peerTimes).toFixed(0)} ms, ${kb(peer)} KB — the note costs ×${(median(times) / median(peerTimes)).toFixed(1)} its time, ×${(pdf.length / peer.length).toFixed(1)} its size`,
    `writeSeal + pdfSha256 (${seal.length}-char seal): ${sealMs.toFixed(1)} ms; pdfSha256 ${hash.slice(0, 16)}…`,
  ]
}

if (process.argv[1] && /contract-pdf\.ts$/.test(process.argv[1])) {
  console.log(`contract PDF benchmark — node ${process.version}, ${new Date().toISOString()}`)
  void benchContractPdf().then((lines) => lines.forEach((l) => console.log(l)))
}
