// Deploy unit for the `contracts` cloud function: WeChat adapters around the shared handler. Its
// folder also holds contract-font.otf (copied by the cloud build): the PDFs' CJK font.
import { createMain } from '../../server/app/handler'
import { wechatPorts, whoIsWechat } from '../../server/wechat/ports'

export const main = createMain('contracts', wechatPorts, whoIsWechat)
