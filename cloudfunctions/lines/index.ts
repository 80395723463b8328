// Deploy unit for the `lines` cloud function: WeChat adapters around the shared handler.
import { createMain } from '../../server/app/handler'
import { wechatPorts, whoIsWechat } from '../../server/wechat/ports'

export const main = createMain('lines', wechatPorts, whoIsWechat)
