// @tarojs/taro in jest: the H5 implementation, as the browser build gets it.
import Taro from '@tarojs/taro-h5'

export * from '@tarojs/taro-h5'
export default Taro
