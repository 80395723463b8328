// Real-name check: legal name, resident ID and mobile, checked on the device and again on the
// server; resumed from the server's status (agreements first; an identity already verified is
// shown masked, with a way on).
import { Button } from '@nutui/nutui-react-taro'
import { Text, View } from '@tarojs/components'
import { ErrorNotice } from '../../../components/error-notice'
import { FormField, type FieldSpec } from '../../../components/form-field'
import { QueryView } from '../../../components/states'
import { StepBar } from '../../../components/step-bar'
import { StepGate } from '../../../components/step-gate'
import { Page } from '../../../components/page'
import { useRealName, type RealNameField } from '../../../hooks/use-real-name'
import { dateTime } from '../../../ui/format'
import { Row } from '../../../components/row'
import './index.scss'

const FIELDS: Array<FieldSpec<RealNameField>> = [
  { field: 'name', label: '姓名', placeholder: '与身份证一致', type: 'text', maxLength: 20 },
  { field: 'idNumber', label: '身份证号', placeholder: '18位居民身份证号码', type: 'idcard', maxLength: 18 },
  { field: 'mobile', label: '手机号', placeholder: '本人实名手机号', type: 'number', maxLength: 11 },
]

export default function RealName() {
  const form = useRealName()

  return (
    <Page>
      <StepBar current="realName" />
      <View className="kt-title">实名认证</View>
      <View className="kt-subtitle">
        通过持牌身份核验服务比对公安记录。姓名和身份证号加密保存，只在查询征信、人脸核身时解密，页面只显示脱敏形式（如
        1****************8）。
      </View>
      <QueryView query={form.status} loadingText="正在读取开通进度…">
        {() => {
          if (form.blocker)
            return (
              <StepGate
                blocker={form.blocker}
                doing="进行实名认证"
                consent="实名认证需要你先同意用户协议和隐私政策。"
                onGo={(page) => void form.goTo(page)}
              />
            )
          const verified = form.verified
          if (verified)
            return (
              <View className="kt-card" data-testid="identity-verified">
                <Text className="kt-ok">已完成实名认证</Text>
                {(
                  [
                    ['姓名', verified.name],
                    ['身份证号', verified.idNumber],
                    ['手机号', verified.mobile],
                    ['认证时间', dateTime(verified.verifiedAt)],
                  ] as const
                ).map(([label, value]) => (
                  <Row key={label} label={label} value={value} />
                ))}
                <View className="kt-actions">
                  <Button type="primary" block onClick={() => void form.continueOn()} aria-label="继续">
                    继续
                  </Button>
                </View>
              </View>
            )
          return (
            <View>
              {form.recheck ? (
                <View className="kt-card" data-testid="identity-recheck">
                  <Text>你已完成实名认证。为加密保存你的姓名和身份证号，请再输入一次，与认证时一致即可。</Text>
                </View>
              ) : null}
              <View className="kt-card">
                {FIELDS.map(({ field, label, placeholder, type, maxLength }) => {
                  const problem = form.problemFor(field)
                  return (
                    <FormField
                      key={field}
                      name={field}
                      label={label}
                      placeholder={placeholder}
                      type={type}
                      maxLength={maxLength}
                      value={form.values[field]}
                      onChange={(v) => form.set(field, v)}
                      onBlur={() => form.touch(field)}
                      problem={problem ? { message: problem } : undefined}
                    />
                  )
                })}
              </View>
              {form.formError ? (
                <ErrorNotice error={form.formError} retryLabel={form.formFix?.label} onRetry={form.formFix?.run} />
              ) : null}
              <View className="kt-actions">
                <Button
                  type="primary"
                  block
                  disabled={!form.canSubmit}
                  loading={form.busy}
                  onClick={() => void form.submit()}
                  aria-label="提交实名认证"
                >
                  提交认证
                </Button>
              </View>
            </View>
          )
        }}
      </QueryView>
    </Page>
  )
}
