// The contract PDF: laid out in the embedded CJK font over several pages, the same bytes for the
// same input, and a seal slot that pdfSha256 leaves out — checked with poppler, as a reader would.
import { execFileSync, spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { CONTRACT_FONT_ENV, findContractFont } from '../../server/contracts/font'
import { SEAL_MAX, pdfSha256, readSeal, renderContractPdf, writeSeal } from '../../server/contracts/pdf'

const WORD = 'KT-REF-20261201'

/** About 60 lines: headings, clauses that mix Chinese with ASCII words and figures, a schedule. */
function contractText(): string {
  const schedule = [
    '期数\t还款日\t本金（元）\t利息（元）\t合计（元）',
    ...Array.from(
      { length: 12 },
      (_, i) =>
        `第 ${i + 1} 期\t2027-${String(i + 1).padStart(2, '0')}-15\t833.33\t${(120 - i * 10).toFixed(2)}\t${(953.33 - i * 10).toFixed(2)}`,
    ),
  ]
  const clauses = Array.from({ length: 10 }, (_, i) =>
    [
      `第${'一二三四五六七八九十'[i]}条 约定事项`,
      `借款人应按照本合同约定的还款计划按期足额还款，贷款人按年化利率 APR 18.00% 计收利息，逾期部分按 0.05%/day 计收罚息。`,
      `双方确认 the borrower has read and understood this clause，并同意以电子方式签署。`,
      `${'本条款未尽事宜，依照《中华人民共和国民法典》及相关法律法规执行。'.repeat(2)}`,
    ].join('\n'),
  )
  // WORD at every offset in a line, so that some occurrences meet a line's end.
  const references = Array.from({ length: 30 }, (_, k) => `${'借款'.repeat(k % 9)}${WORD}`).join('，')
  return [
    '本合同由以下双方于 2026 年 12 月 1 日订立。',
    '一、还款计划',
    schedule.join('\n'),
    ...clauses,
    references,
  ].join('\n\n')
}

function makeContract(over: Partial<Parameters<typeof renderContractPdf>[0]> = {}) {
  return {
    title: '个人消费借款合同',
    text: contractText(),
    footer: [
      '借款人：张三（身份证尾号 1234）于 2026-12-01 10:00:00 在微信小程序确认签署',
      '贷款人：开通（示例）有限公司',
    ],
    date: Date.UTC(2026, 11, 1, 2, 0, 0),
    ...over,
  }
}

const latin1 = (bytes: Uint8Array) => Buffer.from(bytes).toString('latin1')

function withFile<T>(pdf: Uint8Array, run: (file: string) => T): T {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kt-contract-pdf-'))
  try {
    const file = path.join(dir, 'contract.pdf')
    fs.writeFileSync(file, pdf)
    return run(file)
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
}

const SEAL = `v1.ed25519.${Buffer.alloc(64, 7).toString('base64')}`

let pdf: Uint8Array
beforeAll(async () => {
  pdf = await renderContractPdf(makeContract())
}, 30_000)

describe('renderContractPdf', () => {
  it('writes a PDF that embeds a subset of the CJK font, not the 17 MB font', () => {
    const text = latin1(pdf)
    expect(text.startsWith('%PDF-')).toBe(true)
    expect(pdf.length).toBeLessThan(300_000)
    expect(text).toMatch(/\/FontFile3 \d+ 0 R/)
    expect(text).toContain('/Subtype /CIDFontType0C')
    expect(text).toMatch(/\/BaseFont \/[A-Z]{6}\+SourceHanSansSC-Regular/)
  })

  it('gives the same bytes for the same input, and another ID for another text', async () => {
    expect(Buffer.compare(await renderContractPdf(makeContract()), pdf)).toBe(0)
    const id = (bytes: Uint8Array) => latin1(bytes).match(/\/ID \[<([0-9a-f]+)>/)?.[1]
    const other = await renderContractPdf(makeContract({ text: contractText().replace('18.00%', '17.99%') }))
    expect(id(pdf)).toMatch(/^[0-9a-f]{32}$/)
    expect(id(other)).not.toBe(id(pdf))
  })

  it('dates the PDF with the input date, not the clock', () => {
    withFile(pdf, (file) => {
      const info = execFileSync('pdfinfo', ['-isodates', file], { encoding: 'utf8' })
      expect(info).toMatch(/CreationDate:\s+2026-12-01T02:00:00Z/)
      expect(info).toMatch(/ModDate:\s+2026-12-01T02:00:00Z/)
      expect(info).toMatch(/Title:\s+个人消费借款合同/)
    })
  })

  /**
   * Regression: with pdf-lib's @pdf-lib/fontkit@1.1.1 the subset of Source Han Sans had a broken
   * CFF header (offSize 29): poppler said "Embedded font file may be invalid" and drew every
   * Chinese glyph as an empty box, while pdfinfo and pdftotext were content. So the page is drawn
   * here and poppler must not complain, and the text must read back through the font's ToUnicode.
   */
  it('draws in poppler without font errors, and its text reads back', () => {
    withFile(pdf, (file) => {
      const drawn = spawnSync(
        'pdftoppm',
        ['-r', '20', '-f', '1', '-l', '1', '-png', file, path.join(path.dirname(file), 'p')],
        {
          encoding: 'utf8',
        },
      )
      expect(drawn.status).toBe(0)
      expect(drawn.stderr).toBe('')
      const fonts = execFileSync('pdffonts', [file], { encoding: 'utf8' })
      expect(fonts).toMatch(/SourceHanSansSC-Regular\s+CID Type 0C\s+Identity-H\s+yes\s+yes\s+yes/)
      const text = execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' })
      expect(text).toContain('个人消费借款合同')
      expect(text).toContain('签署记录')
      expect(text).toContain('中华人民共和国民法典')
      // An ASCII word is never broken across lines but moves whole to the next one (pdfkit's own
      // breaker split KT-REF-… after its hyphen, and pdftotext then read it as KTREF-…).
      expect(text.match(new RegExp(WORD, 'g'))).toHaveLength(30)
      expect(text.split('\n').filter((line) => line.startsWith(WORD)).length).toBeGreaterThan(0)
    })
  })

  it('numbers its several pages "第 n 页 / 共 m 页", and pdfinfo accepts the sealed file', () => {
    withFile(writeSeal(pdf, SEAL), (file) => {
      const pages = Number(execFileSync('pdfinfo', [file], { encoding: 'utf8' }).match(/Pages:\s+(\d+)/)?.[1])
      expect(pages).toBeGreaterThanOrEqual(3)
      const text = execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' }).replace(/\s+/g, '')
      for (let n = 1; n <= pages; n++) expect(text).toContain(`第${n}页/共${pages}页`)
      expect(text).not.toContain(`第${pages + 1}页`)
    })
  })
})

describe('the seal slot', () => {
  it('is blank until a seal is written, and reads the seal back', () => {
    expect(readSeal(pdf)).toBeNull()
    expect(readSeal(writeSeal(pdf, SEAL))).toBe(SEAL)
    expect(readSeal(writeSeal(writeSeal(pdf, SEAL), 'short'))).toBe('short')
    expect(readSeal(writeSeal(writeSeal(pdf, SEAL), ''))).toBeNull()
  })

  it('keeps the file length and pdfSha256, and leaves the input untouched', () => {
    const before = Buffer.from(pdf)
    const sealed = writeSeal(pdf, SEAL)
    expect(sealed.length).toBe(pdf.length)
    expect(pdfSha256(sealed)).toBe(pdfSha256(pdf))
    expect(pdfSha256(pdf)).toMatch(/^[0-9a-f]{64}$/)
    expect(Buffer.compare(Buffer.from(pdf), before)).toBe(0)
  })

  it('takes a seal of SEAL_MAX characters and refuses a longer one, or one that is not printable ASCII', () => {
    expect(readSeal(writeSeal(pdf, 'x'.repeat(SEAL_MAX)))).toBe('x'.repeat(SEAL_MAX))
    expect(() => writeSeal(pdf, 'x'.repeat(SEAL_MAX + 1))).toThrow(/at most/)
    expect(() => writeSeal(pdf, '签名')).toThrow(/ASCII/)
    expect(() => writeSeal(pdf, 'ends with a space ')).toThrow(/space/)
  })

  it('is outside the hash: a byte changed elsewhere changes pdfSha256, a byte changed inside changes the seal', () => {
    const sealed = writeSeal(pdf, SEAL)
    const slot = latin1(sealed).indexOf(Buffer.from(SEAL, 'latin1').toString('hex'))
    expect(slot).toBeGreaterThan(0)

    const outside = new Uint8Array(sealed)
    const text = latin1(sealed)
    const creator = text.indexOf('/Creator ')
    outside[creator + 1] = 'c'.charCodeAt(0) // /Creator → /creator
    expect(pdfSha256(outside)).not.toBe(pdfSha256(sealed))

    for (const at of [slot, slot + 2 * SEAL.length + 1, slot + 2 * SEAL_MAX - 1]) {
      const inside = new Uint8Array(sealed)
      inside[at] = inside[at] === '3'.charCodeAt(0) ? '4'.charCodeAt(0) : '3'.charCodeAt(0)
      expect(readSeal(inside)).not.toBe(SEAL)
      expect(pdfSha256(inside)).toBe(pdfSha256(sealed))
    }
  })

  it('is refused where a second one is named, e.g. in an update appended to the file', () => {
    const sealed = writeSeal(pdf, SEAL)
    const appended = Buffer.concat([
      sealed,
      Buffer.from('\n<< /KaitongSeal 99 0 R >>\n99 0 obj\n<20>\nendobj\n%%EOF\n'),
    ])
    expect(readSeal(appended)).toBeNull()
    expect(() => pdfSha256(appended)).toThrow(/no intact seal slot/)
  })

  it('is absent from a PDF made elsewhere', () => {
    const foreign = Buffer.from('%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n')
    expect(readSeal(foreign)).toBeNull()
    expect(() => pdfSha256(foreign)).toThrow(/no intact seal slot/)
    expect(() => writeSeal(foreign, SEAL)).toThrow(/no intact seal slot/)
  })
})

describe('the contract font', () => {
  it('is found in node_modules when nothing else names it', () => {
    expect(path.basename(findContractFont({}))).toBe('SourceHanSansSC-Regular.otf')
  })

  it(`is the file ${CONTRACT_FONT_ENV} names, and a missing one is an error naming it`, () => {
    const font = findContractFont({})
    expect(findContractFont({ [CONTRACT_FONT_ENV]: font })).toBe(font)
    expect(() => findContractFont({ [CONTRACT_FONT_ENV]: '/nowhere/font.otf' })).toThrow(
      /KAITONG_CONTRACT_FONT=\/nowhere\/font.otf/,
    )
  })
})
