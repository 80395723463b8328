// The H5 build only: NutUI's Taro components pass WeChat's `ariaRole` (rendered `aria-role`, which
// WeChat's 无障碍 reads) for their checkboxes, radios, switches, dialogs and toasts. In a browser
// `aria-role` is no ARIA attribute: screen readers ignore it, and the `aria-checked` beside it is
// then not allowed either. Here it becomes `role`, once, at build time; the weapp build keeps
// NutUI's code as it is.
module.exports = function ariaRoleToRole(source) {
  return source.replace(/\bariaRole:/g, 'role:')
}
