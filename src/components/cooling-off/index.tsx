// The 冷静期 countdown with its cancel button. The window is the server's: the time left is
// coolingOffEndsAt − serverTime at the fetch, less the time elapsed on this device since then.
// The ticking state lives here, so each second re-renders only this text, not the page.
import { useEffect, useState } from 'react'
import { Text, View } from '@tarojs/components'
import { COOLING_OFF_HOURS } from '../../domain/agreements'
import { countdown, dateTime } from '../../ui/format'
import { Action, Actions } from '../action'
import './index.scss'

/** Milliseconds left in the window, from the server's times and the device's elapsed time since the fetch. */
export function remainingMs(endsAt: number, serverTime: number, fetchedAt: number, deviceNow: number): number {
  return endsAt - serverTime - Math.max(0, deviceNow - fetchedAt)
}

/** Whole seconds left, rounded up: the display reaches 00:00:00 exactly when the window closes. */
const secondsLeft = (ms: number) => Math.max(0, Math.ceil(ms / 1000))

export function CoolingOff({
  endsAt,
  serverTime,
  busy,
  onCancel,
}: {
  /** LoanView.coolingOffEndsAt (server time). */
  endsAt: number
  /** LoanView.serverTime: the server's clock when the loan was read. */
  serverTime: number
  busy: boolean
  onCancel: () => void
}) {
  // The device time the server's view arrived; a new view brings a new serverTime and a new anchor.
  const [anchor, setAnchor] = useState(() => ({ serverTime, at: Date.now() }))
  if (anchor.serverTime !== serverTime) setAnchor({ serverTime, at: Date.now() })
  const fetchedAt = anchor.at
  const [left, setLeft] = useState(() => secondsLeft(endsAt - serverTime))
  const [confirming, setConfirming] = useState(false)

  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined
    const tick = () => {
      const ms = remainingMs(endsAt, serverTime, fetchedAt, Date.now())
      setLeft(secondsLeft(ms))
      // Wake at the next whole second, so the text changes once a second and closes on time.
      if (ms > 0) timer = setTimeout(tick, ms % 1000 || 1000)
    }
    tick()
    return () => clearTimeout(timer)
  }, [endsAt, serverTime, fetchedAt])

  if (left <= 0) {
    return (
      <View className="kt-card" data-testid="cooling-off" data-open="false">
        <Text>冷静期已结束</Text>
        <View>
          <Text className="kt-muted">
            放款后{COOLING_OFF_HOURS}小时的冷静期已过，不能再取消借款；可以随时提前还款。
          </Text>
        </View>
      </View>
    )
  }

  return (
    <View className="kt-card" data-testid="cooling-off" data-open="true">
      <View className="kt-row">
        <Text>冷静期剩余</Text>
        <Text className="cooling-off-clock" data-testid="cooling-off-left">
          {countdown(left * 1000)}
        </Text>
      </View>
      <Text className="kt-muted">
        {COOLING_OFF_HOURS}小时内可无理由取消：{dateTime(endsAt)}（北京时间）前取消，退回本金，不收利息和任何费用。
      </Text>
      {confirming ? (
        <Actions testId="cancel-confirm">
          <View>
            <Text>
              取消需通过微信支付退回本金，不收利息和任何费用；到账后借款关闭（付款 2 小时内有效）。确定取消这笔借款吗？
            </Text>
          </View>
          <Actions>
            <Action danger label="确认取消借款" disabled={busy} loading={busy} onTap={onCancel} />
          </Actions>
          <Actions>
            <Action label="暂不取消" disabled={busy} onTap={() => setConfirming(false)} />
          </Actions>
        </Actions>
      ) : (
        <Actions>
          <Action label="取消借款" disabled={busy} onTap={() => setConfirming(true)} />
        </Actions>
      )}
    </View>
  )
}
