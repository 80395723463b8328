// WeChat reads aria-label / aria-role on its components (无障碍), but Taro 4.2's weapp template
// does not bind them, so every label the pages set was dropped in the mini-program. This adds
// them to the components the pages label; src/services/aria.weapp.ts adds the same attributes
// at run time, so the runtime's attribute aliases match the template's (both are sorted).
const ARIA_COMPONENTS = require('../src/services/aria-components.json')

module.exports = () => {
  // The template builder keeps its own copy of the component table.
  const { internalComponents } = require('@tarojs/shared/dist/template')
  for (const [name, attributes] of Object.entries(ARIA_COMPONENTS)) Object.assign(internalComponents[name], attributes)
}
