// Deploy unit for the `reminders` cloud function: the timer (reminders + overdue marking) and
// the grant / inbox actions, with WeChat adapters around the shared handler.
import { createRemindersMain } from '../../server/app/timer'
import { wechatPorts, whoIsWechat } from '../../server/wechat/ports'

export const main = createRemindersMain(wechatPorts, whoIsWechat)
