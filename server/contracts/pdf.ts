// Contract PDFs: a contract's title, text and signing record laid out on A4 in the embedded CJK
// font, byte-for-byte the same for the same input, with one fixed-width slot in the Info
// dictionary where a seal (e.g. an Ed25519 signature over pdfSha256) is written afterwards.
//
// pdfkit, not pdf-lib: @pdf-lib/fontkit@1.1.1 (pdf-lib's only fontkit) writes a broken CFF header
// when it subsets a CID-keyed OTF such as Source Han Sans (offSize 29, where 1–4 are valid), so
// poppler and FreeType reject the font and every Chinese glyph renders as an empty box. pdfkit
// subsets with upstream fontkit 2, which gets it right.
import { createHash } from 'node:crypto'
import { contractFontBytes } from './font'

// require, not import, and only when a PDF is first made: the cloud build leaves pdfkit and
// fontkit out of the bundles (scripts/build-cloud.ts), so that only the contracts function, whose
// package.json installs them, carries their 1.8 MB — and an import would make esbuild take
// pdfkit's ES module, whose `new URL(…, import.meta.url)` throws under CommonJS.
let libraries: { PDFDocument: typeof import('pdfkit'); fontkit: { create(data: Uint8Array): ParsedFont } } | null = null
function pdfLibraries() {
  libraries ??= {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    PDFDocument: require('pdfkit') as typeof import('pdfkit'),
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    fontkit: require('fontkit') as { create(data: Uint8Array): ParsedFont },
  }
  return libraries
}

/** A font as fontkit parses it (pdfkit's own fontkit, the same copy): all pdfkit needs of it. */
interface ParsedFont {
  layout(text: string): unknown
}

/** The most characters a seal may have: the slot holds this many bytes, hex-encoded. */
export const SEAL_MAX = 4096

export interface ContractPdfInput {
  title: string
  text: string
  /** The lines of the last block, 签署记录: who signed, when, how. */
  footer: string[]
  /** Milliseconds since the epoch: the PDF's CreationDate and ModDate. */
  date: number
}

type Doc = PDFKit.PDFDocument

const SEAL_KEY = 'KaitongSeal'
const FONT = 'contract'
const MARGIN = 50
/** Below the body, room for the page number. */
const BOTTOM_MARGIN = 64
const TITLE_PT = 18
const HEADING_PT = 12
const BODY_PT = 10.5
const PAGE_NUMBER_PT = 9
const LINE_GAP = 3
/** The stroke that thickens a heading: the one bundled weight is Regular, and a Bold would add 17 MB. */
const FAUX_BOLD = 0.35
const INK = '#000000'
const GREY = '#666666'

/** 第一条 / 第二章 / 一、 — a heading when short; a longer line so started is a clause in one line. */
const HEADING = /^(第[一二三四五六七八九十百千零〇两\d]+[条章节部分]|[一二三四五六七八九十]+、)/
const HEADING_MAX_CHARS = 30
/** Amounts, rates and dates: table cells that sit flush right, so their digits line up. */
const FIGURE = /^[-+]?[¥￥]?[\d.,:/%-]+(元|%)?$/
const CELL_PAD = 6
/** Punctuation that may not begin a line, and that may not end one (禁则). */
const NO_LINE_START = new Set([...'，。、；：？！）》」』】〉”’…％·,.;:?!)]}'])
const NO_LINE_END = new Set([...'（《「『【〈“‘([{'])

/** Renders a contract as an A4 PDF (see the module's first comment); the seal slot is left blank. */
export async function renderContractPdf(input: ContractPdfInput): Promise<Uint8Array> {
  if (!Number.isFinite(input.date))
    throw new Error(`renderContractPdf: date must be epoch milliseconds, got ${input.date}`)
  const doc = new (pdfLibraries().PDFDocument)({
    size: 'A4',
    margins: { top: MARGIN, bottom: BOTTOM_MARGIN, left: MARGIN, right: MARGIN },
    // No default font: pdfkit's Helvetica is read at run time from a file beside pdfkit, which a
    // cloud-function bundle does not have. Every line is set in the embedded font.
    font: '',
    // Pages stay open until the end, when the total page count is known for "共 m 页".
    bufferPages: true,
    info: documentInfo(input),
  })
  const bytes = collect(doc)
  useContractFont(doc)
  writeTitle(doc, input.title)
  for (const block of blocks(input.text)) writeBlock(doc, block)
  writeSigningRecord(doc, input.footer)
  numberPages(doc)
  doc.end()
  const pdf = await bytes
  if (!findSlot(pdf)) throw new Error('renderContractPdf: the seal slot is missing from the written PDF')
  return pdf
}

