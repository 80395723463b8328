// Runs the REAL compiled mini-program (dist/) in miniprogram-simulate with WeChat's official
// wxml compiler. Taro pages call Page(), which the simulator lacks, so Page becomes a Component
// whose attach runs the page lifecycle. wx.cloud.callFunction reaches an in-process local cloud,
// and every setData is counted (WeChat audits ≤ 20 calls/s and ≤ 256 KB a call).
import path from 'node:path'
import type { TestCloud } from '../support/cloud'
import { checkDocumented } from './wx-api'

export const DIST = path.resolve(__dirname, '..', '..', 'dist')

export interface SetDataRecord {
  route: string
  bytes: number
  at: number
}

export interface InteractionCost {
  calls: number
  maxBytes: number
  totalBytes: number
}

export interface Harness {
  simulate: typeof import('miniprogram-simulate')
  wx: Record<string, jest.Mock | unknown>
  setData: SetDataRecord[]
  calls: Array<{ name: string; action: string }>
  /** What the payer does in the stubbed wx.requestPayment sheet. */
  payment: { outcome: 'success' | 'fail' | 'cancel' }
  /**
   * What WeChat answers the other WeChat-only calls with (tests set it): the pay-score page
   * (returned, or closed), the face check (done: passed or failed at the server; or left), the
   * PDF's download (its HTTP status, or a failed connection) and the document viewer.
   */
  wechat: {
    businessView: 'success' | 'cancel'
    face: 'pass' | 'fail' | 'cancel'
    /** The subscribe dialog: every template allowed, every one refused, or the call failing (no tap, say). */
    subscribe: 'accept' | 'reject' | 'fail'
    download: 200 | 404 | 'fail'
    openDocument: 'success' | 'fail'
  }
  /**
   * Loads, renders and attaches a page with its query, as a navigation would. A route can be
   * opened again in the same file (the page is loaded once, rendered each time); `close` runs
   * the page's onUnload (React unmounts, its timers stop) and detaches it.
   */
  openPage(route: string, query?: Record<string, string>): { root: any; page: any; close(): void }
  /**
   * Runs one interaction and waits until the page is quiet (no setData for `quietMs`, and
   * `until` holds if given); returns the setData calls it caused and their sizes.
   */
  measure(interaction: () => unknown, until?: () => boolean, quietMs?: number): Promise<InteractionCost>
}

