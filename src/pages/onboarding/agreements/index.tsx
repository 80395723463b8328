// Agreements and separate consents: each accepted on its own, stored with its version and time.
import { Checkbox, Tag } from '@nutui/nutui-react-taro'
import { Text, View } from '@tarojs/components'
import { ErrorNotice } from '../../../components/error-notice'
import { Loading } from '../../../components/states'
import { StepBar } from '../../../components/step-bar'
import { Page } from '../../../components/page'
import { AGREEMENT_KINDS, AGREEMENT_VERSIONS } from '../../../domain/agreements'
import { useAgreements } from '../../../hooks/use-agreements'
import { AGREEMENT_TEXTS } from './texts'
import { StepSubmit } from '../../../components/step-page'
import './index.scss'

export default function Agreements() {
  const form = useAgreements()
  const { status, ready, checked } = form

  return (
    <Page>
      <StepBar current="agreements" />
      <View className="kt-title">阅读并同意</View>
      <View className="kt-subtitle">
        前两项为使用本服务所必需；后两项为单独授权，可以不同意，只影响需要它的功能（不同意金融信息授权则无法预审和申请）。
      </View>
      {/* What was already accepted is ticked when the status arrives: until then, no boxes to tick. */}
      {ready ? null : <Loading text="正在读取已同意的协议…" />}
      {!ready
        ? null
        : AGREEMENT_KINDS.map((kind) => {
            const t = AGREEMENT_TEXTS[kind]
            return (
              <View className="kt-card agreement" key={kind} data-testid={`agreement-${kind}`}>
                <Checkbox
                  checked={checked[kind]}
                  onChange={(value: boolean) => form.check(kind, value)}
                  aria-label={t.title}
                />
                <View className="agreement-body">
                  <View className="agreement-head">
                    <Text>{t.title}</Text>
                    <Tag className="agreement-tag" type={form.isRequired(kind) ? 'primary' : 'default'}>
                      {form.isRequired(kind) ? '必需' : '可选'}
                    </Tag>
                  </View>
                  <Text className="kt-muted">{t.summary}</Text>
                  <View>
                    <Text className="kt-muted">版本 {AGREEMENT_VERSIONS[kind]}</Text>
                  </View>
                </View>
              </View>
            )
          })}
      {form.error ? <ErrorNotice error={form.error} /> : null}
      {status.error ? <ErrorNotice error={status.error} onRetry={status.reload} /> : null}
      <StepSubmit form={form} label="同意并继续" bare />
    </Page>
  )
}
