// Deploy unit for the `loans` cloud function: WeChat adapters around the shared handler.
import { createMain } from '../../server/app/handler'
import { wechatPorts, whoIsWechat } from '../../server/wechat/ports'

export const main = createMain('loans', wechatPorts, whoIsWechat)
