// Deploy unit for the `console` cloud function: the operator console's one entry. In WeChat Cloud it
// is reached from the console's static website hosting through the HTTP access service (README,
// "The operator console"): the HTTP event carries the envelope as its body and the operator's
// session as `Authorization: Bearer <token>`; there is no WeChat user behind it.
import { consoleHttp } from '../../server/app/console/http'
import { createConsoleMain } from '../../server/app/console/main'
import { wechatPorts } from '../../server/wechat/ports'

export const main = consoleHttp(createConsoleMain(wechatPorts), () => process.env.KAITONG_CONSOLE_ORIGIN ?? '')
