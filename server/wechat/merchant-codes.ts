// Mini-program codes through cloud.openapi.wxacode.getUnlimited (needs "wxacode.getUnlimited" in
// the merchants function's config.json permissions.openapi).
import type { MerchantCodes } from '../ports'

interface WxaCodeApi {
  getUnlimited(opts: {
    scene: string
    page: string
    checkPath: boolean
    width: number
  }): Promise<{ buffer: Uint8Array; contentType: string }>
}

export class WechatMerchantCodes implements MerchantCodes {
  constructor(private readonly wxacode: () => WxaCodeApi) {}
  async create(scene: string, page: string) {
    // The SDK throws on any errcode (an invalid scene or page): the caller sees the error.
    const r = await this.wxacode().getUnlimited({ scene, page, checkPath: false, width: 430 })
    if (!/^image\//.test(r.contentType) || r.buffer.length === 0)
      throw new Error(
        `wxacode.getUnlimited answered ${r.contentType || 'nothing'} (${r.buffer.length} bytes), not an image`,
      )
    return { contentType: r.contentType, bytes: r.buffer }
  }
}
