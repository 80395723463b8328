// `npm run bench:first-load`: what the H5 entry page downloads before it is usable — every JS and
// CSS file the browser fetched until the home page shows its first product, raw and gzip — in
// Debian's Chromium against the local cloud (`npm run build:h5` first). The figure the house issue
// keeps within 2% and the accessibility issue brings under 120 KB of gzip JS.
import zlib from 'node:zlib'
import { launchChromium } from '../test/support/browser'
import { startCloudProcess } from '../test/support/local-cloud-process'

export async function benchFirstLoad(): Promise<string[]> {
  const cloud = await startCloudProcess()
  const browser = await launchChromium()
  try {
    const page = await browser.newPage({ viewport: { width: 375, height: 812 } })
    const files: Array<{ url: string; kind: 'js' | 'css'; raw: number; gzip: number }> = []
    page.on('response', async (res) => {
      const url = res.url()
      const kind = /\.js(\?|$)/.test(url) ? 'js' : /\.css(\?|$)/.test(url) ? 'css' : null
      if (!kind || !url.startsWith(cloud.url)) return
      const body = await res.body().catch(() => Buffer.alloc(0))
      files.push({
        url: url.slice(cloud.url.length - 1),
        kind,
        raw: body.length,
        gzip: zlib.gzipSync(body, { level: 9 }).length,
      })
    })
    await page.goto(`${cloud.url}#/pages/index/index`)
    // Signed out, the entry page shows the dev sign-in: sign in as alice, then wait for the glance.
    await page.getByLabel('以 alice 登录').click()
    await page.locator('[data-testid="glance-weilidai"]:visible').waitFor()
    await page.waitForLoadState('networkidle')
    const sum = (kind: 'js' | 'css', k: 'raw' | 'gzip') =>
      files.filter((f) => f.kind === kind).reduce((s, f) => s + f[k], 0)
    return [
      `first load of the H5 entry (signed in, home shown) — ${new Date().toISOString()}`,
      ...files.map((f) => `  ${f.url.padEnd(40)} ${String(f.raw).padStart(8)} B  ${String(f.gzip).padStart(7)} B gzip`),
      `JS: ${files.filter((f) => f.kind === 'js').length} files, ${sum('js', 'raw')} B (${sum('js', 'gzip')} B gzip)`,
      `CSS: ${files.filter((f) => f.kind === 'css').length} files, ${sum('css', 'raw')} B (${sum('css', 'gzip')} B gzip)`,
    ]
  } finally {
    await browser.close()
    await cloud.stop()
  }
}

if (process.argv[1] && /first-load\.ts$/.test(process.argv[1])) {
  void benchFirstLoad().then((lines) => console.log(lines.join('\n')))
}
