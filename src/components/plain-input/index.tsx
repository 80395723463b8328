// NutUI's Input without its clear button. Every NutUI Input renders its clear icon even when it is
// not clearable (hidden): an inline SVG of 1.2 KB in each setData that draws a form, 16.8 KB of the
// offer builder's first one. None of ours is clearable, so the icon is an empty Text instead.
import { Input, type InputProps } from '@nutui/nutui-react-taro'
import { Text } from '@tarojs/components'

const NO_CLEAR_ICON = <Text />

export function PlainInput(props: Partial<InputProps> & Record<string, unknown>) {
  return <Input {...props} clearable={false} clearIcon={NO_CLEAR_ICON} />
}
