// A signed contract's PDF in WeChat: downloaded from its short-lived address (wx.downloadFile),
// then shown by WeChat's document viewer (wx.openDocument), whose menu saves or forwards it.
import Taro from '@tarojs/taro'

export async function openPdf(url: string): Promise<'opened' | 'failed'> {
  try {
    const file = await Taro.downloadFile({ url })
    if (file.statusCode !== 200 || !file.tempFilePath) return 'failed'
    await Taro.openDocument({ filePath: file.tempFilePath, fileType: 'pdf', showMenu: true })
    return 'opened'
  } catch {
    return 'failed'
  }
}
