// The browser build renders aria-* attributes as they are; nothing to register. What it adds:
// Taro's H5 pages scroll inside their own container (.taro_page), which a keyboard could never
// reach (WCAG 2.1.1). Each page's container is made focusable as it is created, so Tab lands on
// it and the arrow keys scroll it — one place for every page.
const focusable = (el: Element) => {
  if (el instanceof HTMLElement && el.classList.contains('taro_page') && !el.hasAttribute('tabindex')) el.tabIndex = 0
}

if (typeof document !== 'undefined' && typeof MutationObserver !== 'undefined') {
  const watch = () => {
    document.querySelectorAll('.taro_page').forEach(focusable)
    // Only what was added is looked at: a page's container arrives once, when the page opens.
    new MutationObserver((records) => {
      for (const r of records) r.addedNodes.forEach((n) => n instanceof Element && focusable(n))
    }).observe(document.body, { childList: true, subtree: true })
  }
  if (document.body) watch()
  else document.addEventListener('DOMContentLoaded', watch, { once: true })
}

export {}
