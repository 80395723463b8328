// The Files port on WeChat cloud storage through wx-server-sdk: uploadFile keeps the bytes under a
// cloud path, getTempFileURL answers an address that expires (what wx.downloadFile then fetches),
// downloadFile reads them back, deleteFile removes them (the retention purge).
import type { Files } from '../ports'

/** The part of the SDK this adapter uses (wx-server-sdk 4's shapes). */
export interface CloudStorageApi {
  uploadFile(p: { cloudPath: string; fileContent: Buffer }): Promise<{ fileID: string }>
  getTempFileURL(p: { fileList: Array<{ fileID: string; maxAge: number }> }): Promise<{
    fileList: Array<{ fileID: string; tempFileURL: string; status: number; errMsg?: string }>
  }>
  downloadFile(p: { fileID: string }): Promise<{ fileContent: Buffer }>
  deleteFile(p: { fileList: string[] }): Promise<{ fileList: Array<{ fileID: string; status: number }> }>
}

export class WechatFiles implements Files {
  constructor(
    private readonly sdk: () => CloudStorageApi,
    private readonly now: () => number,
  ) {}

  async put(cloudPath: string, bytes: Uint8Array): Promise<{ fileId: string }> {
    const { fileID } = await this.sdk().uploadFile({ cloudPath, fileContent: Buffer.from(bytes) })
    return { fileId: fileID }
  }

  async get(fileId: string): Promise<Uint8Array | null> {
    try {
      const { fileContent } = await this.sdk().downloadFile({ fileID: fileId })
      return new Uint8Array(fileContent)
    } catch (error) {
      // A file that is not there is an answer (made again by the caller); anything else is an outage.
      if (/not\s*exist|STORAGE_FILE_NONEXIST|404/i.test(error instanceof Error ? error.message : String(error)))
        return null
      throw error
    }
  }

  async url(fileId: string, ttlMs: number): Promise<{ url: string; expiresAt: number }> {
    const maxAge = Math.max(1, Math.floor(ttlMs / 1000))
    const { fileList } = await this.sdk().getTempFileURL({ fileList: [{ fileID: fileId, maxAge }] })
    const f = fileList[0]
    if (!f || f.status !== 0 || !f.tempFileURL)
      throw new Error(`cloud storage: no temporary URL for ${fileId}: ${f?.errMsg ?? 'no answer'}`)
    return { url: f.tempFileURL, expiresAt: this.now() + maxAge * 1000 }
  }

  async remove(fileId: string): Promise<void> {
    await this.sdk().deleteFile({ fileList: [fileId] })
  }
}
