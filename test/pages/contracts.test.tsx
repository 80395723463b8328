/**
 * The contracts in jsdom: the reader (never signable before its text is on screen, and signing
 * hands back exactly that text's hash), signing at 开通 and at 确认借款 (the hash goes with
 * lines.open / loans.apply; CONTRACT_CHANGED shows the new text and asks again), and 我的合同
 * (the list, one contract read-only with its signing record, 下载 PDF). The cloud's answers are
 * fixed per action (fake-cloud.ts), so each test says exactly what the server answered.
 */
import { act, configure, fireEvent, render, screen, waitFor, within } from '@testing-library/react'
import Taro from '@tarojs/taro'
import { ERRORS, type ContractPdf, type ContractPreview, type ContractSummary, type ContractView } from '../../src/api'
import { ContractReader, contractNodes } from '../../src/components/contract-reader'
import { DAY_MS } from '../../src/domain/china-time'
import ContractDetail from '../../src/pages/products/contract/index'
import Contracts from '../../src/pages/products/contracts/index'
import Confirm from '../../src/pages/products/confirm/index'
import OpenLine from '../../src/pages/products/open/index'
import { openPdf as openPdfInWeChat } from '../../src/services/pdf.weapp'
import { dateTime } from '../../src/ui/format'
import { NOW } from '../support/factories'
import { pageCloud } from '../support/mock-platform'
import {
  makeLineView,
  makePrecheck,
  makePreview,
  ok,
  refuse,
  sha256Hex,
  useFakeCloud,
  type FakeCloud,
} from './fake-cloud'

jest.mock('../../src/services/platform', () => require('../support/mock-platform').platformModule)

configure({ asyncUtilTimeout: 5_000 })
jest.setTimeout(30_000)

let navigateTo: jest.SpyInstance
let redirectTo: jest.SpyInstance

beforeEach(() => {
  navigateTo = jest.spyOn(Taro, 'navigateTo').mockImplementation(async () => ({ errMsg: 'navigateTo:ok' }))
  redirectTo = jest.spyOn(Taro, 'redirectTo').mockImplementation(async () => ({ errMsg: 'redirectTo:ok' }))
})
afterEach(() => jest.restoreAllMocks())

function openWith(params: Record<string, string | number>) {
  const router = { params: Object.fromEntries(Object.entries(params).map(([k, v]) => [k, String(v)])), path: '' }
  ;(Taro.getCurrentInstance() as { router: unknown }).router = router
}

const isDisabled = (el: HTMLElement) => /disabled/.test(el.className)
const sent = (action: string) => pageCloud.sent.filter((s) => s.action === action)
const text = (el: HTMLElement) => el.textContent ?? ''
const signButton = () => within(screen.getByTestId('contract-reader')).getByLabelText('同意并签署')

/** A promise the test settles when it wants: an answer that is still on its way. */
function later<T>() {
  let settle!: (value: T) => void
  const promise = new Promise<T>((resolve) => (settle = resolve))
  return { promise, settle }
}

