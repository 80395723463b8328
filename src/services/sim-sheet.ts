// Browser only (imported by platform.h5.ts): a bottom sheet that stands in for WeChat's own
// full-screen pages — pay-score authorization, face verification, the subscribe dialog — which
// exist only inside WeChat. Plain DOM, so it never reaches the weapp build.

export interface SheetChoice<T extends string> {
  value: T
  label: string
  primary?: boolean
}

export function showSheet<T extends string>(opts: {
  title: string
  body: string
  choices: Array<SheetChoice<T>>
  testId: string
}): Promise<T> {
  return new Promise((resolve) => {
    const overlay = document.createElement('div')
    overlay.setAttribute('data-testid', opts.testId)
    overlay.setAttribute('role', 'dialog')
    overlay.setAttribute('aria-modal', 'true')
    overlay.setAttribute('aria-label', opts.title)
    overlay.style.cssText =
      'position:fixed;inset:0;z-index:10000;background:rgba(0,0,0,.45);display:flex;align-items:flex-end;justify-content:center'
    const sheet = document.createElement('div')
    sheet.style.cssText =
      'background:#fff;width:100%;max-width:375px;border-radius:16px 16px 0 0;padding:20px 16px 28px;box-sizing:border-box;font-size:15px;color:#1a1a1a'
    const tag = document.createElement('div')
    tag.textContent = '本地模拟 · 仅浏览器开发模式'
    tag.style.cssText = 'font-size:12px;color:#a15c00;margin-bottom:8px'
    const title = document.createElement('div')
    title.textContent = opts.title
    title.style.cssText = 'font-size:18px;font-weight:600;margin-bottom:8px'
    const body = document.createElement('div')
    body.textContent = opts.body
    body.style.cssText = 'color:#5c5c5c;margin-bottom:16px;line-height:1.5'
    sheet.append(tag, title, body)
    for (const choice of opts.choices) {
      const button = document.createElement('button')
      button.type = 'button'
      button.textContent = choice.label
      button.setAttribute('aria-label', choice.label)
      button.style.cssText = `display:block;width:100%;min-height:44px;margin-top:10px;border-radius:22px;font-size:16px;border:1px solid ${
        choice.primary ? '#087a4c' : '#d0d0d0'
      };background:${choice.primary ? '#087a4c' : '#fff'};color:${choice.primary ? '#fff' : '#1a1a1a'}`
      button.addEventListener('click', () => {
        overlay.remove()
        resolve(choice.value)
      })
      sheet.append(button)
    }
    overlay.append(sheet)
    document.body.append(overlay)
  })
}
