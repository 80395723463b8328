// WeChat only: the aria-label / aria-role attributes config/aria-attributes.js adds to the
// template, registered with the runtime too (before the first render), so labels reach WeChat.
import { mergeInternalComponents } from '@tarojs/shared'
import ARIA_COMPONENTS from './aria-components.json'

mergeInternalComponents(ARIA_COMPONENTS)
