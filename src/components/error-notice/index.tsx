// An error the user can act on: what went wrong, and a retry when one makes sense.
import { Text, View } from '@tarojs/components'
import type { ApiError } from '../../api'
import { Action, Actions } from '../action'

export function ErrorNotice({
  error,
  onRetry,
  retryLabel = '重试',
}: {
  error: ApiError
  onRetry?: () => void
  retryLabel?: string
}) {
  return (
    <View className="kt-card" data-testid="error-notice" role="alert">
      <Text className="kt-error">{error.message}</Text>
      {onRetry ? (
        <Actions>
          <Action small label={retryLabel} onTap={onRetry} />
        </Actions>
      ) : null}
    </View>
  )
}
