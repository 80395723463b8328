/** The device's preview of the server's checks, field by field: what shows, when, and the fix. */
import { DEFAULT_RULE_SET } from '../../src/domain/rule-set'
import { errorFix } from '../../src/hooks/use-form'
import { cardCheck, identityChecks, ID_PROBLEMS, NOT_DEBIT_FIX } from '../../src/ui/field-checks'
import { makeCard } from '../support/cards'
import { makeIdNumber, NOW } from '../support/factories'

describe('identity fields', () => {
  it('an empty field has nothing to say; a filled one is checked as the server would', () => {
    expect(identityChecks({ name: '', idNumber: '', mobile: '' }, NOW)).toEqual({})
    const checks = identityChecks({ name: 'A', idNumber: '123', mobile: '12' }, NOW)
    expect(checks.name?.problem.message).toBe('请填写身份证上的姓名（2–20个汉字）。')
    expect(checks.idNumber?.problem.message).toBe(ID_PROBLEMS.FORMAT)
    expect(checks.mobile?.problem.message).toBe('请填写11位中国大陆手机号码。')
    // None of them shows while typing: only once the field is left.
    expect(Object.values(checks).some((c) => c?.live)).toBe(false)
  })

  it('the lending age is the rule set’s, said with its figures', () => {
    const minor = makeIdNumber({ birth: '20100101' })
    expect(identityChecks({ idNumber: minor }, NOW).idNumber?.problem.message).toBe(
      `未满${DEFAULT_RULE_SET.gates.minAge}周岁不能借款。`,
    )
    expect(identityChecks({ name: '张三', idNumber: makeIdNumber(), mobile: '138 0013 8000' }, NOW)).toEqual({})
  })
})

describe('the card number', () => {
  it('names the bank as soon as the prefix is known, and says nothing more while the card can still be right', () => {
    const { bank, check } = cardCheck('622588')
    expect(bank?.bank).toBe('招商银行')
    // Six digits are too few, but that is said once the field is left, not while typing.
    expect(check?.live).toBeUndefined()
    expect(check?.problem.message).toBe('银行卡号应为15–20位数字。')
  })

  it('a credit card or an unknown bank shows while typing; a short or mistyped number once the field is left', () => {
    const credit = cardCheck(makeCard('622575', '1234567890'))
    expect(credit.check).toMatchObject({ live: true, problem: { fix: NOT_DEBIT_FIX } })
    expect(cardCheck('12a').check).toMatchObject({ live: true, problem: { message: '银行卡号只能包含数字。' } })
    expect(cardCheck('123456').check?.live).toBe(true)
    expect(cardCheck('62258812').check).toEqual({
      problem: { message: '银行卡号应为15–20位数字。', fix: '请对照卡面完整输入卡号。' },
    })
    const good = makeCard('622588', '123456789')
    const mistyped = good.slice(0, -1) + String((Number(good.at(-1)) + 1) % 10)
    expect(cardCheck(mistyped).check?.problem.message).toBe('卡号校验未通过，可能有一位输错了。')
    expect(cardCheck(good.replace(/(\d{4})/g, '$1 ')).check).toBeUndefined()
  })
})

describe('what a step error offers', () => {
  const ways = { retry: jest.fn(), goTo: jest.fn() }
  const error = (code: string) => ({ code, message: '' }) as never

  it('a missing consent goes to the agreements, a missing step to that step, the rest is sent again', () => {
    expect(errorFix(null, ways)).toBeNull()
    errorFix(error('CONSENT_REQUIRED'), ways)?.run()
    expect(ways.goTo).toHaveBeenCalledWith('agreements')
    expect(errorFix(error('CONSENT_REQUIRED'), { ...ways, agreementsLabel: '去协议页' })?.label).toBe('去协议页')
    const earlier = { label: '去实名认证', run: jest.fn() }
    expect(errorFix(error('STEP_REQUIRED'), { ...ways, earlier })).toBe(earlier)
    const again = errorFix(error('NETWORK_ERROR'), ways)
    again?.run()
    expect([again?.label, ways.retry.mock.calls.length]).toEqual(['重试', 1])
  })

  it('with a list of codes worth retrying, no 重试 for the others', () => {
    const retryable = new Set(['NETWORK_ERROR'])
    expect(errorFix(error('IDENTITY_BOUND_ELSEWHERE'), { ...ways, retryable })).toBeNull()
    expect(errorFix(error('NETWORK_ERROR'), { ...ways, retryable })?.label).toBe('重试')
  })
})
