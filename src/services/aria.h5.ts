// The browser build renders aria-* attributes as they are; nothing to register. What it adds, for
// the keyboard (WCAG 2.1.1), in one place for every page:
// - Taro's H5 pages scroll inside their own container (.taro_page), which a keyboard could never
//   reach. Each page's container is made focusable as it is created, so Tab lands on it and the
//   arrow keys scroll it.
// - Every button (Taro's, and NutUI's, which wraps it) is a <taro-button-core>: a custom element,
//   not a <button>, so Tab passed it by and Enter or Space did nothing. Each one gets a place in
//   the Tab order (none while disabled, and aria-disabled then), the role of a button where it has
//   no role of its own (a chip is a radio), and a native button's keys: Enter presses it at once,
//   Space when it comes up on the button it went down on (and neither scrolls the page). Where the
//   focus is shows in app.scss.
// - NutUI's checkbox and switch are <taro-view-core>s with their role and a place in the Tab order,
//   but deaf to the keyboard: the agreements could not be ticked, so onboarding stopped at its
//   first step. Space toggles either, as it does a native checkbox; Enter a switch too (WAI-ARIA's
//   switch pattern).

const BUTTON = 'TARO-BUTTON-CORE'
/** Marks an aria-disabled set here (and so taken away here when the button is enabled again). */
const OURS = 'data-kt-disabled'

/** NutUI disables its buttons by a class (and while loading); Taro's by the attribute. */
const isDisabled = (el: Element) =>
  (el as { disabled?: unknown }).disabled === true ||
  (el.hasAttribute('disabled') && el.getAttribute('disabled') !== 'false') ||
  el.classList.contains('nut-button-disabled')

function keyboardReady(el: Element) {
  if (!(el instanceof HTMLElement)) return
  if (el.classList.contains('taro_page') && !el.hasAttribute('tabindex')) el.tabIndex = 0
  if (el.tagName !== BUTTON) return
  if (!el.hasAttribute('role')) el.setAttribute('role', 'button')
  const disabled = isDisabled(el)
  const tabIndex = disabled ? '-1' : '0'
  if (el.getAttribute('tabindex') !== tabIndex) el.setAttribute('tabindex', tabIndex)
  // A screen reader hears a disabled button as disabled (a custom element's `disabled` says nothing to it).
  if (disabled && !el.hasAttribute('aria-disabled')) {
    el.setAttribute('aria-disabled', 'true')
    el.setAttribute(OURS, '')
  } else if (!disabled && el.hasAttribute(OURS)) {
    el.removeAttribute('aria-disabled')
    el.removeAttribute(OURS)
  }
}

/** What a key pressed: a button, or a checkbox or switch that is not a button (NutUI's). */
type Pressed = { el: HTMLElement; kind: 'button' | 'checkbox' | 'switch' }

/** What a key went to, if it is something that can be pressed; a shortcut is not a press. */
function pressedOf(e: KeyboardEvent): Pressed | null {
  const t = e.target
  if (!(t instanceof HTMLElement) || e.ctrlKey || e.altKey || e.metaKey) return null
  if (t.tagName === BUTTON) return isDisabled(t) ? null : { el: t, kind: 'button' }
  const role = t.getAttribute('role')
  if ((role !== 'checkbox' && role !== 'switch') || t.getAttribute('aria-disabled') === 'true') return null
  return { el: t, kind: role }
}

if (typeof document !== 'undefined' && typeof MutationObserver !== 'undefined') {
  const watch = () => {
    document.querySelectorAll(`.taro_page, ${BUTTON}`).forEach(keyboardReady)
    new MutationObserver((records) => {
      for (const r of records) {
        // A button disabled or enabled again (NutUI's class, or the attribute) leaves or rejoins the Tab order.
        if (r.type === 'attributes') keyboardReady(r.target as Element)
        r.addedNodes.forEach((n) => {
          if (!(n instanceof Element)) return
          keyboardReady(n)
          n.querySelectorAll(`.taro_page, ${BUTTON}`).forEach(keyboardReady)
        })
      }
    }).observe(document.body, {
      childList: true,
      subtree: true,
      attributes: true,
      attributeFilter: ['disabled', 'class'],
    })
    /** What Space went down on: it is pressed when Space comes up on it, as a native control is. */
    let spaceOn: HTMLElement | null = null
    document.addEventListener('keydown', (e) => {
      const pressed = pressedOf(e)
      if (!pressed) return
      // A checkbox is toggled by Space alone.
      const enter = e.key === 'Enter' && pressed.kind !== 'checkbox'
      if (!enter && e.key !== ' ') return
      // Held down, neither key scrolls the page nor presses again.
      e.preventDefault()
      if (e.repeat) return
      if (enter) pressed.el.click()
      else spaceOn = pressed.el
    })
    document.addEventListener('keyup', (e) => {
      if (e.key !== ' ') return
      const pressed = pressedOf(e)
      if (pressed && pressed.el === spaceOn) pressed.el.click()
      spaceOn = null
    })
  }
  if (document.body) watch()
  else document.addEventListener('DOMContentLoaded', watch, { once: true })
}

export {}
