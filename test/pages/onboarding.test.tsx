/**
 * The onboarding pages in jsdom, through Taro's H5 components, talking to a real in-process
 * local cloud (the real handlers on SQLite); only the transport is swapped for a direct call.
 */
import { fireEvent, render, screen, waitFor, within } from '@testing-library/react'
import Taro from '@tarojs/taro'
import type { ApiResult } from '../../src/api'
import Agreements from '../../src/pages/onboarding/agreements/index'
import RealName from '../../src/pages/onboarding/real-name/index'
import { ALL_AGREEMENTS, makeTestCloud, type TestCloud } from '../support/cloud'
import { makeIdNumber } from '../support/factories'
import { typeInto } from '../support/page-input'

let mockCloud: TestCloud
const mockSent: Array<{ fn: string; action: string; requestId?: string }> = []

jest.mock('../../src/services/platform', () => ({
  platform: {
    send: async (
      fn: string,
      envelope: { action: string; data: Record<string, unknown>; requestId?: string },
    ): Promise<ApiResult<unknown>> => {
      mockSent.push({ fn, action: envelope.action, requestId: envelope.requestId })
      return mockCloud.call(fn as never, envelope.action, envelope.data, {
        user: 'alice',
        requestId: envelope.requestId ?? null,
      })
    },
    entryScene: () => undefined,
    needsSignIn: () => false,
    personas: async () => [],
    signIn: async () => ({ ok: true, data: { openid: 'o_dev_alice' } }),
    signOut: () => undefined,
  },
}))

let redirectTo: jest.SpyInstance
beforeEach(async () => {
  mockCloud = await makeTestCloud()
  mockSent.length = 0
  redirectTo = jest.spyOn(Taro, 'redirectTo').mockImplementation(async () => ({ errMsg: 'redirectTo:ok' }))
})
afterEach(() => {
  redirectTo.mockRestore()
  mockCloud.close()
})

/** Renders the real-name page, fills it in, waits for the button to enable, and submits. */
async function submitRealName(name: string, idNumber: string, mobile: string) {
  render(<RealName />)
  await screen.findByLabelText('提交实名认证')
  await typeInto('姓名', name)
  await typeInto('身份证号', idNumber)
  await typeInto('手机号', mobile)
  await waitFor(() => expect(screen.getByLabelText('提交实名认证').className).not.toMatch(/disabled/))
  fireEvent.click(screen.getByLabelText('提交实名认证'))
}

describe('agreements page', () => {
  it('continue stays disabled until both required texts are ticked; then consents are stored and the user moves on', async () => {
    render(<Agreements />)
    const button = await screen.findByLabelText('同意并继续')
    expect(button.className).toMatch(/disabled/)
    await screen.findByTestId('agreement-userAgreement')
    for (const kind of ['userAgreement', 'privacyPolicy', 'financialDataConsent']) {
      fireEvent.click(within(screen.getByTestId(`agreement-${kind}`)).getByLabelText(/《|授权/))
    }
    await waitFor(() => expect(button.className).not.toMatch(/disabled/))
    fireEvent.click(button)
    await waitFor(() => expect(redirectTo).toHaveBeenCalledWith({ url: '/pages/onboarding/real-name/index' }))
    const user = await mockCloud.ports.store.get<{ agreements: Record<string, unknown> }>('users', 'o_dev_alice')
    expect(Object.keys(user!.data.agreements).sort()).toEqual([
      'financialDataConsent',
      'privacyPolicy',
      'userAgreement',
    ])
    expect(mockSent.find((s) => s.action === 'acceptAgreements')?.requestId).toMatch(/^r[0-9a-f]{24}$/)
  })
})

describe('real-name page', () => {
  beforeEach(async () => {
    await mockCloud.call('onboarding', 'acceptAgreements', {
      accepted: ALL_AGREEMENTS.slice(0, 2),
    })
  })

  it('shows a wrong check digit before sending anything, and sends nothing while the form is invalid', async () => {
    render(<RealName />)
    await screen.findByLabelText('提交实名认证')
    const good = makeIdNumber()
    await typeInto('姓名', '张三')
    await typeInto('身份证号', good.slice(0, 17) + (good[17] === '0' ? '1' : '0'))
    await typeInto('手机号', '13812345678')
    expect(await screen.findByText('身份证号校验位不正确，请核对每一位。')).toBeTruthy()
    fireEvent.click(screen.getByLabelText('提交实名认证'))
    expect(mockSent.filter((s) => s.action === 'verifyIdentity')).toEqual([])
  })

  it('a valid identity is verified on the server, stored masked, and the user goes on to the pre-check', async () => {
    await submitRealName('张三', makeIdNumber(), '13812345678')
    await waitFor(() => expect(redirectTo).toHaveBeenCalledWith({ url: '/pages/onboarding/precheck/index' }))
    expect(await mockCloud.call('onboarding', 'status')).toMatchObject({ data: { identity: { name: '*三' } } })
  })

  it("the server's refusal shows on the field it is about", async () => {
    await submitRealName('张不符', makeIdNumber(), '13812345678')
    expect(await screen.findByText('姓名与身份证号码不一致，请核对后重试。')).toBeTruthy()
    expect(redirectTo).not.toHaveBeenCalled()
  })
})
