import { execFileSync } from 'node:child_process'
import path from 'node:path'
import { quote } from '../../scripts/cli/quote'

const AT = '2026-11-28T10:00:00+08:00'
const run = (...args: string[]) => quote(args, 0)

describe('kaitong quote', () => {
  it('prints the offer in its stable shape (under the 36% setting: at the 24% default it is not offered)', () => {
    const args = ['--product', 'we2000', '--amount', '2000', '--term', '3', '--mode', 'equal-installment', '--at', AT]
    expect(run(...args)).toMatchObject({
      exitCode: 1,
      output: { error: { code: 'APR_OVER_CAP', aprPercent: 24.3, capPercent: 24 } },
    })
    const r = run(...args, '--cap', '36')
    expect(r.exitCode).toBe(0)
    expect(r.output).toMatchObject({
      product: 'we2000',
      amountFen: 200_000,
      mode: 'equal-installment',
      termMonths: 3,
      dailyRatePercent: 0.05,
      aprPercent: 24.3,
      totalInterestFen: 6114,
      totalFeesFen: 2000,
      totalRepayFen: 208_114,
      schedule: [
        { n: 1, dueDate: '2026-12-28', principalFen: 65663, interestFen: 3042, feeFen: 2000, totalFen: 70705 },
        { n: 2, dueDate: '2027-01-28', principalFen: 66662, interestFen: 2043, feeFen: 0, totalFen: 68705 },
        { n: 3, dueDate: '2027-02-28', principalFen: 67675, interestFen: 1029, feeFen: 0, totalFen: 68704 },
      ],
    })
  })

  it('takes days as Nd and a daily rate within the range', () => {
    const r = run(
      '--product',
      'weilidai',
      '--amount',
      '10000',
      '--term',
      '30d',
      '--mode',
      'flexible',
      '--daily-rate',
      '0.035',
      '--at',
      AT,
    )
    expect(r.output).toMatchObject({
      termDays: 30,
      dailyRatePercent: 0.035,
      aprPercent: 12.78,
      totalInterestFen: 10500,
    })
  })

  it.each([
    [['--amount', '-5'], 'INVALID_AMOUNT'],
    [['--amount', '10.005'], 'INVALID_AMOUNT'],
    [['--amount', '0'], 'INVALID_AMOUNT'],
    [['--amount', '5'], 'AMOUNT_OUT_OF_RANGE'],
    [['--term', '13'], 'TERM_NOT_OFFERED'],
    [['--term', 'forever'], 'TERM_NOT_OFFERED'],
    [['--product', 'jiebei'], 'UNKNOWN_PRODUCT'],
    [['--daily-rate', '0.1'], 'RATE_OUT_OF_RANGE'],
    [['--daily-rate', 'cheap'], 'RATE_OUT_OF_RANGE'],
    [['--cap', '20'], 'APR_OVER_CAP'],
    [['--cap', 'x'], 'INVALID_CAP'],
    [['--at', 'yesterday'], 'INVALID_DATE'],
    [['--colour', 'red'], 'USAGE'],
  ])('%j → exit 1 with %s', (over, code) => {
    const args: Record<string, string> = {
      '--product': 'we2000',
      '--amount': '1000',
      '--term': '3',
      '--mode': 'equal-installment',
      '--at': AT,
    }
    for (let i = 0; i < over.length; i += 2) args[over[i]] = over[i + 1]
    const r = run(...Object.entries(args).flat())
    expect(r.exitCode).toBe(1)
    expect(r.output).toMatchObject({ error: { code, message: expect.any(String) } })
  })

  it('npm run kaitong exits non-zero with the error JSON on stdout', () => {
    const root = path.resolve(__dirname, '..', '..')
    let status = 0
    let stdout = ''
    try {
      execFileSync(
        process.execPath,
        [
          '--import',
          'tsx',
          'scripts/kaitong.ts',
          'quote',
          '--product',
          'xiaoe',
          '--amount',
          '10000',
          '--term',
          '12',
          '--mode',
          'fee-installment',
          '--cap',
          '24',
        ],
        { cwd: root },
      )
    } catch (e) {
      const err = e as { status: number; stdout: Buffer }
      status = err.status
      stdout = err.stdout.toString()
    }
    expect(status).toBe(1)
    expect(JSON.parse(stdout)).toMatchObject({ error: { code: 'APR_OVER_CAP', aprPercent: 31.72, capPercent: 24 } })
  })
})
