// The three states every page shows before its content: loading, empty and error.
import { Text, View } from '@tarojs/components'
import type { ApiError } from '../../api'
import { ErrorNotice } from '../error-notice'
import { Action, Actions } from '../action'

export function Loading({ text = '加载中…' }: { text?: string }) {
  return (
    <View className="kt-card kt-state" data-testid="loading" aria-busy="true">
      <Text className="kt-muted">{text}</Text>
    </View>
  )
}

export function Empty({ text, action, onAction }: { text: string; action?: string; onAction?: () => void }) {
  return (
    <View className="kt-card kt-state" data-testid="empty">
      <Text className="kt-muted">{text}</Text>
      {action && onAction ? (
        <Actions>
          <Action small label={action} onTap={onAction} />
        </Actions>
      ) : null}
    </View>
  )
}

/** Loading, then the error with a retry, then the content; `empty` when there is nothing to show. */
export function QueryView<T>({
  query,
  empty,
  children,
  loadingText,
}: {
  query: { loading: boolean; data: T | null; error: ApiError | null; reload: () => Promise<void> }
  empty?: (data: T) => string | null
  children: (data: T) => JSX.Element | null
  loadingText?: string
}) {
  // Not found stays not found: no retry to offer.
  if (query.error)
    return (
      <ErrorNotice
        error={query.error}
        onRetry={query.error.code === 'NOT_FOUND' ? undefined : () => void query.reload()}
      />
    )
  if (query.data === null) return query.loading ? <Loading text={loadingText} /> : null
  const emptyText = empty?.(query.data)
  if (emptyText) return <Empty text={emptyText} />
  return children(query.data)
}
