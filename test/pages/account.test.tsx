/**
 * The 我的 tab and the account pages (消息中心, 帮助, 我的数据, 设置) in jsdom, against a real
 * in-process local cloud; only the transport is swapped for a direct call.
 */
import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react'
import Taro from '@tarojs/taro'
import type { InboxMessage } from '../../src/api'
import { DAY_MS } from '../../src/domain/china-time'
import { REASONS } from '../../src/domain/reasons'
import { ELDER_KEY } from '../../src/hooks/use-elder-mode'
import About from '../../src/pages/account/about/index'
import Help from '../../src/pages/account/help/index'
import Messages from '../../src/pages/account/messages/index'
import MyData from '../../src/pages/account/my-data/index'
import Settings from '../../src/pages/account/settings/index'
import Me from '../../src/pages/me/index'
import { runReminders } from '../../server/app/reminders'
import { borrow, CARD_NUMBER, onboardBorrower, repayAndPay } from '../support/borrower'
import { makeTestCloud } from '../support/cloud'
import { openOfflineThenRetry } from '../support/offline'
import { pageCloud } from '../support/mock-platform'
import { showPage } from '../support/taro-h5'

jest.mock('../../src/services/platform', () => require('../support/mock-platform').platformModule)

const cloud = () => pageCloud.cloud!

// The build's babel-plugin-transform-taroapi turns `Taro.getStorageSync(...)` into the named H5
// API; jest has no such step, so the APIs these pages use are put on the default export here.
let navigateTo: jest.SpyInstance
beforeEach(async () => {
  pageCloud.cloud = await makeTestCloud()
  pageCloud.reset()
  Taro.removeStorageSync(ELDER_KEY)
  navigateTo = jest.spyOn(Taro, 'navigateTo').mockImplementation(async () => ({ errMsg: 'navigateTo:ok' }))
})
afterEach(() => {
  navigateTo.mockRestore()
  pageCloud.cloud?.close()
})

/** Runs the reminder job as the timer would. */
const runJob = () => runReminders(cloud().ports, { outOfTime: () => false })

/**
 * Alice with a one-month loan (disbursed 28 Nov 10:00, due 28 Dec) and no subscribe grant, so
 * reminders land in the message center: D-3 on 25 Dec, then D-1 on 27 Dec.
 */
async function loanWithTwoMessages() {
  const applicant = await onboardBorrower(cloud())
  const loan = await borrow(cloud())
  cloud().ports.clock.advance(27 * DAY_MS)
  expect(await runJob()).toMatchObject({ inbox: 1 })
  cloud().ports.clock.advance(2 * DAY_MS)
  expect(await runJob()).toMatchObject({ inbox: 1 })
  return { applicant, loan }
}

async function serverInbox() {
  const r = await cloud().call<{ messages: InboxMessage[]; unread: number }>('reminders', 'inbox', {})
  if (!r.ok) throw new Error(r.error.code)
  return r.data
}

const pageRoot = (container: HTMLElement) => container.querySelector('.kt-page') as HTMLElement

describe('我的 (tab)', () => {
  it('shows the masked identity and the unread count on the 消息中心 entry', async () => {
    const { applicant } = await loanWithTwoMessages()
    render(<Me />)
    const entry = await screen.findByLabelText('消息中心，2条未读')
    expect(within(entry).getByTestId('unread-badge').textContent).toBe('2')
    expect((await screen.findByTestId('me-identity')).textContent).toContain('*三')
    expect(document.body.textContent).not.toContain(applicant.idNumber)
    fireEvent.click(entry)
    expect(navigateTo).toHaveBeenCalledWith({ url: '/pages/account/messages/index' })
  })

  it('reads the unread count again each time the tab shows (once on mount, not twice)', async () => {
    await loanWithTwoMessages()
    render(<Me />)
    await screen.findByLabelText('消息中心，2条未读')
    expect(pageCloud.sent.filter((s) => s.action === 'inbox')).toHaveLength(1)
    const [newest] = (await serverInbox()).messages
    expect((await cloud().call('reminders', 'read', { ids: [newest.id] })).ok).toBe(true)
    act(() => showPage())
    expect(await screen.findByLabelText('消息中心，1条未读')).toBeTruthy()
    expect(pageCloud.sent.filter((s) => s.action === 'inbox')).toHaveLength(2)
  })

  it('a new user sees 未实名 with a way to start, no badge, and every entry', async () => {
    render(<Me />)
    expect((await screen.findByTestId('me-identity')).textContent).toContain('未实名')
    await waitFor(() => expect(pageCloud.sent.filter((s) => s.action === 'inbox')).toHaveLength(1))
    expect(screen.queryByTestId('unread-badge')).toBeNull()
    fireEvent.click(screen.getByLabelText('去实名认证'))
    expect(navigateTo).toHaveBeenCalledWith({ url: '/pages/onboarding/agreements/index' })
    for (const [label, url] of [
      ['消息中心', '/pages/account/messages/index'],
      ['我的合同，查看、下载 PDF', '/pages/products/contracts/index'],
      ['我的数据，查看、导出、撤回授权、删除', '/pages/account/my-data/index'],
      ['设置（长辈模式），未开启', '/pages/account/settings/index'],
      ['帮助：开通失败原因、提额、冷静期', '/pages/account/help/index'],
      ['关于开通', '/pages/account/about/index'],
      ['其他平台参考', '/pages/products/competitors/index'],
    ]) {
      fireEvent.click(screen.getByLabelText(label))
      expect(navigateTo).toHaveBeenLastCalledWith({ url })
    }
  })

  it('offline: the error with a retry that recovers', async () => {
    await openOfflineThenRetry(<Me />)
    expect((await screen.findByTestId('me-identity')).textContent).toContain('未实名')
  })
})