describe('the contract reader', () => {
  it('cannot be signed before the text is on screen; signed, it hands back the hash of the text shown', async () => {
    const onSign = jest.fn()
    const preview = makePreview()
    const { rerender } = render(<ContractReader contract={null} loading onSign={onSign} />)
    // Still on its way: no text, and the button does nothing.
    expect(text(screen.getByTestId('contract-reader'))).toContain('正在读取合同…')
    expect(isDisabled(signButton())).toBe(true)
    fireEvent.click(signButton())
    expect(onSign).not.toHaveBeenCalled()

    rerender(<ContractReader contract={preview} onSign={onSign} />)
    const reader = screen.getByTestId('contract-reader')
    expect(within(reader).getByRole('heading').textContent).toBe(preview.title)
    expect(text(within(reader).getByTestId('contract-version'))).toContain(preview.templateVersion)
    expect(text(within(reader).getByTestId('contract-sha'))).toContain(preview.sha256.slice(0, 16))
    // The whole text, paragraph by paragraph.
    await waitFor(() => expect(text(within(reader).getByTestId('contract-text'))).toContain('第三条 利率'))
    expect(within(reader).getByTestId('contract-text').querySelectorAll('p')).toHaveLength(3)
    await waitFor(() => expect(isDisabled(signButton())).toBe(false))
    fireEvent.click(signButton())
    expect(onSign).toHaveBeenCalledWith(preview.sha256)
  })

  it('a newer text on its way disables signing again until it is shown', async () => {
    const onSign = jest.fn()
    const first = makePreview()
    const { rerender } = render(<ContractReader contract={first} onSign={onSign} />)
    await waitFor(() => expect(isDisabled(signButton())).toBe(false))
    rerender(<ContractReader contract={first} loading onSign={onSign} notice={ERRORS.CONTRACT_CHANGED} />)
    expect(isDisabled(signButton())).toBe(true)
    expect(text(screen.getByTestId('contract-notice'))).toBe(ERRORS.CONTRACT_CHANGED)
    const second = makePreview({ text: `${first.text}\n\n第四条 新增条款` })
    rerender(<ContractReader contract={second} onSign={onSign} notice={ERRORS.CONTRACT_CHANGED} />)
    await waitFor(() => expect(isDisabled(signButton())).toBe(false))
    fireEvent.click(signButton())
    expect(onSign).toHaveBeenCalledWith(second.sha256)
  })

  it('read-only: the text without a sign button', () => {
    render(<ContractReader contract={makePreview()} />)
    expect(screen.queryByLabelText('同意并签署')).toBeNull()
  })

  it('paragraphs are split at blank lines; a single line break stays a line break; nothing is lost', () => {
    const nodes = contractNodes('第一条\n甲方：张三\n\n\n第二条 & 其他\r\n\r\n  ')
    expect(nodes).toHaveLength(2)
    expect(nodes[0]).toEqual({
      name: 'p',
      attrs: expect.any(Object),
      children: [{ type: 'text', text: '第一条' }, { name: 'br' }, { type: 'text', text: '甲方：张三' }],
    })
    expect(nodes[1]).toMatchObject({ children: [{ type: 'text', text: '第二条 & 其他' }] })
    // WeChat reads entities in text nodes: escaped, it shows the text as signed.
    expect(contractNodes('A & B', true)[0]).toMatchObject({ children: [{ type: 'text', text: 'A &amp; B' }] })
  })

  it('the repayment plan (tab-separated rows) is a table: a header row, then one row a period, every cell whole', () => {
    const [plan] = contractNodes('期数\t还款日\t合计\n第 1 期\t2027-01-04\t¥278.47\n第 2 期\t2027-02-04\t¥263.47')
    expect(plan).toMatchObject({ name: 'table' })
    const rows = (plan as { children: Array<{ children: Array<{ name: string; children: Array<{ text: string }> }> }> })
      .children
    expect(rows.map((r) => r.children.map((c) => `${c.name}:${c.children[0].text}`))).toEqual([
      ['th:期数', 'th:还款日', 'th:合计'],
      ['td:第 1 期', 'td:2027-01-04', 'td:¥278.47'],
      ['td:第 2 期', 'td:2027-02-04', 'td:¥263.47'],
    ])
  })
})

/** A contract service that changes its text when told: what it shows and what it accepts as signed. */
function contractService(first: ContractPreview) {
  const state = { current: first }
  return {
    state,
    /** The text changes (a rate, a date) between the preview and the signature. */
    change(next: ContractPreview) {
      state.current = next
    },
    preview: () => ok(state.current),
    /** What lines.open / loans.apply say of the signature they carry. */
    check(data: Record<string, unknown>) {
      if (!data.contractSha256) return refuse('CONTRACT_REQUIRED')
      if (data.contractSha256 !== state.current.sha256) return refuse('CONTRACT_CHANGED')
      return null
    },
  }
}

