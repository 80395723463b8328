// For page tests in jsdom: typing into a page's input as the user would.
import { fireEvent, screen, waitFor } from '@testing-library/react'

/** Taro's H5 inputs hydrate asynchronously: wait for the real <input> inside, then type (and leave it, unless `blur` is false). */
export async function typeInto(label: string, value: string, blur = true) {
  const input = await waitFor(() => {
    const host = screen.getByLabelText(label)
    const el = host.tagName === 'INPUT' ? host : host.querySelector('input')
    if (!el) throw new Error(`no input yet for ${label}`)
    return el as HTMLInputElement
  })
  input.value = value
  fireEvent.input(input, { target: { value } })
  if (blur) fireEvent.blur(input)
}
