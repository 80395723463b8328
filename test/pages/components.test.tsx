/** The shared pieces every page is built of: what they render, through Taro's H5 components. */
import { fireEvent, render, screen } from '@testing-library/react'
import { Action, Actions } from '../../src/components/action'
import { Page } from '../../src/components/page'
import { Row } from '../../src/components/row'

describe('Action', () => {
  it('keeps the component library’s default size unless small; its label is what a screen reader reads', () => {
    const tapped = jest.fn()
    render(
      <Actions testId="row">
        <Action primary label="全部还清，¥1,000.00" onTap={tapped}>
          全部还清 ¥1,000.00
        </Action>
        <Action small label="去授权" onTap={tapped} />
      </Actions>,
    )
    const full = screen.getByLabelText('全部还清，¥1,000.00')
    expect(full.className).toMatch(/nut-button-normal/)
    expect(full.className).toMatch(/nut-button-block/)
    expect(full.className).toMatch(/nut-button-primary/)
    expect(full.textContent).toBe('全部还清 ¥1,000.00')
    const small = screen.getByLabelText('去授权')
    expect(small.className).toMatch(/nut-button-small/)
    expect(small.className).not.toMatch(/nut-button-block|undefined/)
    expect(small.textContent).toBe('去授权')
    fireEvent.click(small)
    expect(tapped).toHaveBeenCalledTimes(1)
    expect(screen.getByTestId('row').className).toBe('kt-actions')
  })

  it('a disabled action cannot be tapped', () => {
    const tapped = jest.fn()
    render(<Action label="确认绑定" disabled onTap={tapped} />)
    fireEvent.click(screen.getByLabelText('确认绑定'))
    expect(tapped).not.toHaveBeenCalled()
  })
})

describe('Page and Row', () => {
  it('a page has its title and subtitle when given, and only then', () => {
    const { container } = render(
      <Page title="借款详情" subtitle="按北京时间">
        <Row label="借款金额" value="¥1,000.00" className="detail-amount" testId="amount" />
        <Row plain label="姓名" value="*三" />
      </Page>,
    )
    expect(container.querySelector('.kt-title')?.textContent).toBe('借款详情')
    expect(container.querySelector('.kt-subtitle')?.textContent).toBe('按北京时间')
    const row = screen.getByTestId('amount')
    expect(row.children[0].className).toContain('kt-muted')
    expect(row.children[1].className).toContain('detail-amount')
    expect(screen.getByText('姓名').className).not.toContain('kt-muted')
    render(<Page>{null}</Page>)
    expect(document.querySelectorAll('.kt-title')).toHaveLength(1)
  })
})
