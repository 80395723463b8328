// The local notifier: subscribe messages go to an outbox collection a dev page can show.
import type { Ids, Notifier, NotifyResult, Store, SubscribeMessage } from '../../ports'

export const OUTBOX = 'outbox'

export interface OutboxDoc extends SubscribeMessage {
  at: number
}

export class OutboxNotifier implements Notifier {
  constructor(
    private readonly store: Store,
    private readonly ids: Ids,
    private readonly now: () => number,
  ) {}

  async send(m: SubscribeMessage): Promise<NotifyResult> {
    await this.store.insert<OutboxDoc>(OUTBOX, this.ids.next('msg'), { ...m, at: this.now() })
    return { ok: true }
  }
}