/**
 * The Info dictionary. pdfkit writes every key it is given, though its types list only the
 * standard ones; it derives the trailer's /ID from these values, so the content's digest here
 * makes the ID follow the content (and nothing random or clock-bound enters the file).
 */
function documentInfo(input: ContractPdfInput): PDFKit.DocumentInfo {
  const when = new Date(input.date)
  const digest = createHash('sha256')
    .update(JSON.stringify([input.title, input.text, input.footer, input.date]))
    .digest('hex')
  const info = {
    Title: input.title,
    Creator: 'Kaitong',
    Producer: 'PDFKit',
    CreationDate: when,
    ModDate: when,
    KaitongContentSha256: digest,
    // A Uint8Array becomes a hex string <2020…>: any ASCII seal fits it without escaping.
    [SEAL_KEY]: new Uint8Array(SEAL_MAX).fill(0x20),
  }
  return info
}

let parsed: ParsedFont | null = null

/**
 * Sets the contract font, parsed once per process: given the bytes, pdfkit would parse the font
 * and lay its glyphs out anew for every PDF, which doubled a warm render's time (≈110 ms against
 * ≈55 ms). The subset is still made per PDF, so the output is the same bytes either way.
 */
function useContractFont(doc: Doc): void {
  parsed ??= pdfLibraries().fontkit.create(contractFontBytes())
  // pdfkit 0.20 takes a parsed fontkit font here (its changelog, 0.20.0); @types/pdfkit 0.17 predates that.
  const register = doc.registerFont.bind(doc) as unknown as (name: string, src: ParsedFont) => Doc
  register(FONT, parsed).font(FONT).fillColor(INK)
}

function collect(doc: Doc): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    doc.on('data', (chunk: Buffer) => chunks.push(chunk))
    doc.on('end', () => {
      const all = Buffer.concat(chunks)
      resolve(new Uint8Array(all.buffer, all.byteOffset, all.byteLength))
    })
    doc.on('error', reject)
  })
}

function contentWidth(doc: Doc): number {
  return doc.page.width - doc.page.margins.left - doc.page.margins.right
}

/** Starts a new page unless `height` points still fit above the bottom margin. */
function keepTogether(doc: Doc, height: number): void {
  if (doc.y + height > doc.page.maxY()) doc.addPage()
}

function lineHeight(doc: Doc, size: number): number {
  doc.fontSize(size)
  return doc.currentLineHeight(true) + LINE_GAP
}

/**
 * A line's unbreakable pieces: an ASCII word or number whole (`KT-REF-20261201`, `0.05%/day`),
 * a run of spaces, any other character alone — Chinese breaks anywhere — with closing
 * punctuation held to what precedes it and opening punctuation to what follows.
 */
function pieces(line: string): string[] {
  const out: string[] = []
  let opening = ''
  for (const piece of line.match(/[!-~]+| +|./gu) ?? []) {
    if (NO_LINE_START.has(piece) && out.length > 0 && opening === '') out[out.length - 1] += piece
    else if (NO_LINE_END.has(piece)) opening += piece
    else {
      out.push(opening + piece)
      opening = ''
    }
  }
  if (opening !== '') out.push(opening)
  return out
}

/**
 * Breaks a line to `width` at the current font size, greedily. Our own breaker rather than
 * pdfkit's (Unicode line breaking), which breaks after a hyphen: a contract number
 * `KT-REF-20261201` would be split, and poppler's text extraction then reads it as `KTREF-…`.
 */
function wrap(doc: Doc, line: string, width: number): string[] {
  const lines: string[] = []
  let current = ''
  let used = 0
  // A piece wider than a whole line (a long URL) is the one thing broken inside.
  for (const piece of pieces(line).flatMap((p) => (doc.widthOfString(p) > width ? [...p] : [p]))) {
    const w = doc.widthOfString(piece)
    if (used + w > width && current.trim() !== '') {
      lines.push(current.trimEnd())
      current = ''
      used = 0
      if (piece.trim() === '') continue
    }
    current += piece
    used += w
  }
  lines.push(current.trimEnd())
  return lines
}

