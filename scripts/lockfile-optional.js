// Keeps package-lock.json acceptable to `npm ci` on this project's machines.
//
// The npm registry these machines reach serves neither Taro's native bindings for other
// platforms (@tarojs/binding-{darwin-*,linux-arm64-gnu,win32-*}) nor NutUI's telemetry package
// (@jmfe/npm-usage-stats-tool, an optional dependency not on the public registry). `npm install`
// therefore leaves them out of the lock, and `npm ci` then refuses the lock ("Missing: … from
// lock file"). This records them as optional entries — platform-bound where they are — so
// `npm ci` skips them exactly as `npm install` did. Idempotent; runs as the root postinstall.
// `npm install <pkg>` saves the lock after postinstall and drops them again: run
// `npm run lock:fix` after adding a package. `--check` (a test in `npm test`) only reports.
const fs = require('node:fs')
const path = require('node:path')

const file = path.join(__dirname, '..', 'package-lock.json')
if (!fs.existsSync(file)) process.exit(0)
const lock = JSON.parse(fs.readFileSync(file, 'utf8'))
const pkgs = lock.packages || {}
const flags = (p) => Object.fromEntries(['dev', 'devOptional', 'peer'].filter((k) => p && p[k]).map((k) => [k, true]))

const binding = pkgs['node_modules/@tarojs/binding']
const wanted = {}
if (binding && binding.optionalDependencies) {
  const platforms = {
    'darwin-arm64': [['darwin'], ['arm64']],
    'darwin-x64': [['darwin'], ['x64']],
    'linux-arm64-gnu': [['linux'], ['arm64']],
    'linux-x64-gnu': [['linux'], ['x64']],
    'win32-x64-msvc': [['win32'], ['x64']],
  }
  for (const [name, version] of Object.entries(binding.optionalDependencies)) {
    const plat = platforms[name.replace('@tarojs/binding-', '')]
    if (plat) wanted[`node_modules/${name}`] = { version, cpu: plat[1], os: plat[0], ...flags(binding), optional: true }
  }
}
const nutui = pkgs['node_modules/@nutui/nutui-react-taro']
if (nutui && nutui.optionalDependencies && nutui.optionalDependencies['@jmfe/npm-usage-stats-tool']) {
  // npm places the unfetchable optional dependency under its dependent, with no version.
  wanted['node_modules/@nutui/nutui-react-taro/node_modules/@jmfe/npm-usage-stats-tool'] = {
    version: '',
    ...flags(nutui),
    optional: true,
  }
}

const missing = Object.keys(wanted).filter((key) => !pkgs[key])
if (process.argv.includes('--check')) {
  if (missing.length > 0) {
    console.error(`package-lock.json would be refused by npm ci; missing: ${missing.join(', ')}\nrun: npm run lock:fix`)
    process.exit(1)
  }
  process.exit(0)
}
let changed = false
for (const key of missing) {
  pkgs[key] = wanted[key]
  changed = true
}
if (changed) {
  lock.packages = Object.fromEntries(
    Object.entries(pkgs).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b))),
  )
  fs.writeFileSync(file, `${JSON.stringify(lock, null, 2)}\n`)
  console.log('package-lock.json: recorded optional packages the registry does not serve')
}