describe('消息中心', () => {
  it('shows loading, then the empty state', async () => {
    render(<Messages />)
    expect(screen.getByTestId('loading')).toBeTruthy()
    expect((await screen.findByTestId('empty')).textContent).toContain('暂无消息')
  })

  it('offline: an error with a retry; the retry loads the list', async () => {
    await loanWithTwoMessages()
    await openOfflineThenRetry(<Messages />)
    expect(await screen.findByTestId('messages')).toBeTruthy()
    expect(screen.queryByTestId('error-notice')).toBeNull()
  })

  it('lists messages newest first, unread marked; tapping one marks it read and opens its loan', async () => {
    const { loan } = await loanWithTwoMessages()
    const before = await serverInbox()
    expect(before.unread).toBe(2)
    render(<Messages />)
    const list = await screen.findByTestId('messages')
    const items = within(list).getAllByRole('button')
    expect(items).toHaveLength(2)
    // Newest first: the D-1 reminder (27 Dec) above the D-3 one (25 Dec).
    expect(items[0].textContent).toContain('2026-12-27')
    expect(items[1].textContent).toContain('2026-12-25')
    expect(items.map((i) => i.getAttribute('data-read'))).toEqual(['false', 'false'])
    // Named by what it shows: 未读 first, as it reads.
    expect(items[0].getAttribute('aria-label')).toBeNull()
    expect(items[0].textContent).toMatch(/^未读/)
    expect(screen.getByTestId('unread-count').textContent).toBe('2 条未读')

    fireEvent.click(items[0])
    await waitFor(() =>
      expect(navigateTo).toHaveBeenCalledWith({
        url: `/pages/loan/detail/index?loanId=${encodeURIComponent(loan.id)}`,
      }),
    )
    const after = await serverInbox()
    expect(after.unread).toBe(1)
    const newest = [...before.messages].sort((a, b) => b.at - a.at)[0]
    expect(after.messages.find((m) => m.id === newest.id)?.read).toBe(true)
    await waitFor(() => expect(items[0].getAttribute('data-read')).toBe('true'))
    expect(items[1].getAttribute('data-read')).toBe('false')
    expect(screen.getByTestId('unread-count').textContent).toBe('1 条未读')
  })

  it('全部标为已读 marks every message read on the server', async () => {
    await loanWithTwoMessages()
    render(<Messages />)
    await screen.findByTestId('messages')
    fireEvent.click(screen.getByLabelText('全部标为已读'))
    await waitFor(() => expect(screen.getByTestId('unread-count').textContent).toBe('全部已读'))
    expect((await serverInbox()).unread).toBe(0)
    expect(pageCloud.sent.filter((s) => s.action === 'read')).toHaveLength(1)
  })

  it('a failed mark shows the error; its retry marks the same message', async () => {
    await loanWithTwoMessages()
    render(<Messages />)
    const [first] = within(await screen.findByTestId('messages')).getAllByRole('button')
    pageCloud.offline = true
    fireEvent.click(first)
    const notice = await screen.findByTestId('error-notice')
    expect(first.getAttribute('data-read')).toBe('false')
    pageCloud.offline = false
    fireEvent.click(within(notice).getByText('重试'))
    await waitFor(() => expect(first.getAttribute('data-read')).toBe('true'))
    expect((await serverInbox()).unread).toBe(1)
  })
})

