// A role as each build's reader takes it: `role` in the browser; in the mini-program WeChat's own
// `aria-role` too (its 无障碍 reads that attribute, and ignores `role`). `aria-role` in a browser is
// no ARIA attribute at all: a screen reader would never hear the role (config/aria-role-loader.js
// does the same for NutUI's components in the H5 build).
export const roleProps = (role: string): object =>
  process.env.TARO_ENV === 'weapp' ? { role, 'aria-role': role } : { role }

/**
 * A name for WeChat's 无障碍 only. WeChat does not name a tappable View from its text, so a card
 * there needs its aria-label; in the browser the card is named by all it shows (a shorter label
 * would hide what is seen from a screen reader, WCAG 2.5.3), so it carries none.
 */
export const weappLabel = (label: string): object => (process.env.TARO_ENV === 'weapp' ? { 'aria-label': label } : {})

/** The keys of a press, as a browser gives them (Taro passes the DOM's KeyboardEvent on). */
interface PressKey {
  key?: string
  repeat?: boolean
  ctrlKey?: boolean
  altKey?: boolean
  metaKey?: boolean
  target?: unknown
  currentTarget?: unknown
  preventDefault?: () => void
}

/** A plain press on the row itself: not a held key repeating, not a shortcut, not a control inside it. */
const plainPress = (e: PressKey) =>
  !e.repeat && !e.ctrlKey && !e.altKey && !e.metaKey && (e.currentTarget === undefined || e.target === e.currentTarget)

/**
 * What makes a View a button: its role (and WeChat's aria-role), and in the browser a place in the
 * Tab order and the keys of a native button (WCAG 2.1.1: everything a tap does, a keyboard does):
 * Enter presses it at once, Space when it is let go (and does not scroll the page). Spread it on
 * the View instead of onClick.
 */
export function pressable(onPress: () => void): object {
  if (process.env.TARO_ENV === 'weapp') return { ...roleProps('button'), onClick: onPress }
  return {
    role: 'button',
    tabIndex: 0,
    onClick: onPress,
    onKeyDown: (e: PressKey) => {
      if (!plainPress(e)) return
      if (e.key === ' ') e.preventDefault?.()
      if (e.key !== 'Enter') return
      e.preventDefault?.()
      onPress()
    },
    onKeyUp: (e: PressKey) => {
      if (e.key === ' ' && plainPress(e)) onPress()
    },
  }
}
