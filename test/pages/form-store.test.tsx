/**
 * The onboarding steps' form store (useForm) over the real cloud mutation: when a field's problem
 * shows, where a server refusal shows and what clears it, and that sending the same values again
 * keeps their requestId (a request that did land is answered again, not run twice).
 */
import { act, renderHook } from '@testing-library/react'
import type { ApiResult } from '../../src/api'
import { useCloudMutation } from '../../src/hooks/use-cloud'
import { useForm } from '../../src/hooks/use-form'

const mockSent: Array<{ data: unknown; requestId?: string }> = []
let mockAnswers: Array<ApiResult<unknown>> = []

jest.mock('../../src/services/platform', () => ({
  platform: {
    send: async (_fn: string, envelope: { data: unknown; requestId?: string }) => {
      mockSent.push({ data: envelope.data, requestId: envelope.requestId })
      return mockAnswers.shift() ?? { ok: true, data: {} }
    },
  },
}))

beforeEach(() => {
  mockSent.length = 0
  mockAnswers = []
})

type F = 'name' | 'mobile'
function useTestForm() {
  return useForm({
    initial: { name: '', mobile: '' } as Record<F, string>,
    check: (v) => ({
      ...(v.name === 'x' ? { name: { problem: { message: 'bad name' }, live: true } } : {}),
      ...(v.mobile !== '' && v.mobile.length !== 11 ? { mobile: { problem: { message: '11 digits' } } } : {}),
    }),
    refusal: (e) =>
      e.code === 'MOBILE_INVALID' ? { field: 'mobile', problem: { message: e.message, fix: 'check it' } } : undefined,
    mutation: useCloudMutation('onboarding', 'verifyIdentity'),
    toInput: (v) => ({ name: v.name.trim(), idNumber: '1', mobile: v.mobile }),
  })
}

const fail = (code: string): ApiResult<unknown> => ({ ok: false, error: { code, message: `m:${code}` } as never })

it('a live problem shows while typing, the others once the field is left; submit waits for every field', () => {
  const { result } = renderHook(useTestForm)
  expect(result.current.canSubmit).toBe(false)
  act(() => result.current.set('name', 'x'))
  expect(result.current.problemFor('name')).toEqual({ message: 'bad name' })
  act(() => result.current.set('mobile', '138'))
  expect(result.current.problemFor('mobile')).toBeUndefined()
  act(() => result.current.touch('mobile'))
  expect(result.current.problemFor('mobile')).toEqual({ message: '11 digits' })
  act(() => {
    result.current.set('name', '张三')
    result.current.set('mobile', '13812345678')
  })
  expect([result.current.valid, result.current.complete, result.current.canSubmit]).toEqual([true, true, true])
})

it('the same values sent again keep their requestId; other values get a new one', async () => {
  const { result } = renderHook(useTestForm)
  act(() => {
    result.current.set('name', '张三')
    result.current.set('mobile', '13812345678')
  })
  mockAnswers = [fail('NETWORK_ERROR'), fail('NETWORK_ERROR')]
  await act(() => result.current.submit())
  expect(result.current.formError?.code).toBe('NETWORK_ERROR')
  await act(() => result.current.submit())
  expect(mockSent[1].requestId).toBe(mockSent[0].requestId)
  act(() => result.current.set('name', '李四'))
  await act(() => result.current.submit())
  expect(mockSent[2].requestId).not.toBe(mockSent[0].requestId)
  expect(result.current.formError).toBeNull()
  expect(mockSent[2].data).toEqual({ name: '李四', idNumber: '1', mobile: '13812345678' })
})

it('a refusal about a field shows on it, with its fix, until that field is edited', async () => {
  const { result } = renderHook(useTestForm)
  act(() => {
    result.current.set('name', '张三')
    result.current.set('mobile', '13812345678')
  })
  mockAnswers = [fail('MOBILE_INVALID')]
  await act(() => result.current.submit())
  expect(result.current.problemFor('mobile')).toEqual({ message: 'm:MOBILE_INVALID', fix: 'check it' })
  expect(result.current.formError).toBeNull()
  act(() => result.current.set('name', '李四'))
  expect(result.current.problemFor('mobile')?.fix).toBe('check it')
  act(() => result.current.set('mobile', '13912345678'))
  expect(result.current.problemFor('mobile')).toBeUndefined()
})
