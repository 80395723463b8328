// Notifier through cloud.openapi.subscribeMessage.send (the sending function's config.json must
// list "subscribeMessage.send" in permissions.openapi).
import type { NotifyResult, Notifier, SubscribeMessage } from '../ports'

interface SubscribeMessageApi {
  send(opts: {
    touser: string
    templateId: string
    page: string
    data: SubscribeMessage['data']
    miniprogramState: string
  }): Promise<unknown>
}

/** 43101: the user refused, or no one-time grant is left. */
export const NO_GRANT_ERRCODE = 43101

export class WechatNotifier implements Notifier {
  constructor(
    private readonly api: () => SubscribeMessageApi,
    private readonly miniprogramState: 'formal' | 'trial' | 'developer' = 'formal',
  ) {}

  async send(m: SubscribeMessage): Promise<NotifyResult> {
    try {
      // The SDK resolves only on errcode 0: any other answer (43101 included) is thrown.
      await this.api().send({
        touser: m.openid,
        templateId: m.templateId,
        page: m.page,
        data: m.data,
        miniprogramState: this.miniprogramState,
      })
      return { ok: true }
    } catch (error) {
      // WeChat's errcode is on the error, as `errCode`.
      const code = (error as { errCode?: number }).errCode
      const detail = `${code ?? ''} ${error instanceof Error ? error.message : String(error)}`.trim()
      return { ok: false, reason: code === NO_GRANT_ERRCODE ? 'NO_GRANT' : 'FAILED', detail }
    }
  }
}
