// /__dev/profile (local mode only): the signed-in test user inspects and edits the simulated
// profile behind the pay-score, bureau and signal simulators, and sees the pre-check change.
import * as v from 'valibot'
import { BureauReportSchema, ProfileSignalsSchema } from '../../../src/api/profile-schema'

const Count = v.pipe(v.number(), v.integer(), v.minValue(0))
const { hardInquiryTimes: _times, ...bureauEntries } = BureauReportSchema.entries

/** A simulated profile as the dev page edits it (inquiries as days ago; the pay score as a number). */
export const SimProfileSchema = v.object({
  ...ProfileSignalsSchema.entries,
  payScore: v.pipe(Count, v.maxValue(1000)),
  /** What the bound debit card holds (fen): an automatic debit of more is refused. */
  cardBalanceFen: v.optional(Count),
  bureau: v.object({
    ...bureauEntries,
    hardInquiryDaysAgo: v.pipe(v.array(v.pipe(Count, v.maxValue(3650))), v.maxLength(50)),
  }),
})

export const DEV_PROFILE_PAGE = `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>开通 · 模拟档案（仅本地）</title>
<style>
body{font:15px/1.5 system-ui,"Noto Sans CJK SC",sans-serif;margin:0;padding:16px;background:#f5f6f7;color:#1a1a1a;max-width:720px}
h1{font-size:20px;margin:0 0 4px} p{margin:4px 0 12px;color:#555}
textarea{width:100%;box-sizing:border-box;height:420px;font:13px/1.4 ui-monospace,monospace;border:1px solid #ccc;border-radius:8px;padding:8px}
button{font-size:15px;padding:8px 16px;margin:8px 8px 8px 0;border-radius:8px;border:1px solid #087a4c;background:#087a4c;color:#fff}
button.secondary{background:#fff;color:#087a4c}
#status{min-height:1.5em} .err{color:#c41d1d} table{border-collapse:collapse;width:100%;background:#fff;margin-top:8px}
td,th{border:1px solid #e3e3e3;padding:6px;text-align:left;font-size:14px}
</style></head><body>
<h1>模拟档案（仅本地云）</h1>
<p>这是本地模拟器看到的你：支付分、征信软查询与聚合行为数据。修改后保存，再看预审如何变化。没有聊天内容字段——我们不使用它们。</p>
<div id="who"></div>
<textarea id="profile" aria-label="模拟档案 JSON" spellcheck="false"></textarea>
<div><button id="save">保存并重新预审</button><button id="reset" class="secondary">恢复默认</button></div>
<div id="status" role="status"></div>
<table id="result" aria-label="预审结果"></table>
<script>
const $ = (id) => document.getElementById(id)
function token() {
  try { const raw = localStorage.getItem('kaitong.devToken'); if (!raw) return ''; const j = JSON.parse(raw); return typeof j === 'string' ? j : j.data || '' } catch { return '' }
}
async function call(path, body) {
  const res = await fetch(path, { method: body === undefined ? 'GET' : 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer ' + token() }, body: body === undefined ? undefined : JSON.stringify(body) })
  return res.json()
}
function show(msg, bad) { $('status').textContent = msg; $('status').className = bad ? 'err' : '' }
async function precheck() {
  const r = await call('/api/credit', { action: 'precheck', data: {} })
  const t = $('result')
  if (!r.ok) { t.innerHTML = ''; show(r.error.message, true); return }
  t.innerHTML = '<tr><th>产品</th><th>结果</th><th>额度（元）</th><th>日利率</th></tr>' + r.data.products.map((p) =>
    '<tr><td>' + p.product + '</td><td>' + (p.eligible ? '可开通' + (p.pendingSteps.length ? '（待完成：' + p.pendingSteps.join('、') + '）' : '') : p.reasons.map((x) => x.title).join('；')) +
    '</td><td>' + (p.limitFen / 100).toFixed(2) + '</td><td>' + p.dailyRatePercent + '%</td></tr>').join('') +
    '<tr><td colspan="4">综合评分 ' + r.data.score + '　规则 ' + r.data.ruleSetVersion + '</td></tr>'
}
async function load() {
  if (!token()) { show('请先在应用里选择一个测试用户登录，再打开本页。', true); return }
  const r = await call('/__dev/profile/data')
  if (!r.ok) { show(r.error.message, true); return }
  $('who').textContent = '当前用户：' + r.data.openid
  $('profile').value = JSON.stringify(r.data.profile, null, 2)
  await precheck()
}
$('save').onclick = async () => {
  let profile
  try { profile = JSON.parse($('profile').value) } catch (e) { show('JSON 格式错误：' + e.message, true); return }
  const r = await call('/__dev/profile/data', { profile })
  if (!r.ok) { show(r.error.message, true); return }
  show('已保存。'); await precheck()
}
$('reset').onclick = async () => {
  const r = await call('/__dev/profile/data', { reset: true })
  if (!r.ok) { show(r.error.message, true); return }
  $('profile').value = JSON.stringify(r.data.profile, null, 2); show('已恢复默认。'); await precheck()
}
load()
</script></body></html>`
