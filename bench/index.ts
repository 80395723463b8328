// `npm run bench`: every benchmark, one after another.
import { benchPricing } from './pricing'
import { benchReminders } from './reminders'
import { benchRules } from './rules'

console.log(`Kaitong benchmarks — node ${process.version}, ${new Date().toISOString()}`)
console.log('\n## pricing')
for (const line of benchPricing()) console.log(line)

void (async () => {
  console.log('\n## rules')
  for (const line of await benchRules()) console.log(line)
  console.log('\n## reminders')
  for (const line of await benchReminders()) console.log(line)
})()
