// The browser's Textarea and RichText, made here instead of taken from @tarojs/components. Webpack
// keeps every export of @tarojs/components' React wrappers that any page uses in each page chunk
// that holds the wrappers, so importing these two from there put both web components (8 KB, 2.7 KB
// gzip) into the home page's chunk, which shows neither.
import type { RichText as TaroRichText, Textarea as TaroTextarea } from '@tarojs/components'
import { createReactComponent } from '@tarojs/components/lib/react/react-component-lib'
import { manipulatePropsFunction } from '@tarojs/components/lib/react/helper'
import { defineCustomElement as defineTextarea } from '@tarojs/components/dist/components/taro-textarea-core'
import { defineCustomElement as defineRichText } from '@tarojs/components/dist/components/taro-rich-text-core'

export const Textarea = createReactComponent(
  'taro-textarea-core',
  undefined,
  manipulatePropsFunction,
  defineTextarea,
) as unknown as typeof TaroTextarea
export const RichText = createReactComponent(
  'taro-rich-text-core',
  undefined,
  manipulatePropsFunction,
  defineRichText,
) as unknown as typeof TaroRichText