describe('帮助', () => {
  it('lists every reason code with its title and fix, and every growth tip with its effect period', () => {
    const { container } = render(<Help />)
    const codes = Object.keys(REASONS) as Array<keyof typeof REASONS>
    for (const code of codes) {
      const item = container.querySelector(`[data-code="${code}"]`)
      expect(item).not.toBeNull()
      expect(item!.textContent).toContain(REASONS[code].title)
      expect(item!.textContent).toContain(REASONS[code].fix)
    }
    expect(container.querySelectorAll('[data-code]')).toHaveLength(codes.length)
    const tips = screen.getByTestId('growth-tips')
    for (const [id, period] of [
      ['tip.wealth', '1–2个账单周期'],
      ['tip.categories', '3–6个月'],
      ['tip.repayment', '持续生效'],
      ['tip.insurance', '下次额度评估'],
    ]) {
      expect(tips.querySelector(`[data-tip="${id}"]`)?.textContent).toContain(`预计生效：${period}`)
    }
    expect(screen.getByTestId('help-cooling-off').textContent).toContain('不收利息，也不收任何费用')
    expect(screen.getByTestId('help-apr').textContent).toContain('18.25%')
    expect(screen.getByTestId('help-reminders').textContent).toContain('22:00 至次日 08:00')
    expect(screen.getByTestId('help-data').textContent).toContain('不读取聊天内容、聊天频率')
  })
})