interface LineStyle {
  size: number
  bold?: boolean
  align?: 'left' | 'center'
}

/** Sets a paragraph's lines, each on the page, a new page first where the line would not fit. */
function writeLines(doc: Doc, text: string, style: LineStyle): void {
  const height = lineHeight(doc, style.size)
  const width = contentWidth(doc)
  const bold = style.bold === true
  if (bold) doc.save().lineWidth(FAUX_BOLD).strokeColor(INK)
  for (const line of wrap(doc, text, width)) {
    keepTogether(doc, height)
    const y = doc.y
    const x = style.align === 'center' ? MARGIN + (width - doc.widthOfString(line)) / 2 : MARGIN
    if (line !== '') doc.text(line, x, y, { lineBreak: false, fill: true, stroke: bold })
    doc.x = MARGIN
    doc.y = y + height
  }
  if (bold) doc.restore()
}

function writeTitle(doc: Doc, title: string): void {
  writeLines(doc, title, { size: TITLE_PT, bold: true, align: 'center' })
  doc.moveDown(0.8)
}

/** Paragraphs are separated by blank lines; inside one, each line stays a line of its own. */
function blocks(text: string): string[][] {
  return text
    .replace(/\r\n?/g, '\n')
    .split(/\n[ \t\u3000]*\n/)
    .map((block) => block.split('\n').map((line) => line.trimEnd()))
    .map((lines) => lines.filter((line, i) => line !== '' || (i > 0 && i < lines.length - 1)))
    .filter((lines) => lines.length > 0)
}

function isHeading(line: string): boolean {
  return HEADING.test(line.trim()) && [...line.trim()].length <= HEADING_MAX_CHARS
}

function writeBlock(doc: Doc, lines: string[]): void {
  let table: string[][] = []
  const flush = () => {
    if (table.length > 0) writeTable(doc, table)
    table = []
  }
  for (const line of lines) {
    if (line.includes('\t')) {
      table.push(line.split('\t').map((cell) => cell.trim()))
      continue
    }
    flush()
    if (isHeading(line)) {
      // A heading never ends a page: it keeps its own line and one of what follows.
      keepTogether(doc, lineHeight(doc, HEADING_PT) + lineHeight(doc, BODY_PT))
      writeLines(doc, line.trim(), { size: HEADING_PT, bold: true })
      doc.moveDown(0.2)
    } else {
      writeLines(doc, line, { size: BODY_PT })
    }
  }
  flush()
  doc.fontSize(BODY_PT).moveDown(0.6)
}

/**
 * Consecutive tab-separated lines are a table in equal columns: the font's digits are
 * proportional, so spaces would not line a schedule's figures up. A column whose cells under the
 * first row are all figures sits flush right, its header too. A cell too wide for its column runs over.
 */
function writeTable(doc: Doc, rows: string[][]): void {
  const columns = Math.max(...rows.map((row) => row.length))
  const width = contentWidth(doc) / columns
  const body = rows.length > 1 ? rows.slice(1) : rows
  const right = Array.from({ length: columns }, (_, i) => body.every((row) => FIGURE.test(row[i] ?? '')))
  const height = lineHeight(doc, BODY_PT)
  for (const row of rows) {
    keepTogether(doc, height)
    const y = doc.y
    row.forEach((cell, i) => {
      const left = MARGIN + i * width
      const x = right[i] ? left + width - CELL_PAD - doc.widthOfString(cell) : left
      doc.text(cell, x, y, { lineBreak: false })
    })
    doc.x = MARGIN
    doc.y = y + height
  }
}

function writeSigningRecord(doc: Doc, footer: string[]): void {
  doc.moveDown(0.6)
  const body = lineHeight(doc, BODY_PT)
  // The record stays in one piece where it fits on a page.
  keepTogether(doc, Math.min(lineHeight(doc, HEADING_PT) + body * footer.length + 12, doc.page.maxY() - MARGIN))
  const y = doc.y
  doc.save()
  doc
    .moveTo(MARGIN, y)
    .lineTo(MARGIN + contentWidth(doc), y)
    .lineWidth(0.5)
    .strokeColor(GREY)
    .stroke()
  doc.restore()
  doc.y = y + 8
  writeLines(doc, '签署记录', { size: HEADING_PT, bold: true })
  doc.moveDown(0.2)
  for (const line of footer) writeLines(doc, line, { size: BODY_PT })
}

