// The open APIs a cloud function calls through `cloud.openapi` (`wx.openApi`), as WeChat answers
// them: subscribe messages, which need a one-time grant per template (43101 without one) and
// whose fields WeChat checks by type (47003 when a value breaks its rule); and mini-program codes
// (`wxacode.getUnlimited`), whose scene and page WeChat checks, answered with a PNG.
import QRCode from 'qrcode'

/** WeChat's answer: its JSON (errcode 0 or not), or an image. */
export type OpenApiAnswer = { json: Record<string, unknown> } | { image: Buffer; contentType: string }

export interface SentMessage {
  at: number
  touser: string
  templateId: string
  page: string
  data: Record<string, { value: string }>
  miniprogramState: string
}

/**
 * Subscribe-message field rules (WeChat's documentation, "订阅消息参数值内容限制"): the key's type is
 * its name without the trailing number (thing1 → thing).
 */
const FIELD_RULES: Record<string, (v: string) => boolean> = {
  thing: (v) => [...v].length <= 20,
  number: (v) => /^[\d.]{1,32}$/.test(v),
  letter: (v) => /^[A-Za-z]{1,32}$/.test(v),
  symbol: (v) => /^[^\w\s\u4e00-\u9fff]{1,5}$/.test(v),
  character_string: (v) => /^[\x21-\x7e]{1,32}$/.test(v),
  time: (v) => v.length > 0 && v.length <= 32,
  date: (v) => v.length > 0 && v.length <= 32,
  amount: (v) => /^[¥￥$]?\d{1,10}(\.\d{1,2})?元?$/.test(v),
  phone_number: (v) => /^[\d+\-() ]{1,17}$/.test(v),
  car_number: (v) => [...v].length <= 8,
  name: (v) => [...v].length <= 10,
  phrase: (v) => /^[\u4e00-\u9fff]{1,5}$/.test(v),
}

/** The characters a scene may use (WeChat's documentation for getUnlimited), at most 32 of them. */
const SCENE = /^[0-9A-Za-z!#$&'()*+,/:;=?@\-._~]{1,32}$/

export class StandinOpenApi {
  /** Grants left per openid and template: one per "allow" in wx.requestSubscribeMessage. */
  private readonly grants = new Map<string, number>()
  readonly sent: SentMessage[] = []

  constructor(
    private readonly now: () => number,
    /** What the mini-program code links to when scanned here (the H5 build with the scene), if anything. */
    public codeLink: ((scene: string, page: string) => string) | null = null,
  ) {}

  /** No grants, nothing sent. */
  reset(): void {
    this.grants.clear()
    this.sent.length = 0
  }

  /** The user allowed these templates once each (what WeChat records when wx.requestSubscribeMessage succeeds). */
  grant(openid: string, templateIds: string[]): void {
    for (const t of templateIds) this.grants.set(`${openid}/${t}`, (this.grants.get(`${openid}/${t}`) ?? 0) + 1)
  }

  grantsLeft(openid: string, templateId: string): number {
    return this.grants.get(`${openid}/${templateId}`) ?? 0
  }

  async handle(apiName: string, params: Record<string, unknown>): Promise<OpenApiAnswer | { errorCode: number }> {
    if (apiName === 'subscribeMessage.send') return this.send(params)
    if (apiName === 'wxacode.getUnlimited') return this.code(params)
    // What WeChat answers an API the function's config.json does not list: no permission.
    return { errorCode: -604101 }
  }

  private send(p: Record<string, unknown>): OpenApiAnswer {
    const touser = typeof p.touser === 'string' ? p.touser : ''
    const templateId = typeof p.template_id === 'string' ? p.template_id : ''
    if (!touser) return err(40003, 'invalid openid')
    if (!templateId) return err(40037, 'invalid template id')
    const state = p.miniprogram_state ?? 'formal'
    if (!['formal', 'trial', 'developer'].includes(String(state)))
      return err(47003, 'argument invalid! miniprogram_state')
    const data = (p.data ?? {}) as Record<string, { value?: unknown }>
    for (const [key, field] of Object.entries(data)) {
      const type = key.replace(/\d+$/, '')
      const value = field?.value
      const rule = FIELD_RULES[type]
      if (typeof value !== 'string' || !rule || !rule(value))
        return err(47003, `argument invalid! data.${key}.value ${JSON.stringify(value)}`)
    }
    const left = this.grantsLeft(touser, templateId)
    if (left < 1) return err(43101, 'user refuse to accept the msg')
    this.grants.set(`${touser}/${templateId}`, left - 1)
    this.sent.push({
      at: this.now(),
      touser,
      templateId,
      page: String(p.page ?? ''),
      data: data as SentMessage['data'],
      miniprogramState: String(state),
    })
    return { json: { errcode: 0, errmsg: 'ok', msgid: this.sent.length } }
  }

  private async code(p: Record<string, unknown>): Promise<OpenApiAnswer> {
    const scene = typeof p.scene === 'string' ? p.scene : ''
    const page = typeof p.page === 'string' ? p.page : 'pages/index/index'
    if (!SCENE.test(scene)) return err(40169, 'invalid length for scene, or the data is not json string')
    if (page.startsWith('/') || page.includes('?')) return err(41030, 'invalid page rid')
    const width = typeof p.width === 'number' ? p.width : 430
    if (width < 280 || width > 1280) return err(40097, 'invalid args')
    const link = this.codeLink ? this.codeLink(scene, page) : `${page}?scene=${encodeURIComponent(scene)}`
    const image = await QRCode.toBuffer(link, { type: 'png', width, margin: 2 })
    return { image, contentType: 'image/png' }
  }
}

function err(errcode: number, errmsg: string): OpenApiAnswer {
  return { json: { errcode, errmsg } }
}
