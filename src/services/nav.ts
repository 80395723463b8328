// Moving between pages by name: tab pages by switchTab, every other page by navigateTo/redirectTo.
import Taro from '@tarojs/taro'
import { TAB_PAGES, pageUrl, type PageName } from '../routes'

type Query = Record<string, string | number | undefined>

export function go(page: PageName, query?: Query) {
  return Taro.navigateTo({ url: pageUrl(page, query) })
}

/** Replaces the current page (a finished step should not be one "back" away). */
export function replace(page: PageName, query?: Query) {
  return Taro.redirectTo({ url: pageUrl(page, query) })
}

export function goTab(tab: keyof typeof TAB_PAGES) {
  return Taro.switchTab({ url: TAB_PAGES[tab] })
}
