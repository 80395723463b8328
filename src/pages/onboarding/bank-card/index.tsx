// 绑定银行卡: a debit card in the verified person's own name, its bank shown as the number is
// typed; the holder's name and ID are typed again and checked on the server, never stored.
import { fixedByAgreements } from '../../../api'
import { Button } from '@nutui/nutui-react-taro'
import { Text, View } from '@tarojs/components'
import { ErrorNotice } from '../../../components/error-notice'
import { FormField, type FieldSpec } from '../../../components/form-field'
import { QueryView } from '../../../components/states'
import { StepBar } from '../../../components/step-bar'
import { StepGate } from '../../../components/step-gate'
import { CARD_TYPE_NAMES, ISSUER_COUNT, useBankCard, type BankCardField } from '../../../hooks/use-bank-card'
import { Page } from '../../../components/page'
import { dateTime } from '../../../ui/format'
import './index.scss'

const FIELDS: Array<FieldSpec<BankCardField>> = [
  { field: 'name', label: '持卡人姓名', placeholder: '与实名认证一致', type: 'text', maxLength: 20 },
  { field: 'idNumber', label: '持卡人身份证号', placeholder: '与实名认证一致', type: 'idcard', maxLength: 18 },
  { field: 'cardNumber', label: '银行卡号', placeholder: '本人借记卡（储蓄卡）卡号', type: 'number', maxLength: 19 },
  { field: 'mobile', label: '银行预留手机号', placeholder: '办卡时在银行预留的手机号', type: 'number', maxLength: 11 },
]

export default function BankCard() {
  const form = useBankCard()

  return (
    <Page>
      <StepBar current="bankCard" />
      <View className="kt-title">绑定银行卡</View>
      <View className="kt-subtitle">
        绑定一张本人名下的借记卡（储蓄卡），用于放款和还款。卡号只保存尾号和加密标识，姓名和身份证号仅用于核对、不会保存。
      </View>
      <QueryView query={form.status} loadingText="正在读取开通进度…">
        {() => {
          if (form.blocker)
            return (
              <StepGate
                blocker={form.blocker}
                doing="绑定银行卡"
                consent="绑定银行卡需要你单独授权使用金融信息（用于向银行核验银行卡）。"
                onGo={(page) => void form.goTo(page)}
              />
            )
          return (
            <View>
              {form.cards.length > 0 ? (
                <View className="kt-card" data-testid="bound-cards">
                  <Text className="bank-card-heading">已绑定的银行卡</Text>
                  {form.cards.map((c) => (
                    <View key={`${c.bank}-${c.last4}-${c.boundAt}`} className="kt-row bound-card">
                      <Text>
                        {c.bank}　尾号 {c.last4}
                      </Text>
                      <Text className="kt-muted">{dateTime(c.boundAt)} 绑定</Text>
                    </View>
                  ))}
                  {!form.showForm ? (
                    <View className="kt-actions">
                      <Button type="primary" block onClick={() => void form.continueOn()} aria-label="继续">
                        继续
                      </Button>
                      <View className="bank-card-gap" />
                      <Button block onClick={form.addAnother} aria-label="添加另一张银行卡">
                        添加另一张银行卡
                      </Button>
                    </View>
                  ) : null}
                </View>
              ) : null}
              {form.showForm ? (
                <View>
                  <View className="kt-card">
                    {FIELDS.map(({ field, label, placeholder, type, maxLength }) => (
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
                        problem={form.problemFor(field)}
                        hint={
                          field === 'cardNumber' ? (
                            form.bank ? (
                              <Text className="kt-ok" data-testid="card-bank">
                                {form.bank.type
                                  ? `${form.bank.bank} · ${CARD_TYPE_NAMES[form.bank.type]}`
                                  : form.bank.bank}
                              </Text>
                            ) : (
                              <Text className="kt-muted">输入卡号前6位后显示发卡银行</Text>
                            )
                          ) : undefined
                        }
                      />
                    ))}
                  </View>
                  <Text className="kt-muted bank-card-banks">
                    支持全国 {ISSUER_COUNT} 家银行和信用社的借记卡（储蓄卡）；信用卡、准贷记卡和预付费卡不能用于还款。
                  </Text>
                  {form.formError ? (
                    fixedByAgreements(form.formError) ? (
                      <ErrorNotice
                        error={form.formError}
                        retryLabel="去授权"
                        onRetry={() => void form.goTo('agreements')}
                      />
                    ) : form.formError.code === 'STEP_REQUIRED' ? (
                      <ErrorNotice
                        error={form.formError}
                        retryLabel="去实名认证"
                        onRetry={() => void form.goTo('realName')}
                      />
                    ) : (
                      <ErrorNotice error={form.formError} onRetry={() => void form.submit()} />
                    )
                  ) : null}
                  <View className="kt-actions">
                    <Button
                      type="primary"
                      block
                      disabled={!form.canSubmit}
                      loading={form.busy}
                      onClick={() => void form.submit()}
                      aria-label="确认绑定"
                    >
                      确认绑定
                    </Button>
                  </View>
                </View>
              ) : null}
            </View>
          )
        }}
      </QueryView>
    </Page>
  )
}