describe('开通: the line contract (授信合同)', () => {
  function openPage(
    contracts: ReturnType<typeof contractService>,
    over: Record<string, FakeCloud['answers'][string]> = {},
  ) {
    useFakeCloud({
      'credit.precheck': () => ok(makePrecheck()),
      'lines.get': () => refuse('NOT_FOUND'),
      'lines.consent': () => ok({ consentId: 'cc_1', product: 'we2000', expiresAt: NOW + 15 * 60_000 }),
      'contracts.preview': contracts.preview,
      'lines.open': (data) => contracts.check(data) ?? ok(makeLineView()),
      ...over,
    })
    openWith({ product: 'we2000' })
    render(<OpenLine />)
  }

  async function toContract() {
    await screen.findByTestId('open-form')
    fireEvent.click(within(screen.getByTestId('line-consent')).getByLabelText('征信查询授权'))
    await waitFor(() => expect(isDisabled(screen.getByLabelText('确认开通WE2000'))).toBe(false))
    fireEvent.click(screen.getByLabelText('确认开通WE2000'))
  }

  it('确认开通 shows the contract; signing is possible only once it is shown, and sends its hash with the opening', async () => {
    const contracts = contractService(makePreview())
    const answer = later<ReturnType<typeof contracts.preview>>()
    openPage(contracts, { 'contracts.preview': () => answer.promise })
    await toContract()
    // The text is on its way: the button cannot be used, and nothing but the text was asked for.
    expect(text(await screen.findByTestId('contract-reader'))).toContain('正在读取合同…')
    expect(isDisabled(signButton())).toBe(true)
    fireEvent.click(signButton())
    expect(sent('preview').map((s) => s.data)).toEqual([{ kind: 'line', product: 'we2000' }])
    expect(sent('consent')).toEqual([])
    expect(sent('open')).toEqual([])

    await act(async () => answer.settle(contracts.preview()))
    await waitFor(() => expect(text(screen.getByTestId('contract-text'))).toContain('第二条 授信额度'))
    await waitFor(() => expect(isDisabled(signButton())).toBe(false))
    fireEvent.click(signButton())
    expect(text(await screen.findByTestId('open-active'))).toContain('开通成功：WE2000额度已生效')
    // The consent after the signature (its 15 minutes are not spent reading), then the opening with the hash.
    // (The catalog the pre-check decided with is read once, for the fees the estimate shows.)
    expect(pageCloud.sent.map((s) => s.action)).toEqual(['precheck', 'get', 'catalog', 'preview', 'consent', 'open'])
    expect(sent('open')[0].data).toEqual({
      product: 'we2000',
      consentId: 'cc_1',
      contractSha256: contracts.state.current.sha256,
    })
  })

  it('CONTRACT_CHANGED: the new text is shown, with why, and signed again — the same consent, no second inquiry', async () => {
    const first = makePreview()
    const contracts = contractService(first)
    openPage(contracts)
    await toContract()
    await waitFor(() => expect(isDisabled(signButton())).toBe(false))
    // Between reading and signing, the terms change (the rate tier moved).
    const second = makePreview({
      templateVersion: 'line-contract/2026-12-02.1',
      text: first.text.replace('日利率 0.05%', '日利率 0.04%'),
    })
    contracts.change(second)
    fireEvent.click(signButton())

    await waitFor(() => expect(text(screen.getByTestId('contract-text'))).toContain('日利率 0.04%'))
    expect(text(screen.getByTestId('contract-notice'))).toBe(ERRORS.CONTRACT_CHANGED)
    expect(text(screen.getByTestId('contract-version'))).toContain('line-contract/2026-12-02.1')
    expect(text(screen.getByTestId('contract-sha'))).toContain(second.sha256.slice(0, 16))
    expect(screen.queryByTestId('open-active')).toBeNull()
    // Nothing goes until the borrower signs the new text themself.
    await waitFor(() => expect(isDisabled(signButton())).toBe(false))
    expect(sent('open')).toHaveLength(1)
    fireEvent.click(signButton())
    await screen.findByTestId('open-active')
    const opens = sent('open')
    expect(opens.map((o) => o.data.contractSha256)).toEqual([first.sha256, second.sha256])
    expect(opens[1].data.consentId).toBe(opens[0].data.consentId)
    expect(sent('consent')).toHaveLength(1)
    expect(sent('preview')).toHaveLength(2)
  })

  it('返回修改: back to the form, nothing signed or sent', async () => {
    openPage(contractService(makePreview()))
    await toContract()
    await screen.findByTestId('contract-text')
    fireEvent.click(screen.getByLabelText('返回修改'))
    expect(await screen.findByTestId('open-form')).toBeTruthy()
    expect(sent('consent')).toEqual([])
    expect(sent('open')).toEqual([])
  })

  it('a consent withdrawn meanwhile (CONSENT_REQUIRED): back on the form, the way to the agreements page', async () => {
    openPage(contractService(makePreview()), { 'contracts.preview': () => refuse('CONSENT_REQUIRED') })
    await toContract()
    const error = await screen.findByTestId('open-error')
    expect(text(error)).toContain(ERRORS.CONSENT_REQUIRED)
    expect(screen.getByTestId('open-form')).toBeTruthy()
    fireEvent.click(within(error).getByLabelText('去授权'))
    expect(navigateTo).toHaveBeenCalledWith({ url: '/pages/onboarding/agreements/index' })
    expect(sent('open')).toEqual([])
  })
})

