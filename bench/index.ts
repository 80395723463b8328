// `npm run bench`: every benchmark, one after another.
import { benchPricing } from './pricing'

console.log(`Kaitong benchmarks — node ${process.version}, ${new Date().toISOString()}`)
console.log('\n## pricing')
for (const line of benchPricing()) console.log(line)
