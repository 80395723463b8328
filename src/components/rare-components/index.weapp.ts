// WeChat: its own textarea and rich-text (see index.h5.ts for why the browser's differ).
export { RichText, Textarea } from '@tarojs/components'