export function installHarness(getCloud: () => TestCloud, user = 'alice'): Harness {
  const g = global as unknown as Record<string, any>
  const setData: SetDataRecord[] = []
  const calls: Harness['calls'] = []
  const pages: any[] = []
  let appConfig: any = null
  let pendingQuery: Record<string, string> = {}
  let pendingRoute = ''
  // simulate.load runs a page's js once per file (jest's module registry keeps it), so a second
  // load of the same route would register no component: load once, render as often as needed.
  const loaded = new Map<string, string>()

  // The test cloud's WeChat Pay answers orders as cloud pay does: what wx.requestPayment takes.
  const asWechatPay = new WeakSet<TestCloud>()
  const wechatPayOrders = (cloud: TestCloud) => {
    if (asWechatPay.has(cloud)) return
    asWechatPay.add(cloud)
    const sim = cloud.ports.payments
    const create = sim.create.bind(sim)
    sim.create = async (order) => {
      const r = await create(order)
      if (!r.ok) return r
      const ts = String(Math.floor(order.expiresAt / 1000))
      return {
        ok: true,
        request: {
          provider: 'wechatPay',
          timeStamp: ts,
          nonceStr: 'n' + ts,
          package: `prepay_id=${order.outTradeNo}`,
          signType: 'RSA',
          paySign: 'sig',
        },
      }
    }
  }
  /** What the payer does in WeChat Pay's sheet (tests set it). */
  const payment = { outcome: 'success' as 'success' | 'fail' | 'cancel' }
  const wechat: Harness['wechat'] = {
    businessView: 'success',
    face: 'pass',
    subscribe: 'accept',
    download: 200,
    openDocument: 'success',
  }
  type Callbacks = { success?: (r: unknown) => void; fail?: (e: unknown) => void; complete?: (r: unknown) => void }
  /**
   * The answer, to the callbacks given; with none, as WeChat's Promise style does (for the APIs
   * that document it: Taro calls those without callbacks) — resolved on success, rejected on failure.
   */
  const answer = (o: Callbacks, ok: boolean, res: Record<string, unknown>): Promise<unknown> | undefined => {
    if (!o.success && !o.fail && !o.complete) return ok ? Promise.resolve(res) : Promise.reject(res)
    if (ok) o.success?.(res)
    else o.fail?.(res)
    o.complete?.(res)
    return undefined
  }
  const navigate = (url: string) => jest.fn((opts: { url: string }) => Promise.resolve({ errMsg: `${url}:ok`, opts }))
  g.wx = {
    requestSubscribeMessage: jest.fn(
      (opts: { tmplIds: string[]; success?: (r: unknown) => void; fail?: (e: unknown) => void }) => {
        checkDocumented('requestSubscribeMessage', opts)
        if (opts.tmplIds.length < 1 || opts.tmplIds.length > 5)
          throw new Error('wx.requestSubscribeMessage: 1–5 tmplIds')
        if (wechat.subscribe === 'fail') {
          // 20004: the user turned off subscription messages in the mini-program's settings.
          const e = { errCode: 20004, errMsg: 'requestSubscribeMessage:fail' }
          // Callback style (as Taro calls it) answers through fail; Promise style rejects.
          if (opts.fail) return void opts.fail(e)
          return Promise.reject(e)
        }
        const res = Object.fromEntries(opts.tmplIds.map((t) => [t, wechat.subscribe]))
        opts.success?.({ ...res, errMsg: 'requestSubscribeMessage:ok' })
        return Promise.resolve({ ...res, errMsg: 'requestSubscribeMessage:ok' })
      },
    ),
    // WeChat Pay's sheet: the documented parameters, all strings; paying pays the order at (simulated)
    // WeChat Pay, which calls back the payCallback function; the answer itself proves nothing.
    requestPayment: jest.fn(
      (o: {
        timeStamp: unknown
        nonceStr: unknown
        package: unknown
        signType: unknown
        paySign: unknown
        success?: (r: unknown) => void
        fail?: (e: { errMsg: string }) => void
      }) => {
        checkDocumented('requestPayment', o)
        const id = /^prepay_id=(.+)$/.exec(o.package as string)?.[1]
        if (!id) throw new Error('wx.requestPayment: package must be prepay_id=…')
        if (payment.outcome === 'cancel') return void o.fail?.({ errMsg: 'requestPayment:fail cancel' })
        void getCloud()
          .ports.simulatePayment(`o_dev_${user}`, id, { outcome: payment.outcome })
          .then(() =>
            payment.outcome === 'success'
              ? o.success?.({ errMsg: 'requestPayment:ok' })
              : o.fail?.({ errMsg: 'requestPayment:fail' }),
          )
      },
    ),
    // WeChat Pay score's own page: the token the server got from 商户预授权, as extraData.
    openBusinessView: jest.fn((o: Callbacks & { businessType: string; extraData?: Record<string, unknown> }) => {
      checkDocumented('openBusinessView', o)
      if (o.businessType !== 'wxpayScoreEnable') throw new Error('wx.openBusinessView: businessType wxpayScoreEnable')
      if (typeof o.extraData?.apply_permissions_token !== 'string' || o.extraData.apply_permissions_token === '')
        throw new Error('wx.openBusinessView: extraData.apply_permissions_token')
      const ok = wechat.businessView === 'success'
      return answer(o, ok, { errMsg: ok ? 'openBusinessView:ok' : 'openBusinessView:fail cancel' })
    }),
    // 微信人脸核身 2.0: success means the check ran (the server asks queryVerifyInfo for the result).
    requestFacialVerify: jest.fn((o: Callbacks & { verifyId: string }) => {
      checkDocumented('requestFacialVerify', o)
      if (!o.success && !o.fail) throw new Error('wx.requestFacialVerify: no Promise style; pass success and fail')
      if (wechat.face === 'cancel')
        return answer(o, false, { errCode: 90100, errMsg: 'requestFacialVerify:fail cancel' })
      const face = getCloud().ports.face as unknown as { setOutcome: (...a: unknown[]) => Promise<boolean> }
      void face
        .setOutcome(o.verifyId, `o_dev_${user}`, wechat.face)
        .then(() => answer(o, true, { errCode: 0, errMsg: 'requestFacialVerify:ok' }))
    }),
    downloadFile: jest.fn((o: Callbacks & { url: string }) => {
      checkDocumented('downloadFile', o)
      // In WeChat Cloud the address is cloud storage's temporary https URL; the local cloud's is a path on its gateway.
      if (!/^(https?:\/\/|\/files\/)/.test(o.url)) throw new Error('wx.downloadFile: url must be an address')
      if (wechat.download === 'fail') answer(o, false, { errMsg: 'downloadFile:fail' })
      else
        answer(o, true, {
          statusCode: wechat.download,
          tempFilePath: wechat.download === 200 ? 'wxfile://tmp/contract.pdf' : '',
          errMsg: 'downloadFile:ok',
        })
      return { abort: () => undefined, onProgressUpdate: () => undefined }
    }),
    openDocument: jest.fn((o: Callbacks & { filePath: string }) => {
      checkDocumented('openDocument', o)
      const ok = wechat.openDocument === 'success'
      answer(o, ok, { errMsg: ok ? 'openDocument:ok' : 'openDocument:fail' })
    }),
    navigateTo: navigate('navigateTo'),
    redirectTo: navigate('redirectTo'),
    reLaunch: navigate('reLaunch'),
    switchTab: navigate('switchTab'),
    navigateBack: navigate('navigateBack'),
    cloud: {
      init: jest.fn(),
      callFunction: async (o: {
        name: string
        data: { action: string; data: Record<string, unknown>; requestId?: string }
      }) => {
        checkDocumented('callFunction', o)
        const { name, data } = o
        calls.push({ name, action: data.action })
        wechatPayOrders(getCloud())
        const result = await getCloud().call(name as never, data.action, data.data, {
          user,
          requestId: data.requestId ?? null,
        })
        return { result, errMsg: 'cloud.callFunction:ok' }
      },
    },
  }
  g.App = (cfg: any) => {
    appConfig = cfg
  }
  g.getApp = () => appConfig
  g.getCurrentPages = () => pages
  g.Page = (cfg: any) => {
    const methods: Record<string, (...args: unknown[]) => unknown> = {}
    for (const [k, v] of Object.entries(cfg)) if (typeof v === 'function') methods[k] = v as never
    g.Component({
      data: cfg.data,
      methods,
      lifetimes: {
        attached(this: any) {
          const route = pendingRoute
          this.route = route
          this.__route__ = route
          const original = this.setData.bind(this)
          this.setData = (data: unknown, cb?: () => void) => {
            setData.push({ route, bytes: Buffer.byteLength(JSON.stringify(data)), at: Date.now() })
            return original(data, cb)
          }
          pages.push(this)
          cfg.onLoad?.call(this, pendingQuery)
          cfg.onShow?.call(this)
          cfg.onReady?.call(this)
        },
      },
    })
  }

  // Must come after wx exists: the simulator merges its API into it.
  const simulate = require('miniprogram-simulate') as typeof import('miniprogram-simulate')
  require(path.join(DIST, 'app.js'))
  appConfig.onLaunch?.call(appConfig, { path: 'pages/index/index', query: {}, scene: 1001 })

  return {
    simulate,
    payment,
    wechat,
    wx: g.wx,
    setData,
    calls,
    openPage(route, query = {}) {
      pendingRoute = route
      pendingQuery = query
      let id = loaded.get(route)
      if (id === undefined) {
        id = simulate.load(path.join(DIST, route), { compiler: 'official', rootPath: DIST })
        loaded.set(route, id)
      }
      const root = simulate.render(id)
      const parent = document.createElement('parent-wrapper')
      root.attach(parent)
      const page = pages[pages.length - 1]
      return {
        root,
        page,
        close() {
          page.onUnload?.()
          root.detach()
          pages.splice(pages.indexOf(page), 1)
        },
      }
    },
    async measure(interaction, until, quietMs = 60) {
      const from = setData.length
      await interaction()
      const start = Date.now()
      for (;;) {
        await new Promise((r) => setTimeout(r, 10))
        const last = setData[setData.length - 1]
        const quiet = setData.length === from || Date.now() - (last?.at ?? 0) >= quietMs
        if (quiet && Date.now() - start >= quietMs && (!until || until())) break
        if (Date.now() - start > 10_000) throw new Error('the page did not settle within 10 s')
      }
      const records = setData.slice(from)
      return {
        calls: records.length,
        maxBytes: Math.max(0, ...records.map((r) => r.bytes)),
        totalBytes: records.reduce((s, r) => s + r.bytes, 0),
      }
    },
  }
}

