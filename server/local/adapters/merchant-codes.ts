// Local mini-program codes: a PNG QR code of the H5 app's URL with ?scene=, so a phone camera (or
// a test) opens the same merchant entry the WeChat code would.
import QRCode from 'qrcode'
import type { MerchantCodes } from '../../ports'

export class LocalMerchantCodes implements MerchantCodes {
  /** The local cloud's public URL, known once it listens. */
  baseUrl = 'http://127.0.0.1:3000/'

  urlFor(scene: string, page: string): string {
    return `${this.baseUrl}?scene=${encodeURIComponent(scene)}#/${page}`
  }

  async create(scene: string, page: string) {
    const bytes = await QRCode.toBuffer(this.urlFor(scene, page), {
      type: 'png',
      errorCorrectionLevel: 'M',
      margin: 2,
      width: 280,
    })
    return { contentType: 'image/png', bytes }
  }
}
