// A refused request with what to do about it: the error (its message, and the advice's one action
// in place of a bare retry), then the advice's hint when the message alone does not say enough.
import { Text, View } from '@tarojs/components'
import type { ApiError } from '../../api'
import { ErrorNotice } from '../error-notice'
import './index.scss'

export function AdviceError({
  error,
  advice,
  onFollow,
  testId,
}: {
  error: ApiError | null
  advice: { hint: string | null; action: { label: string } | null } | null
  onFollow: () => void
  testId: string
}) {
  if (!error) return null
  return (
    <View data-testid={testId}>
      <ErrorNotice error={error} retryLabel={advice?.action?.label} onRetry={advice?.action ? onFollow : undefined} />
      {advice?.hint ? (
        <View className="advice-hint">
          <Text className="kt-muted">{advice.hint}</Text>
        </View>
      ) : null}
    </View>
  )
}
