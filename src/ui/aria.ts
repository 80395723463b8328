// A role as each build's reader takes it: `role` in the browser; in the mini-program WeChat's own
// `aria-role` too (its 无障碍 reads that attribute, and ignores `role`). `aria-role` in a browser is
// no ARIA attribute at all: a screen reader would never hear the role (config/aria-role-loader.js
// does the same for NutUI's components in the H5 build).
export const roleProps = (role: string): object =>
  process.env.TARO_ENV === 'weapp' ? { role, 'aria-role': role } : { role }
