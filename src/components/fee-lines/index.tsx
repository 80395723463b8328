// The fees a product charges, one line each, as the catalog says them (ui/product-text feeLines):
// beside every rate a borrower is shown, so that no cost is left out.
import { Text, View } from '@tarojs/components'
import type { ApiError } from '../../api'
import type { ProductSpec } from '../../domain/catalog'
import { feeLines } from '../../ui/product-text'
import { ErrorNotice } from '../error-notice'

export function FeeLines({
  spec,
  testId,
  className,
  lineClassName,
}: {
  spec: ProductSpec
  testId: string
  className?: string
  /** Each fee line's class (the surrounding card decides how it reads). */
  lineClassName: string
}) {
  return (
    <View className={className} data-testid={testId}>
      {feeLines(spec).map((f) => (
        <Text key={f} className={lineClassName}>
          {f}
        </Text>
      ))}
    </View>
  )
}

/** The fees could not be read (the catalog did not arrive): said, with a retry — never just left out. */
export function FeesUnavailable({ fees }: { fees: { error: ApiError | null; reload: () => Promise<void> } }) {
  return fees.error ? (
    <ErrorNotice error={fees.error} onRetry={() => void fees.reload()} retryLabel="重新加载费用说明" />
  ) : null
}
