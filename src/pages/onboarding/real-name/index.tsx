// Real-name check: legal name, resident ID and mobile, checked on the device and again on the
// server; resumed from the server's status (agreements first; an identity already verified is
// shown masked, with a way on).
import { Text, View } from '@tarojs/components'
import type { FieldSpec } from '../../../components/form-field'
import { Row } from '../../../components/row'
import { StepError, StepFields, StepPage, StepSubmit } from '../../../components/step-page'
import { useRealName, type RealNameField } from '../../../hooks/use-real-name'
import { dateTime } from '../../../ui/format'
import { Action, Actions } from '../../../components/action'
import { STEP_TEXTS } from '../step-texts'
import { MOBILE_DIGITS, NAME_LENGTH } from '../../../domain/figures'
import './index.scss'

const FIELDS: Array<FieldSpec<RealNameField>> = [
  { field: 'name', label: '姓名', placeholder: '与身份证一致', type: 'text', maxLength: NAME_LENGTH.max },
  { field: 'idNumber', label: '身份证号', placeholder: '18位居民身份证号码', type: 'idcard', maxLength: 18 },
  { field: 'mobile', label: '手机号', placeholder: '本人实名手机号', type: 'number', maxLength: MOBILE_DIGITS },
]

function Verified({
  identity,
  onContinue,
}: {
  identity: NonNullable<ReturnType<typeof useRealName>['verified']>
  onContinue: () => void
}) {
  return (
    <View className="kt-card" data-testid="identity-verified">
      <Text className="kt-ok">已完成实名认证</Text>
      <Row label="姓名" value={identity.name} />
      <Row label="身份证号" value={identity.idNumber} />
      <Row label="手机号" value={identity.mobile} />
      <Row label="认证时间" value={dateTime(identity.verifiedAt)} />
      <Actions>
        <Action primary label="继续" onTap={onContinue} />
      </Actions>
    </View>
  )
}

export default function RealName() {
  const form = useRealName()
  return (
    <StepPage step="realName" {...STEP_TEXTS.realName} gate={form}>
      {() =>
        form.verified ? (
          <Verified identity={form.verified} onContinue={() => void form.continueOn()} />
        ) : (
          <View>
            {form.recheck ? (
              <View className="kt-card" data-testid="identity-recheck">
                <Text>你已完成实名认证。为加密保存你的姓名和身份证号，请再输入一次，与认证时一致即可。</Text>
              </View>
            ) : null}
            <StepFields fields={FIELDS} form={form} />
            <StepError error={form.formError} fix={form.formFix} />
            <StepSubmit form={form} label="提交实名认证" />
          </View>
        )
      }
    </StepPage>
  )
}
