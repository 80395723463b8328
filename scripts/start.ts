// `npm start`: builds what is stale (the H5 app, the cloud-function bundles), then runs the local
// cloud on 127.0.0.1 (PORT, default 3000) with its SQLite file (KAITONG_DB, default .data/kaitong.db),
// or with KAITONG_CLOUD=wechat-standin on the WeChat adapters through wx-server-sdk and the stand-in.
import { execFileSync } from 'node:child_process'
import path from 'node:path'
import { localDataDir } from '../server/local/ports'
import { startLocalCloud } from '../server/local/runtime/main'
import { PERSONAS } from '../server/local/adapters/simulators'
import { buildCloud, cloudFunctionNames } from './build-cloud'
import { CLOUD_INPUTS, CONSOLE_INPUTS, H5_INPUTS, ROOT, isStale } from './stale'
import { DEMO_OPERATORS, DEMO_PASSWORD } from '../server/app/console/operators'

async function main() {
  if (isStale('dist-h5/index.html', H5_INPUTS)) {
    console.log('Building the H5 app (dist-h5/)…')
    execFileSync(path.join(ROOT, 'node_modules', '.bin', 'taro'), ['build', '--type', 'h5'], {
      cwd: ROOT,
      stdio: ['ignore', 'ignore', 'inherit'],
    })
  }
  if (isStale('console/dist/index.html', CONSOLE_INPUTS)) {
    console.log('Building the operator console (console/dist/)…')
    execFileSync(
      path.join(ROOT, 'node_modules', '.bin', 'vite'),
      ['build', '--config', 'console/vite.config.ts', '--logLevel', 'error'],
      {
        cwd: ROOT,
        stdio: ['ignore', 'ignore', 'inherit'],
      },
    )
  }
  if (cloudFunctionNames().some((fn) => isStale(`cloudfunctions/${fn}/index.js`, CLOUD_INPUTS))) {
    console.log('Bundling the cloud functions…')
    await buildCloud()
  }
  const cloud = await startLocalCloud({ staticDir: path.join(ROOT, 'dist-h5') })
  console.log(`\nKaitong is running: ${cloud.url}`)
  if (cloud.ports.cloud === 'wechat-standin') {
    console.log(
      `  WeChat adapters through wx-server-sdk, on the stand-in (data in ${path.join(localDataDir({ dbFile: cloud.dbFile }), 'standin')})`,
    )
    console.log(`  calls it served  ${cloud.url}__standin/calls`)
  } else console.log(`  database  ${path.resolve(cloud.dbFile)}`)
  console.log(`  sign in as ${Object.keys(PERSONAS).join(', ')} (see README: demo users), or any other name`)
  console.log(`\nOperator console: ${cloud.url}console/`)
  if (cloud.ports.cloud !== 'wechat-standin' && process.env.KAITONG_MODE !== 'shared') {
    console.log(`  demo operators (local only), password "${DEMO_PASSWORD}", TOTP secret for an authenticator app:`)
    for (const o of DEMO_OPERATORS) console.log(`    ${o.username.padEnd(11)} ${o.role.padEnd(11)} ${o.totpSecret}`)
    console.log('  or the current code: npm run kaitong -- totp <username>')
  }
  console.log('  stop with Ctrl+C')
  const quit = () => void cloud.stop().then(() => process.exit(0))
  process.on('SIGINT', quit)
  process.on('SIGTERM', quit)
}

main().catch((error: unknown) => {
  console.error(error)
  process.exit(1)
})
