// A page opened with the network down: it shows the network error with 重试; the network comes
// back and 重试 is tapped. What the page shows then is the test's to check.
import type { ReactElement } from 'react'
import { fireEvent, render, screen, within } from '@testing-library/react'
import { ERRORS } from '../../src/api'
import { pageCloud } from './mock-platform'

export async function openOfflineThenRetry(ui: ReactElement): Promise<void> {
  pageCloud.offline = true
  render(ui)
  const notice = await screen.findByTestId('error-notice')
  expect(notice.textContent).toContain(ERRORS.NETWORK_ERROR)
  pageCloud.offline = false
  // By its accessible name: the retry is a button a screen reader can find.
  fireEvent.click(within(notice).getByLabelText('重试'))
}
