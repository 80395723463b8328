/**
 * The home tab in jsdom against an in-process local cloud: before verification it answers from
 * the catalog (ranges, APR beside the daily rate); after the real-name check, from the server's
 * pre-check; and "start" resumes where the server says.
 */
import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react'
import Taro from '@tarojs/taro'
import Index from '../../src/pages/index/index'
import { glance } from '../../src/hooks/use-entry'
import { DEFAULT_CATALOG } from '../../src/domain/catalog'
import { makeTestCloud } from '../support/cloud'
import { onboardBorrower } from '../support/borrower'
import { pageCloud } from '../support/mock-platform'

jest.mock('../../src/services/platform', () => require('../support/mock-platform').platformModule)

let navigateTo: jest.SpyInstance
beforeEach(async () => {
  pageCloud.cloud = await makeTestCloud()
  pageCloud.reset()
  navigateTo = jest.spyOn(Taro, 'navigateTo').mockImplementation(async () => ({ errMsg: 'navigateTo:ok' }))
  Taro.getCurrentInstance().router = { params: {}, path: '/pages/index/index' } as never
})
afterEach(() => {
  navigateTo.mockRestore()
  pageCloud.cloud?.close()
})

describe('home', () => {
  it('a new user sees every product with its limit range, daily rate and APR side by side', async () => {
    render(<Index />)
    const weilidai = await screen.findByTestId('glance-weilidai')
    expect(weilidai.textContent).toContain('仅限受邀用户')
    // The article's ¥300,000 is above the one-lender ceiling of the Interim Measures: shown clipped, and said.
    expect(weilidai.textContent).toContain('额度 ¥500–¥200,000（单户上限）')
    expect(weilidai.textContent).toContain('日利率 0.02%–0.05%')
    expect(weilidai.textContent).toMatch(/年化利率 7\.30%–\d+\.\d\d%/)
    const we2000 = screen.getByTestId('glance-we2000')
    expect(we2000.textContent).toContain('日利率 0.05%')
    expect(we2000.textContent).toContain('实名后即可预审')
    // WE2000's 1% withdrawal fee makes its APR higher than 0.05% × 365 = 18.25%.
    const [, low] = /年化利率 (\d+(?:\.\d+)?)%/.exec(we2000.textContent ?? '') ?? []
    expect(Number(low)).toBeGreaterThan(18.25)
    expect(screen.getByLabelText('开始开通').textContent).toBe('开始开通')
  })

  it('after the real-name check the pre-check answers for each product', async () => {
    await onboardBorrower(pageCloud.cloud!, 'frank')
    pageCloud.user = 'frank'
    render(<Index />)
    await waitFor(() => expect(screen.getByTestId('glance-weilidai').textContent).toContain('暂不能开通'))
    expect(screen.getByTestId('glance-weilidai').textContent).toContain('微粒贷仅限受邀用户开通')
    expect(screen.getByTestId('glance-we2000').textContent).toMatch(/可以开通 · 额度 ¥[\d,]+/)
    expect(screen.getByTestId('glance-xiaoe').textContent).toContain('需先完成：人脸核身')
  })

  it('start resumes where the server says: a card is bound, so the pay score is next', async () => {
    await onboardBorrower(pageCloud.cloud!, 'alice')
    render(<Index />)
    await waitFor(() => expect(screen.getByLabelText('继续开通').textContent).toBe('继续开通'))
    fireEvent.click(screen.getByLabelText('继续开通'))
    await waitFor(() => expect(navigateTo).toHaveBeenCalledWith({ url: '/pages/onboarding/pay-score/index' }))
  })

  it('a network failure on start shows the error and a retry that works', async () => {
    render(<Index />)
    await screen.findByTestId('glance')
    pageCloud.offline = true
    fireEvent.click(screen.getByLabelText('开始开通'))
    const notice = await screen.findByTestId('error-notice')
    expect(notice.textContent).toContain('网络连接失败')
    pageCloud.offline = false
    await act(async () => {
      fireEvent.click(within(notice).getByText('重试'))
    })
    await waitFor(() => expect(navigateTo).toHaveBeenCalledWith({ url: '/pages/onboarding/agreements/index' }))
  })

  it('shows the merchant the code named', async () => {
    Taro.getCurrentInstance().router = { params: { scene: encodeURIComponent('m=cafe01') }, path: '/' } as never
    render(<Index />)
    expect((await screen.findByTestId('merchant')).textContent).toContain('街角咖啡（演示商户）')
  })
})

/**
 * Regression (review): with a cap under which a product has no offer at all, the range read
 * "Infinity%". It says that every offer is over the cap instead.
 */
describe('home: the APR at a glance under the cap', () => {
  const at = Date.UTC(2026, 10, 28, 2)
  const withCap = (capPercent: number) =>
    glance(
      DEFAULT_CATALOG,
      {
        capPercent,
        serverTime: at,
        products: [],
        ruleSetVersion: '',
        catalogVersion: '',
        score: 0,
        dimensions: {},
      } as never,
      at,
    )

  it('the offered range at the 24% default, with the clipped part said', () => {
    const we = withCap(24).find((p) => p.product === 'we2000')!
    expect(we.aprPercent!.max).toBeLessThanOrEqual(24)
    expect(we.clipped).toBe(true)
    expect(withCap(24).find((p) => p.product === 'weilidai')).toMatchObject({ clipped: false })
  })

  it('no range at all when every offer is over the cap', () => {
    const we = withCap(15).find((p) => p.product === 'we2000')!
    expect(we).toMatchObject({ aprPercent: null, clipped: true })
  })
})
