// The fees a product charges, one line each, as the catalog says them (ui/product-text feeLines):
// beside every rate a borrower is shown, so that no cost is left out.
import { Text, View } from '@tarojs/components'
import type { ProductSpec } from '../../domain/catalog'
import { feeLines } from '../../ui/product-text'

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
