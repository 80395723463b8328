// An error the user can act on: what went wrong, and a retry when one makes sense.
import { Button } from '@nutui/nutui-react-taro'
import { Text, View } from '@tarojs/components'
import type { ApiError } from '../../api'

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
        <View className="kt-actions">
          <Button size="small" onClick={onRetry} aria-label={retryLabel}>
            {retryLabel}
          </Button>
        </View>
      ) : null}
    </View>
  )
}