describe('关于开通', () => {
  it('says Kaitong is independent, the catalog is demonstration data, and shows the versions', async () => {
    render(<About />)
    expect(screen.getByTestId('about-independence').textContent).toMatch(/独立.*微粒贷、WE2000、小鹅花钱/)
    expect(screen.getByTestId('about-independence').textContent).toContain('演示数据')
    // The catalog published now, as the server says (the compiled demonstration one here).
    await waitFor(() => expect(screen.getByTestId('about-versions').textContent).toMatch(/demo-catalog\/.*rules\//))
  })
})

describe('我的数据', () => {
  it('shows the masked identity and card, never the raw numbers', async () => {
    const applicant = await onboardBorrower(cloud())
    render(<MyData />)
    const identity = await screen.findByTestId('mydata-identity')
    expect(identity.textContent).toContain('*三')
    expect(identity.textContent).toContain(`尾号 ${CARD_NUMBER.slice(-4)}`)
    expect(identity.textContent).toMatch(/\d\*+[\dX]/)
    for (const raw of [applicant.idNumber, applicant.mobile, CARD_NUMBER]) {
      expect(document.body.textContent).not.toContain(raw)
    }
  })

  it('lists each consent in Chinese, with version, and the one credit query: the line’s opening, not each loan', async () => {
    await onboardBorrower(cloud())
    await borrow(cloud())
    await borrow(cloud(), 'alice', { amountFen: 50_000 })
    render(<MyData />)
    const consents = await screen.findByTestId('consents')
    const byKind = (kind: string) => consents.querySelector(`[data-kind="${kind}"]`)!.textContent!
    expect(byKind('userAgreement')).toMatch(/《用户协议》.*版本/)
    expect(byKind('privacyPolicy')).toContain('《隐私政策》')
    expect(byKind('biometricConsent')).toContain('生物识别信息单独授权')
    // Two loans, one credit-query consent: the one the opening spent.
    expect(consents.querySelectorAll('[data-kind="creditQuery"]')).toHaveLength(1)
    expect(byKind('creditQuery')).toContain('征信查询授权')
    expect(byKind('creditQuery')).toContain('用途：开通额度（授信审批）')
    expect(byKind('creditQuery')).toContain('产品：WE2000')
    expect(byKind('creditQuery')).toContain('已用于开通额度')
  })

  it('exports: a summary with the byte size, and the JSON copied to the clipboard', async () => {
    const applicant = await onboardBorrower(cloud())
    await borrow(cloud())
    const setClipboardData = jest
      .spyOn(Taro, 'setClipboardData')
      .mockImplementation(async (o) => ({ errMsg: 'setClipboardData:ok', data: o.data }))
    try {
      render(<MyData />)
      fireEvent.click(await screen.findByLabelText('导出我的数据'))
      const summary = await screen.findByTestId('export-summary')
      expect(summary.textContent).toMatch(/借款及还款计划\s*1 笔/)
      expect(summary.textContent).toMatch(/银行卡（仅尾号）\s*1 张/)
      const direct = await cloud().call<Record<string, unknown>>('account', 'export', {})
      if (!direct.ok) throw new Error(direct.error.code)
      const bytes = Buffer.byteLength(JSON.stringify(direct.data, null, 2), 'utf8')
      expect(screen.getByTestId('export-bytes').textContent).toContain(`${bytes} 字节`)

      fireEvent.click(screen.getByLabelText('复制导出的JSON'))
      await screen.findByText('已复制到剪贴板，可粘贴保存。')
      const copied = setClipboardData.mock.calls[0][0].data as string
      expect(JSON.parse(copied)).toMatchObject({ identity: { name: '*三' }, loans: [expect.anything()] })
      expect(copied).not.toContain(applicant.idNumber)
    } finally {
      setClipboardData.mockRestore()
    }
  })

  it('offline: each section shows an error with a retry', async () => {
    pageCloud.offline = true
    render(<MyData />)
    await waitFor(() => expect(screen.getAllByTestId('error-notice')).toHaveLength(2))
    pageCloud.offline = false
    for (const notice of screen.getAllByTestId('error-notice')) fireEvent.click(within(notice).getByText('重试'))
    expect((await screen.findByTestId('mydata-identity')).textContent).toContain('未实名认证')
    expect((await screen.findByTestId('empty')).textContent).toContain('暂无授权记录')
  })

  it('deletion needs a second confirmation; confirmed, the user’s data is gone from the server', async () => {
    await onboardBorrower(cloud())
    const loan = await borrow(cloud())
    cloud().ports.clock.advance(DAY_MS)
    expect((await repayAndPay(cloud(), loan.id, 'all')).ok).toBe(true)
    render(<MyData />)
    await screen.findByTestId('mydata-identity')
    expect(screen.getByTestId('delete-warning').textContent).toContain('删除后不能恢复')

    // First tap: only the confirm panel; nothing is sent.
    fireEvent.click(screen.getByLabelText('删除我的数据'))
    expect(screen.getByTestId('delete-confirm')).toBeTruthy()
    fireEvent.click(screen.getByLabelText('取消'))
    expect(screen.queryByTestId('delete-confirm')).toBeNull()
    expect(pageCloud.sent.filter((s) => s.action === 'delete')).toEqual([])
    expect(cloud().dump()).toContain('o_dev_alice')

    fireEvent.click(screen.getByLabelText('删除我的数据'))
    fireEvent.click(within(screen.getByTestId('delete-confirm')).getByLabelText('确认删除'))
    const result = await screen.findByTestId('delete-result')
    // Only the books stay (they name loans, never the person), and the page says so.
    expect(result.textContent).toContain('删除完成，部分数据依法保留（见下方）。')
    expect(result.textContent).toContain('记账分录')
    // Every deleted kind by its name, none by the server's collection name.
    expect(result.textContent).toMatch(/额度记录\s*3 条/)
    expect(result.textContent).not.toMatch(/lineChanges|lines\d/)
    expect(result.textContent).toMatch(/账户资料（实名信息、银行卡、授权状态）\s*1 条/)
    expect(pageCloud.sent.filter((s) => s.action === 'delete').map((s) => s.data)).toEqual([{ confirm: true }])
    const left = cloud()
      .dump()
      .split('\n')
      .filter(
        // The simulators' own records are the world's (WeChat Pay keeps its orders), not Kaitong's.
        (line) => line.includes('o_dev_alice') && !line.startsWith('simProfiles/') && !line.startsWith('simPayments/'),
      )
    expect(left).toEqual([])
    // The page shows what is left: nothing.
    await waitFor(() => expect(screen.getByTestId('mydata-identity').textContent).toContain('未实名认证'))
    expect((await screen.findByTestId('empty')).textContent).toContain('暂无授权记录')
  })

  it('with an open loan, deletion says what is kept and why', async () => {
    await onboardBorrower(cloud())
    const loan = await borrow(cloud())
    render(<MyData />)
    await screen.findByTestId('mydata-identity')
    fireEvent.click(screen.getByLabelText('删除我的数据'))
    fireEvent.click(screen.getByLabelText('确认删除'))
    const kept = await screen.findByTestId('delete-kept')
    expect(kept.textContent).toContain(loan.id)
    expect(kept.textContent).toContain('原因：借款存续期间依法须保留合同与交易记录')
    expect(await cloud().call('loans', 'get', { loanId: loan.id })).toMatchObject({ ok: true })
  })
})

describe('设置', () => {
  it('toggles 长辈模式: it persists in storage and a page rendered afterwards is in elder mode', async () => {
    const first = render(<Help />)
    expect(pageRoot(first.container).className).not.toContain('kt-elder')
    first.unmount()

    const { container, unmount } = render(<Settings />)
    expect(pageRoot(container).className).not.toContain('kt-elder')
    const toggle = screen.getByLabelText('长辈模式')
    expect(toggle.getAttribute('aria-checked')).toBe('false')
    await act(async () => {
      fireEvent.click(toggle)
    })
    await waitFor(() => expect(pageRoot(container).className).toContain('kt-elder'))
    expect(Taro.getStorageSync(ELDER_KEY)).toBe('1')
    expect(screen.getByTestId('elder-state').textContent).toContain('已开启')
    unmount()

    const later = render(<Help />)
    expect(pageRoot(later.container).className).toContain('kt-elder')
    later.unmount()

    // And off again.
    const again = render(<Settings />)
    await act(async () => {
      fireEvent.click(screen.getByLabelText('长辈模式'))
    })
    await waitFor(() => expect(pageRoot(again.container).className).not.toContain('kt-elder'))
    expect(Taro.getStorageSync(ELDER_KEY)).toBe('0')
  })
})