/** The text the user sees on a page (or inside one element). */
export const textOf = (node: any): string => (node.dom as HTMLElement).textContent ?? ''

type DataNode = { sid?: string; uid?: string; ariaLabel?: string; cn?: DataNode[] }

/**
 * The element with this aria-label. Taro's base templates render neither aria-label nor
 * data-testid into the simulator's DOM, but the page data (what setData sent) keeps aria-label
 * on each node, and the template gives every element its node's uid or sid as its id.
 */
export function byLabel(root: any, page: any, label: string | RegExp): any {
  // The label travels in the page data under the attribute's alias (p0, p1…: the template binds
  // it as aria-label, see config/aria-attributes.js); the simulator does not render the attribute.
  const find = (node: DataNode | undefined): DataNode | undefined => {
    if (!node) return undefined
    const record = node as unknown as Record<string, unknown>
    const matches = (v: unknown) => typeof v === 'string' && (typeof label === 'string' ? v === label : label.test(v))
    if (Object.keys(record).some((k) => (k === 'ariaLabel' || /^p\d+$/.test(k)) && matches(record[k]))) return node
    for (const child of node.cn ?? []) {
      const hit = find(child)
      if (hit) return hit
    }
    return undefined
  }
  const node = find(page.data?.root as DataNode | undefined)
  const el = node ? root.querySelector(`#${node.uid ?? node.sid}`) : undefined
  if (!el) throw new Error(`no element labelled ${label}`)
  return el
}

/** Resolves once `check` stops throwing (the simulator flushes setData asynchronously). */
export async function eventually<T>(check: () => T, timeoutMs = 5000): Promise<T> {
  const start = Date.now()
  for (;;) {
    try {
      return check()
    } catch (error) {
      if (Date.now() - start > timeoutMs) throw error
      await new Promise((r) => setTimeout(r, 20))
    }
  }
}
