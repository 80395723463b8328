import fs from 'node:fs'
import path from 'node:path'
import { FUNCTION_NAMES } from '../../src/api'
import { CONSOLE_FUNCTION } from '../../src/api/console'

describe('the contract and the deploy units', () => {
  it('every function in the contract has a cloud-function folder to deploy, and no folder is orphaned', () => {
    const root = path.resolve(__dirname, '..', '..', 'cloudfunctions')
    const folders = fs.readdirSync(root).filter((d) => fs.existsSync(path.join(root, d, 'index.ts')))
    // payCallback is WeChat Pay's to call, not the mini-program's: it has no actions in the contract;
    // console is the operator console's, with its own contract (src/api/console.ts).
    expect(folders.sort()).toEqual([...FUNCTION_NAMES, 'payCallback', CONSOLE_FUNCTION].sort())
  })
})
