// Browser only: choose a test user, standing in for WeChat's own identity.
import { useState } from 'react'
import { Button, Cell, CellGroup } from '@nutui/nutui-react-taro'
import { PlainInput } from '../plain-input'
import { Text, View } from '@tarojs/components'
import type { ApiError } from '../../api'
import type { Persona } from '../../services/platform'
import { Action } from '../action'

export interface DevSignInProps {
  personas: Persona[]
  busy: boolean
  error: ApiError | null
  onSignIn: (user: string) => void
}

/**
 * The test users come from the local cloud after the page shows: listed last, so that nothing
 * already on the screen moves when they arrive.
 */
export function DevSignIn({ personas, busy, error, onSignIn }: DevSignInProps) {
  const [custom, setCustom] = useState('')
  return (
    <View data-testid="dev-sign-in">
      <View className="kt-title">选择测试用户</View>
      <View className="kt-subtitle">浏览器版本没有微信身份，请选择一个本地测试用户（仅本地云可用）。</View>
      <View className="kt-card">
        <PlainInput
          name="devUser"
          placeholder="输入任意用户名（小写字母、数字），或从下面选择"
          value={custom}
          onChange={(v: string) => setCustom(v)}
          aria-label="测试用户名"
        />
        <Button block disabled={busy || custom.trim() === ''} onClick={() => onSignIn(custom)}>
          以该用户进入
        </Button>
      </View>
      <CellGroup>
        {personas.map((p) => (
          <Cell
            key={p.user}
            title={p.user}
            description={p.summary}
            extra={
              <Action primary small label={`以 ${p.user} 登录`} disabled={busy} onTap={() => onSignIn(p.user)}>
                登录
              </Action>
            }
          />
        ))}
      </CellGroup>
      {error ? <Text className="kt-error">{error.message}</Text> : null}
    </View>
  )
}
