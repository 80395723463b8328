// Deploy unit for `payCallback`: the function WeChat Pay calls when a cloud-pay order is paid
// (unifiedOrder's functionName). It trusts nothing in its event but the order number: it asks
// WeChat Pay (queryOrder) and records what that says, once, answering { errcode: 0 } only after
// the outcome is stored, so that WeChat Pay delivers it again otherwise.
import { createPayCallback } from '../../server/app/payments'
import { wechatPorts } from '../../server/wechat/ports'

export const main = createPayCallback(wechatPorts)