describe('确认借款: the drawdown contract (借款合同)', () => {
  const offer = {
    product: 'we2000',
    amountFen: 100_000,
    termMonths: 6,
    mode: 'equal-principal',
    purpose: 'consumption',
  }

  function drawdownPreview(rate: string) {
    return makePreview({
      kind: 'drawdown',
      templateVersion: 'drawdown-note/2026-12-01.1',
      title: '个人借款合同（WE2000）',
      text: `第一条 借款金额\n人民币 1,000.00 元，6 期，等额本金。\n\n第二条 利率\n日利率 ${rate}。`,
    })
  }

  it('the contract with the same figures; CONTRACT_CHANGED shows the new one; signed, the hash goes with the drawdown', async () => {
    const first = drawdownPreview('0.05%')
    const contracts = contractService(first)
    useFakeCloud({
      'credit.precheck': () => ok(makePrecheck()),
      'lines.get': () => ok(makeLineView()),
      'contracts.preview': contracts.preview,
      'loans.apply': (data) => contracts.check(data) ?? ok({ loan: { id: 'L_1' } }),
    })
    openWith(offer)
    render(<Confirm />)
    await screen.findByTestId('summary')
    const confirm = screen.getByLabelText('确认借款')
    await waitFor(() => expect(isDisabled(confirm)).toBe(false))
    fireEvent.click(confirm)
    await waitFor(() => expect(text(screen.getByTestId('contract-text'))).toContain('日利率 0.05%'))
    expect(sent('preview').map((s) => s.data)).toEqual([{ kind: 'drawdown', ...offer }])
    expect(sent('apply')).toEqual([])

    const second = drawdownPreview('0.045%')
    contracts.change(second)
    await waitFor(() => expect(isDisabled(signButton())).toBe(false))
    fireEvent.click(signButton())
    await waitFor(() => expect(text(screen.getByTestId('contract-text'))).toContain('日利率 0.045%'))
    expect(text(screen.getByTestId('contract-notice'))).toBe(ERRORS.CONTRACT_CHANGED)
    expect(redirectTo).not.toHaveBeenCalled()

    await waitFor(() => expect(isDisabled(signButton())).toBe(false))
    fireEvent.click(signButton())
    await waitFor(() => expect(redirectTo).toHaveBeenCalledWith({ url: '/pages/products/decision/index?loanId=L_1' }))
    expect(sent('apply').map((a) => a.data)).toEqual([
      { ...offer, contractSha256: first.sha256 },
      { ...offer, contractSha256: second.sha256 },
    ])
  })
})

