// Deploy unit for the `onboarding` cloud function: WeChat adapters around the shared handler.
import { createMain } from '../../server/app/handler'
import { wechatPorts, whoIsWechat } from '../../server/wechat/ports'

export const main = createMain('onboarding', wechatPorts, whoIsWechat)
