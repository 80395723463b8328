/**
 * 我的数据 in jsdom, for what the borrower can take back: each optional consent with 撤回 (what
 * stops working said before, the borrower's own confirmation, the server's word after, the
 * withdrawal kept in the history), and deletion's answer (what stays, why, and until when). The
 * cloud's answers are fixed per action (fake-cloud.ts).
 */
import { WITHDRAWAL_EFFECTS } from '../../src/domain/withdrawal'
import { configure, fireEvent, render, screen, waitFor, within } from '@testing-library/react'
import Taro from '@tarojs/taro'
import type { ConsentView, DeleteResult, WithdrawResult, WithdrawableConsent } from '../../src/api'
import { DAY_MS } from '../../src/domain/china-time'
import { consentStanding } from '../../src/hooks/use-consents'
import MyData from '../../src/pages/account/my-data/index'
import { dateTime } from '../../src/ui/format'
import { NOW } from '../support/factories'
import { pageCloud } from '../support/mock-platform'
import { makeStatus, ok, refuse, useFakeCloud } from './fake-cloud'

jest.mock('../../src/services/platform', () => require('../support/mock-platform').platformModule)

configure({ asyncUtilTimeout: 5_000 })
jest.setTimeout(30_000)

let navigateTo: jest.SpyInstance
beforeEach(() => {
  navigateTo = jest.spyOn(Taro, 'navigateTo').mockImplementation(async () => ({ errMsg: 'navigateTo:ok' }))
})
afterEach(() => jest.restoreAllMocks())

const text = (el: HTMLElement) => el.textContent ?? ''
const sent = (action: string) => pageCloud.sent.filter((s) => s.action === action)

/** Every optional consent given a day ago (automatic debit on the WE2000 line). */
const given = (): ConsentView[] => [
  { kind: 'userAgreement', version: '2026-11-01', at: NOW - DAY_MS },
  { kind: 'privacyPolicy', version: '2026-12-01', at: NOW - DAY_MS },
  { kind: 'biometricConsent', version: '2026-11-01', at: NOW - DAY_MS },
  { kind: 'financialDataConsent', version: '2026-12-01', at: NOW - DAY_MS },
  { kind: 'autoDebit', product: 'we2000', on: true, at: NOW - DAY_MS + 1 },
  { kind: 'reminders', at: NOW - DAY_MS + 2 },
]

/** A withdrawal as the server answers it: the consents as they are now, the withdrawal among them. */
function withdrawn(kind: WithdrawableConsent, list: ConsentView[]): WithdrawResult {
  const stops: Record<WithdrawableConsent, string[]> = {
    biometricConsent: ['人脸核身不可用', '小鹅花钱暂不能借款'],
    financialDataConsent: ['预审、开通和借款需要重新授权'],
    autoDebit: ['WE2000 的借款到期需手动还款'],
    reminders: ['不再发送订阅消息提醒（消息中心仍会显示）'],
  }
  return {
    kind,
    withdrawnAt: NOW,
    wasGiven: true,
    stops: stops[kind],
    again: '在“协议与授权”页重新勾选即可恢复。',
    consents: [...list, { kind, withdrawn: true, at: NOW }],
  }
}

function myData(over: Record<string, Parameters<typeof useFakeCloud>[0][string]> = {}) {
  const list = given()
  useFakeCloud({
    'onboarding.status': () => ok(makeStatus()),
    'account.consents': () => ok(list),
    'account.withdrawConsent': (data) => ok(withdrawn(data.kind as WithdrawableConsent, list)),
    ...over,
  })
  render(<MyData />)
}

const card = (kind: string) =>
  screen.getAllByTestId('optional-consent').find((c) => c.getAttribute('data-kind') === kind)!

