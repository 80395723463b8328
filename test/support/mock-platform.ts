// For page tests in jsdom: the platform (src/services/platform) with the transport swapped for a
// direct call into an in-process local cloud (the real handlers on SQLite). WeChat-only pages
// (pay score, face, subscribe) answer as the test sets them.
//
//   jest.mock('../../src/services/platform', () => require('../support/mock-platform').platformModule)
//   beforeEach(async () => { pageCloud.cloud = await makeTestCloud(); pageCloud.reset() })
import type { ApiResult } from '../../src/api'
import type { TestCloud } from './cloud'

export const pageCloud = {
  cloud: null as TestCloud | null,
  user: 'alice',
  sent: [] as Array<{ fn: string; action: string; data: Record<string, unknown>; requestId?: string }>,
  /** What the simulated face page does: the outcome is set on the face simulator, as /__dev/face does. */
  faceOutcome: 'pass' as 'pass' | 'fail' | 'cancel' | 'timeout',
  payScoreChoice: 'returned' as 'returned' | 'cancelled',
  /** What the payer does in the payment sheet; the simulated WeChat Pay then calls back, as /__dev/payments does. */
  paymentOutcome: 'success' as 'success' | 'fail' | 'cancel',
  subscribeAccepts: true,
  /** Set to make every call fail as a dropped connection would. */
  offline: false,
  /** The calls (`fn.action`) that fail as a dropped connection would, while the others go through. */
  down: new Set<string>(),
  reset() {
    this.user = 'alice'
    this.sent.length = 0
    this.faceOutcome = 'pass'
    this.payScoreChoice = 'returned'
    this.paymentOutcome = 'success'
    this.subscribeAccepts = true
    this.offline = false
    this.down.clear()
    // The app's catalogs are per session: each test starts without any.
    ;(require('../../src/services/catalog') as typeof import('../../src/services/catalog')).forgetCatalogs()
  },
}

export const platformModule = {
  platform: {
    async send(
      fn: string,
      envelope: { action: string; data: Record<string, unknown>; requestId?: string },
    ): Promise<ApiResult<unknown>> {
      pageCloud.sent.push({ fn, action: envelope.action, data: envelope.data, requestId: envelope.requestId })
      if (pageCloud.offline || pageCloud.down.has(`${fn}.${envelope.action}`))
        return { ok: false, error: { code: 'NETWORK_ERROR', message: '网络连接失败，请检查网络后重试。' } }
      return pageCloud.cloud!.call(fn as never, envelope.action, envelope.data, {
        user: pageCloud.user,
        requestId: envelope.requestId ?? null,
      })
    },
    entryScene: (params: Record<string, string | undefined>) => params.scene,
    needsSignIn: () => false,
    personas: async () => [],
    signIn: async () => ({ ok: true, data: { openid: `o_dev_${pageCloud.user}` } }),
    signOut: () => undefined,
    openPayScore: async () => pageCloud.payScoreChoice,
    async runFace(verifyId: string) {
      const openid = `o_dev_${pageCloud.user}`
      await (
        pageCloud.cloud!.ports.face as unknown as { setOutcome: (...a: unknown[]) => Promise<boolean> }
      ).setOutcome(verifyId, openid, pageCloud.faceOutcome)
      return pageCloud.faceOutcome === 'cancel' ? 'cancelled' : 'finished'
    },
    async requestPayment({ paymentId }: { paymentId: string }) {
      if (pageCloud.paymentOutcome === 'cancel') return 'cancelled' as const
      await pageCloud.cloud!.ports.simulatePayment(`o_dev_${pageCloud.user}`, paymentId, {
        outcome: pageCloud.paymentOutcome,
      })
      return pageCloud.paymentOutcome === 'success' ? ('paid' as const) : ('failed' as const)
    },
    reminderTemplateIds: () => ['tpl_local_due', 'tpl_local_overdue'],
    requestSubscribe: async (ids: string[]) => (pageCloud.subscribeAccepts ? ids : []),
  },
}
