// Deploy unit for the `merchants` cloud function: WeChat adapters around the shared handler.
import { createMain } from '../../server/app/handler'
import { wechatPorts, whoIsWechat } from '../../server/wechat/ports'

export const main = createMain('merchants', wechatPorts, whoIsWechat)
