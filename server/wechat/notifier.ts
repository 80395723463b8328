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
  }): Promise<{ errCode?: number; errMsg?: string }>
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
      const r = await this.api().send({
        touser: m.openid,
        templateId: m.templateId,
        page: m.page,
        data: m.data,
        miniprogramState: this.miniprogramState,
      })
      if (!r.errCode) return { ok: true }
      return {
        ok: false,
        reason: r.errCode === NO_GRANT_ERRCODE ? 'NO_GRANT' : 'FAILED',
        detail: `${r.errCode} ${r.errMsg ?? ''}`.trim(),
      }
    } catch (error) {
      // The SDK throws on a non-zero errCode; the code is on the error.
      const code = (error as { errCode?: number }).errCode
      const detail = `${code ?? ''} ${error instanceof Error ? error.message : String(error)}`.trim()
      return { ok: false, reason: code === NO_GRANT_ERRCODE ? 'NO_GRANT' : 'FAILED', detail }
    }
  }
}