describe('我的合同', () => {
  const lineContract: ContractSummary = {
    contractId: 'C_line',
    kind: 'line',
    product: 'we2000',
    title: '个人授信合同（WE2000）',
    subject: 'lines/o_alice:we2000',
    templateVersion: 'line-contract/2026-12-01.1',
    sha256: sha256Hex('line'),
    signedAt: NOW,
  }
  const loanContract: ContractSummary = {
    ...lineContract,
    contractId: 'C_loan',
    kind: 'drawdown',
    title: '个人借款合同（WE2000）',
    subject: 'L_1',
    templateVersion: 'drawdown-note/2026-12-01.1',
    sha256: sha256Hex('loan'),
    signedAt: NOW + DAY_MS,
  }

  it('every contract, newest first, with its product and when it was signed; a tap opens it', async () => {
    useFakeCloud({ 'contracts.list': () => ok([lineContract, loanContract]) })
    openWith({})
    render(<Contracts />)
    const items = await screen.findAllByTestId('contract-item')
    expect(items.map((i) => i.getAttribute('data-contract-id'))).toEqual(['C_loan', 'C_line'])
    expect(text(items[0])).toContain('个人借款合同（WE2000）')
    expect(text(items[0])).toContain('WE2000 · 借款合同')
    expect(text(items[0])).toContain(`${dateTime(NOW + DAY_MS)}（北京时间）签署`)
    expect(text(items[1])).toContain('WE2000 · 授信合同')
    fireEvent.click(items[1])
    expect(navigateTo).toHaveBeenCalledWith({ url: '/pages/products/contract/index?contractId=C_line' })
  })

  it('from a loan: only its contract, and the way to all of them', async () => {
    useFakeCloud({ 'contracts.list': () => ok([lineContract, loanContract]) })
    openWith({ loanId: 'L_1' })
    render(<Contracts />)
    const items = await screen.findAllByTestId('contract-item')
    expect(items.map((i) => i.getAttribute('data-contract-id'))).toEqual(['C_loan'])
    expect(text(screen.getByTestId('contracts-scope'))).toContain('只显示这笔借款的合同')
    fireEvent.click(screen.getByLabelText('查看全部合同'))
    expect(redirectTo).toHaveBeenCalledWith({ url: '/pages/products/contracts/index' })
  })

  it('none yet: says where they come from', async () => {
    useFakeCloud({ 'contracts.list': () => ok([]) })
    openWith({})
    render(<Contracts />)
    expect(text(await screen.findByTestId('empty'))).toContain('开通额度和每笔借款时签署的合同都会保存在这里')
  })

  const view = (): ContractView => {
    const preview = makePreview()
    return {
      ...lineContract,
      text: preview.text,
      sha256: preview.sha256,
      signing: {
        record: {
          v: 1,
          contractId: 'C_line',
          kind: 'line',
          product: 'we2000',
          subject: lineContract.subject,
          templateVersion: lineContract.templateVersion,
          sha256: preview.sha256,
          signedAt: NOW,
          signer: 'a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6',
        },
        signature: 'ed25519:k2026:QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo=',
      },
    }
  }
  const pdf: ContractPdf = {
    contractId: 'C_line',
    url: 'http://127.0.0.1:8787/files/contracts/C_line.pdf?sig=abc',
    expiresAt: NOW + 600_000,
    bytes: 56_789,
    pdfSha256: sha256Hex('the pdf'),
  }

  it('one contract: its signing record, the text read-only, and 下载 PDF with the PDF’s hash', async () => {
    const c = view()
    useFakeCloud({ 'contracts.get': () => ok(c), 'contracts.pdf': () => ok(pdf) })
    const open = jest.spyOn(window, 'open').mockImplementation(() => ({ opener: {} }) as Window)
    openWith({ contractId: 'C_line' })
    render(<ContractDetail />)
    const record = await screen.findByTestId('signing-record')
    expect(text(within(record).getByTestId('record-version'))).toContain('line-contract/2026-12-01.1')
    expect(text(within(record).getByTestId('record-signed-at'))).toContain(`${dateTime(NOW)}（北京时间）`)
    expect(text(within(record).getByTestId('record-sha256'))).toBe(c.sha256)
    expect(text(within(record).getByTestId('record-signature'))).toContain('ed25519（密钥 k2026）QUJDREVGR0hJSktM')
    const signed = screen.getByTestId('contract-signed')
    await waitFor(() => expect(text(within(signed).getByTestId('contract-text'))).toContain('第一条 合同双方'))
    expect(within(signed).queryByLabelText('同意并签署')).toBeNull()

    fireEvent.click(screen.getByLabelText('下载 PDF'))
    const result = await screen.findByTestId('pdf-result')
    expect(open).toHaveBeenCalledWith(pdf.url, '_blank')
    expect(text(result)).toContain('已下载并打开 PDF。')
    expect(text(within(result).getByTestId('pdf-sha'))).toContain(pdf.pdfSha256.slice(0, 16))
    expect(sent('pdf').map((s) => s.data)).toEqual([{ contractId: 'C_line' }])
  })

  it('the PDF cannot be made: the error with a retry', async () => {
    useFakeCloud({ 'contracts.get': () => ok(view()), 'contracts.pdf': () => refuse('INTERNAL') })
    openWith({ contractId: 'C_line' })
    render(<ContractDetail />)
    fireEvent.click(await screen.findByLabelText('下载 PDF'))
    const notice = await within(screen.getByTestId('contract-pdf')).findByTestId('error-notice')
    expect(text(notice)).toContain(ERRORS.INTERNAL)
    expect(screen.queryByTestId('pdf-result')).toBeNull()
  })

  it('in WeChat the PDF is downloaded, then opened in the document viewer with its menu', async () => {
    // The browser's Taro has neither: WeChat's are stood in for, as wx gives them.
    const wx = Taro as unknown as Record<string, unknown>
    const had = { downloadFile: wx.downloadFile, openDocument: wx.openDocument }
    const download = jest.fn(async () => ({ statusCode: 200, tempFilePath: 'wxfile://tmp/c.pdf' }))
    const openDocument = jest.fn(async () => ({ errMsg: 'openDocument:ok' }))
    Object.assign(wx, { downloadFile: download, openDocument })
    try {
      expect(await openPdfInWeChat(pdf.url)).toBe('opened')
      expect(download).toHaveBeenCalledWith({ url: pdf.url })
      expect(openDocument).toHaveBeenCalledWith({ filePath: 'wxfile://tmp/c.pdf', fileType: 'pdf', showMenu: true })
      download.mockImplementation(async () => ({ statusCode: 403, tempFilePath: '' }))
      expect(await openPdfInWeChat(pdf.url)).toBe('failed')
      expect(openDocument).toHaveBeenCalledTimes(1)
    } finally {
      Object.assign(wx, had)
    }
  })
})