/** "第 n 页 / 共 m 页" under each page's body, once the page count is known. */
function numberPages(doc: Doc): void {
  const { start, count } = doc.bufferedPageRange()
  for (let i = 0; i < count; i++) {
    doc.switchToPage(start + i)
    const label = `第 ${i + 1} 页 / 共 ${count} 页`
    doc.fontSize(PAGE_NUMBER_PT).fillColor(GREY)
    const x = (doc.page.width - doc.widthOfString(label)) / 2
    // Drawn without wrapping, so pdfkit does not see text below the margin and open a page.
    doc.text(label, x, doc.page.height - MARGIN + 10, { lineBreak: false })
  }
  doc.fillColor(INK)
}

/** Where the seal's hex digits lie: [start, end) in the file's bytes. */
interface Slot {
  start: number
  end: number
}

const SLOT_REF = new RegExp(`/${SEAL_KEY} (\\d+) 0 R\\b`, 'g')
const HEX = /^[0-9a-fA-F]*$/

/**
 * Finds the seal slot: the Info entry `/KaitongSeal n 0 R` and object n, a hex string of exactly
 * SEAL_MAX bytes. Null unless there is exactly one such entry and one object n, intact: a file
 * that names the slot twice has no one reading of what pdfSha256 leaves out, so it has no slot.
 */
function findSlot(pdf: Uint8Array): Slot | null {
  const text = Buffer.from(pdf.buffer, pdf.byteOffset, pdf.byteLength).toString('latin1')
  const refs = [...text.matchAll(SLOT_REF)]
  if (refs.length !== 1) return null
  const head = `\n${refs[0][1]} 0 obj\n<`
  const at = text.indexOf(head)
  if (at < 0 || text.indexOf(head, at + 1) >= 0) return null
  const start = at + head.length
  const end = start + 2 * SEAL_MAX
  return text[end] === '>' && HEX.test(text.slice(start, end)) ? { start, end } : null
}

function slotOf(pdf: Uint8Array, verb: string): Slot {
  const slot = findSlot(pdf)
  if (!slot) throw new Error(`${verb}: this PDF has no intact seal slot (was it made by renderContractPdf?)`)
  return slot
}

/** Writes `seal` into the slot of a PDF made by renderContractPdf; the file keeps its length. */
export function writeSeal(pdf: Uint8Array, seal: string): Uint8Array {
  if (seal.length > SEAL_MAX) throw new Error(`writeSeal: the seal has ${seal.length} characters, at most ${SEAL_MAX}`)
  if (!/^[\x20-\x7e]*$/.test(seal)) throw new Error('writeSeal: a seal is printable ASCII (0x20–0x7E)')
  // Trailing spaces are the padding: a seal ending in one would not read back the same.
  if (seal.endsWith(' ')) throw new Error('writeSeal: a seal may not end with a space')
  const slot = slotOf(pdf, 'writeSeal')
  const out = new Uint8Array(pdf)
  out.set(Buffer.from(Buffer.from(seal.padEnd(SEAL_MAX, ' '), 'latin1').toString('hex'), 'latin1'), slot.start)
  return out
}

/** SHA-256 (hex) of the PDF without the slot's hex digits: the same before and after writeSeal. */
export function pdfSha256(pdf: Uint8Array): string {
  const slot = slotOf(pdf, 'pdfSha256')
  return createHash('sha256').update(pdf.subarray(0, slot.start)).update(pdf.subarray(slot.end)).digest('hex')
}

/** The seal written into a PDF, or null when it has no intact slot (see findSlot) or the slot is blank. */
export function readSeal(pdf: Uint8Array): string | null {
  const slot = findSlot(pdf)
  if (!slot) return null
  const hex = Buffer.from(pdf.subarray(slot.start, slot.end)).toString('latin1')
  const decoded = Buffer.from(hex, 'hex')
  // Only what writeSeal writes: lowercase hex of printable ASCII, then spaces — any other byte in
  // the slot (a digit's case, a character after the seal) is a changed file, not a seal.
  if (decoded.toString('hex') !== hex) return null
  const seal = decoded.toString('latin1').replace(/ +$/, '')
  return seal === '' || /[^\x21-\x7e]/.test(seal) ? null : seal
}