describe('撤回授权', () => {
  it.each([
    ['biometricConsent', '生物识别（人脸核身）'],
    ['financialDataConsent', '金融信息'],
    ['autoDebit', '自动扣款'],
    ['reminders', '还款提醒'],
  ] as const)(
    '%s: the dialog says exactly what stops working — the server’s own list — before anything is sent',
    async (kind, name) => {
      myData()
      await screen.findAllByTestId('optional-consent')
      expect(text(within(card(kind)).getByTestId('optional-state'))).toBe(`已授权（${dateTime(NOW - DAY_MS)}）`)
      fireEvent.click(screen.getByLabelText(`撤回${name}授权`))
      const dialog = screen.getByRole('alertdialog', { name: `确认撤回${name}授权` })
      // The list the server's answer gives afterwards (server/app/consent-withdrawal.ts answers WITHDRAWAL_EFFECTS).
      expect(text(within(dialog).getByTestId('withdraw-stops'))).toBe(
        WITHDRAWAL_EFFECTS[kind].stops.map((line) => `· ${line}`).join(''),
      )
      expect(text(dialog)).toContain('撤回会被记录，原来的授权记录不会删除')
      expect(sent('withdrawConsent')).toEqual([])
      // 取消: nothing happens.
      fireEvent.click(within(dialog).getByLabelText('取消'))
      expect(screen.queryByRole('alertdialog')).toBeNull()
      expect(sent('withdrawConsent')).toEqual([])
    },
  )

  it('confirmed: the server’s word on what stopped and how to give it again, and the withdrawal kept in the history', async () => {
    myData()
    await screen.findAllByTestId('optional-consent')
    fireEvent.click(screen.getByLabelText('撤回生物识别（人脸核身）授权'))
    fireEvent.click(within(screen.getByRole('alertdialog')).getByLabelText('确认撤回'))
    const result = await screen.findByTestId('withdraw-result')
    expect(sent('withdrawConsent').map((s) => s.data)).toEqual([{ kind: 'biometricConsent' }])
    expect(text(result)).toContain(`已撤回生物识别（人脸核身）授权（${dateTime(NOW)}）`)
    expect(text(within(result).getByTestId('withdraw-result-stops'))).toContain('· 人脸核身不可用')
    expect(text(within(result).getByTestId('withdraw-result-stops'))).toContain('· 小鹅花钱暂不能借款')
    expect(text(within(result).getByTestId('withdraw-again'))).toBe('如需恢复：在“协议与授权”页重新勾选即可恢复。')
    // The card says so, and offers no second 撤回.
    await waitFor(() =>
      expect(text(within(card('biometricConsent')).getByTestId('optional-state'))).toBe(`已撤回（${dateTime(NOW)}）`),
    )
    expect(within(card('biometricConsent')).queryByText('撤回')).toBeNull()
    // Giving it again is where it was given: the agreements page.
    expect(text(within(card('biometricConsent')).getByTestId('optional-where'))).toContain('生物识别信息单独授权')
    fireEvent.click(within(card('biometricConsent')).getByLabelText('去授权生物识别（人脸核身）'))
    expect(navigateTo).toHaveBeenCalledWith({ url: '/pages/onboarding/agreements/index' })
    // Never hidden: the grant and its withdrawal, both in the history.
    const history = screen.getByTestId('consents')
    const records = Array.from(history.querySelectorAll<HTMLElement>('[data-kind="biometricConsent"]'))
    expect(records.map((r) => r.getAttribute('data-withdrawn'))).toEqual(['false', 'true'])
    expect(text(records[1])).toContain('已撤回')
    expect(text(records[1])).toContain(dateTime(NOW))
    // The account's status is read again (what the other pages ask for follows from it).
    expect(sent('status')).toHaveLength(2)
  })

  it('a refused withdrawal: the error in the dialog, with a retry', async () => {
    myData({ 'account.withdrawConsent': () => refuse('NETWORK_ERROR') })
    await screen.findAllByTestId('optional-consent')
    fireEvent.click(screen.getByLabelText('撤回还款提醒授权'))
    fireEvent.click(within(screen.getByRole('alertdialog')).getByLabelText('确认撤回'))
    const dialog = await screen.findByRole('alertdialog')
    await within(dialog).findByTestId('error-notice')
    expect(screen.queryByTestId('withdraw-result')).toBeNull()
  })

  it('where each consent stands: the newest record decides; automatic debit per line, until withdrawn', () => {
    const list = given()
    expect(consentStanding(list, 'biometricConsent')).toMatchObject({ given: true, since: NOW - DAY_MS })
    const after = [...list, { kind: 'biometricConsent' as const, withdrawn: true, at: NOW }]
    expect(consentStanding(after, 'biometricConsent')).toEqual({
      kind: 'biometricConsent',
      given: false,
      since: null,
      withdrawnAt: NOW,
    })
    const regiven = [...after, { kind: 'biometricConsent' as const, at: NOW + 1 }]
    expect(consentStanding(regiven, 'biometricConsent')).toMatchObject({
      given: true,
      since: NOW + 1,
      withdrawnAt: NOW,
    })
    // Automatic debit: on for one line, off for another; a withdrawal ends both.
    const debit: ConsentView[] = [
      { kind: 'autoDebit', product: 'we2000', on: true, at: 1 },
      { kind: 'autoDebit', product: 'xiaoe', on: false, at: 2 },
    ]
    expect(consentStanding(debit, 'autoDebit')).toMatchObject({ given: true, since: 1 })
    expect(consentStanding([...debit, { kind: 'autoDebit', withdrawn: true, at: 3 }], 'autoDebit')).toMatchObject({
      given: false,
      withdrawnAt: 3,
    })
    expect(consentStanding([], 'reminders')).toMatchObject({ given: false, withdrawnAt: null })
  })
})

describe('删除数据: what stays', () => {
  it('each kept item with why and 保留至 its date (China calendar); one an open loan still needs, until it closes', async () => {
    // 2031-11-28 00:30 in China is still 2031-11-27 in UTC: the date shown is China's.
    const until = Date.UTC(2031, 10, 27, 16, 30)
    const answer: DeleteResult = {
      deleted: { consents: 6, requests: 3 },
      kept: [
        { what: '借款合同与电子凭证（已脱敏）', why: '依法须在最后一笔借款结清后保留 5 年', until },
        { what: '借款 L_1 的合同与交易记录', why: '借款存续期间依法须保留合同与交易记录', until: null },
      ],
    }
    myData({ 'account.delete': () => ok(answer) })
    await screen.findAllByTestId('optional-consent')
    fireEvent.click(screen.getByLabelText('删除我的数据'))
    fireEvent.click(within(screen.getByTestId('delete-confirm')).getByLabelText('确认删除'))
    const kept = await screen.findByTestId('delete-kept')
    const items = within(kept).getAllByTestId('kept-item')
    expect(text(items[0])).toContain('借款合同与电子凭证（已脱敏）')
    expect(text(items[0])).toContain('原因：依法须在最后一笔借款结清后保留 5 年')
    expect(text(within(items[0]).getByTestId('kept-until'))).toBe('保留至 2031年11月28日')
    expect(text(within(items[1]).getByTestId('kept-until'))).toBe('保留至：借款结清后开始计算保留期限')
    expect(sent('delete').map((s) => s.data)).toEqual([{ confirm: true }])
  })
})
