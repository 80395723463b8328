// Real-name check: legal name, resident ID and mobile, checked on the device and again on the server.
import { Button, Input } from '@nutui/nutui-react-taro'
import { Text, View } from '@tarojs/components'
import { ErrorNotice } from '../../../components/error-notice'
import { StepBar } from '../../../components/step-bar'
import { usePageClass } from '../../../hooks/use-elder-mode'
import { useGoNext } from '../../../hooks/use-onboarding-step'
import { useRealName, type RealNameField } from '../../../hooks/use-real-name'
import './index.scss'

const FIELDS: Array<{
  field: RealNameField
  label: string
  placeholder: string
  type: 'text' | 'idcard' | 'number'
  maxLength: number
}> = [
  { field: 'name', label: '姓名', placeholder: '与身份证一致', type: 'text', maxLength: 20 },
  { field: 'idNumber', label: '身份证号', placeholder: '18位居民身份证号码', type: 'idcard', maxLength: 18 },
  { field: 'mobile', label: '手机号', placeholder: '本人实名手机号', type: 'number', maxLength: 11 },
]

export default function RealName() {
  const pageClass = usePageClass()
  const form = useRealName()
  const goNext = useGoNext()

  const submit = async () => {
    const result = await form.submit()
    if (result?.ok) await goNext(result.data)
  }

  return (
    <View className={pageClass}>
      <StepBar current="realName" />
      <View className="kt-title">实名认证</View>
      <View className="kt-subtitle">
        通过持牌身份核验服务比对公安记录。身份证号只保存加密摘要和脱敏形式（如 1****************8）。
      </View>
      <View className="kt-card">
        {FIELDS.map(({ field, label, placeholder, type, maxLength }) => {
          const problem = form.problemFor(field)
          return (
            <View key={field} className="field" data-testid={`field-${field}`}>
              <Text className="field-label">{label}</Text>
              <View className="field-input">
                <Input
                  name={field}
                  type={type}
                  placeholder={placeholder}
                  maxLength={maxLength}
                  value={form.values[field]}
                  onChange={(v: string) => form.set(field, v)}
                  onBlur={() => form.touch(field)}
                  aria-label={label}
                />
              </View>
              {problem ? (
                <View role="alert">
                  <Text className="kt-error field-error">{problem}</Text>
                </View>
              ) : null}
            </View>
          )
        })}
      </View>
      {form.formError ? <ErrorNotice error={form.formError} /> : null}
      <View className="kt-actions">
        <Button
          type="primary"
          block
          disabled={!form.canSubmit}
          loading={form.busy}
          onClick={submit}
          aria-label="提交实名认证"
        >
          提交认证
        </Button>
      </View>
    </View>
  )
}
