// Mini-program codes through cloud.openapi.wxacode.getUnlimited (needs "wxacode.getUnlimited" in
// the merchants function's config.json permissions.openapi).
import type { MerchantCodes } from '../ports'

interface WxaCodeApi {
  getUnlimited(opts: {
    scene: string
    page: string
    checkPath: boolean
    width: number
  }): Promise<{ buffer: Uint8Array; contentType: string; errCode?: number }>
}

export class WechatMerchantCodes implements MerchantCodes {
  constructor(private readonly wxacode: () => WxaCodeApi) {}
  async create(scene: string, page: string) {
    const r = await this.wxacode().getUnlimited({ scene, page, checkPath: false, width: 430 })
    if (r.errCode && r.errCode !== 0) throw new Error(`wxacode.getUnlimited: errCode ${r.errCode}`)
    return { contentType: r.contentType, bytes: r.buffer }
  }
}
