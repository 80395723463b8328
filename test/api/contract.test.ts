import fs from 'node:fs'
import path from 'node:path'
import { FUNCTION_NAMES } from '../../src/api'

describe('the contract and the deploy units', () => {
  it('every function in the contract has a cloud-function folder to deploy, and no folder is orphaned', () => {
    const root = path.resolve(__dirname, '..', '..', 'cloudfunctions')
    const folders = fs.readdirSync(root).filter((d) => fs.existsSync(path.join(root, d, 'index.ts')))
    // payCallback is WeChat Pay's to call, not the mini-program's: it has no actions in the contract.
    expect(folders.sort()).toEqual([...FUNCTION_NAMES, 'payCallback'].sort())
  })
})
