// `npm run bench:contract-pdf`: how long a drawdown note (借款合同) of a 20-installment loan takes to
// render as a PDF — its schedule as a 20-row table and some 40 lines of clauses — cold (the first
// render in the process, the font read and parsed) and warm, and its size; against a one-line
// contract in the same run (the floor: the font subset and the file's fixed parts). Set
// BENCH_PDF_OUT=<file> to keep the PDF.
import fs from 'node:fs'
import { fromChinaDateTime } from '../src/domain/china-time'
import { formatYuanGrouped } from '../src/domain/money'
import { buildSchedule } from '../src/domain/schedule'

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

/** ¥20,000 over 20 months, 等额本息, at a daily 0.0493% (18% a year): the schedule the note prints. */
function scheduleTable(): string {
  const lines = buildSchedule({
    mode: 'equal-installment',
    amountFen: 2_000_000,
    term: { months: 20 },
    dailyRatePpm: 493,
    disbursedAt: SIGNED_AT,
  })
  const rows = lines.map((l) =>
    [`第 ${l.n} 期`, l.dueDate, l.principalFen, l.interestFen, l.feeFen, l.totalFen]
      .map((c) => (typeof c === 'number' ? formatYuanGrouped(c) : c))
      .join('\t'),
  )
  return ['期数\t还款日\t本金（元）\t利息（元）\t费用（元）\t合计（元）', ...rows].join('\n')
}

const CLAUSES = [
  [
    '第一条 借款金额',
    '借款金额为人民币 20,000.00 元（贰万元整），由出借人于本合同生效后发放至借款人本人名下尾号 6789 的借记卡。',
  ],
  [
    '第二条 借款期限与还款方式',
    '借款期限 20 个月，自放款之日起算；还款方式为等额本息，每月还款日为放款日对应日，遇月末无对应日的，为该月最后一日。',
    '还款计划见下表，每期应还金额以本合同所列为准；提前还款的，按实际占用天数计收利息。',
  ],
  [
    '第三条 利率与综合年化成本',
    '借款日利率 0.0493%，按年化 18.00% 计算（单利），综合年化成本（IRR）为 18.00%，不超过 24%。',
    '除本合同列明的利息外，出借人不收取任何服务费、咨询费、担保费或其他费用。',
  ],
  [
    '第四条 借款用途',
    '借款人承诺借款用于日常消费（as stated in the application），不用于购房、股票、债券、期货、金融衍生品等投资。',
  ],
  [
    '第五条 逾期',
    '借款人未按期足额还款的，逾期本金按日利率 0.0740%（合同日利率的 1.5 倍）计收逾期利息，不计复利，不收其他违约金。',
    '出借人将通过微信服务通知提醒借款人还款，不会向借款人的通讯录联系人催收。',
  ],
  [
    '第六条 冷静期',
    '放款后 24 小时内，借款人可在小程序中无理由取消本笔借款，退回已收到的本金即可，不收取任何利息和费用。',
  ],
  [
    '第七条 自动扣款',
    '借款人已单独同意在每期还款日从尾号 6789 的借记卡自动扣收当期应还款项（每日最多三次，22:00 后不再扣款，扣款不超过应还金额）；可随时在小程序中关闭。',
  ],
  [
    '第八条 个人信息',
    '出借人仅为订立和履行本合同处理借款人的个人信息，依照《中华人民共和国个人信息保护法》保护；身份证号码加密存储，合同中仅显示尾号。',
    '借款人可在小程序中查阅、复制其个人信息，或撤回可撤回的同意；撤回不影响撤回前的处理。',
  ],
  [
    '第九条 征信',
    '出借人依法向金融信用信息基础数据库报送本笔借款的信息；借款人对报送信息有异议的，可通过小程序或客服 400-000-0000 提出。',
  ],
  [
    '第十条 电子签署',
    '本合同以电子方式订立，借款人在小程序中确认即为签署；签署记录（时间、设备、合同摘要 SHA-256）附于文末，与合同具有同等效力。',
  ],
  [
    '第十一条 争议解决',
    '因本合同发生的争议，双方协商解决；协商不成的，任何一方可向出借人住所地有管辖权的人民法院起诉。',
    '本合同未尽事宜，依照《中华人民共和国民法典》及相关法律法规执行。',
  ],
  ['第十二条 其他', '本合同自借款人签署且出借人放款之日起生效，至借款本息及逾期利息（如有）全部清偿之日终止。'],
]

export function drawdownNote(): { title: string; text: string; footer: string[]; date: number } {
  const text = [
    '合同编号：KT-DN-20261201-000123\n出借人：开通（示例）小额贷款有限公司\n借款人：张三（身份证号 110************1234）\n合同日期：2026-12-01',
    ...CLAUSES.slice(0, 2).map((c) => c.join('\n')),
    scheduleTable(),
    ...CLAUSES.slice(2).map((c) => c.join('\n')),
  ].join('\n\n')
  return {
    title: '个人消费借款合同',
    text,
    footer: [
      '借款人 张三 于 2026-12-01 10:00:00（北京时间）在微信小程序中确认签署，设备 iPhone 15 / WeChat 8.0.50',
      '合同摘要 SHA-256：3f6c0c8e5d2a4b1e9f7a6c5b4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8b7c6d5e',
      '出借人 开通（示例）小额贷款有限公司 于 2026-12-01 10:00:02 放款，电子签章见文件属性',
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
