// Deploy unit for the `payments` cloud function: a borrower's payments (get, list), each asked of
// WeChat Pay while pending, with WeChat adapters around the shared handler.
import { createMain } from '../../server/app/handler'
import { wechatPorts, whoIsWechat } from '../../server/wechat/ports'

export const main = createMain('payments', wechatPorts, whoIsWechat)
