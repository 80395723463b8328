// 绑定银行卡: a debit card in the verified person's own name, its bank shown as the number is
// typed; the holder's name and ID are typed again and checked on the server, never stored.
import { Text, View } from '@tarojs/components'
import type { OnboardingStatus } from '../../../api'
import type { FieldSpec } from '../../../components/form-field'
import { StepError, StepFields, StepPage, StepSubmit } from '../../../components/step-page'
import { useBankCard, type BankCardField } from '../../../hooks/use-bank-card'
import { CARD_TYPE_NAMES, ISSUER_COUNT } from '../../../ui/field-checks'
import { dateTime } from '../../../ui/format'
import { Action, Actions } from '../../../components/action'
import { STEP_TEXTS } from '../step-texts'
import { CARD_DIGITS, MOBILE_DIGITS, NAME_LENGTH } from '../../../domain/figures'
import './index.scss'

const FIELDS: Array<FieldSpec<BankCardField>> = [
  { field: 'name', label: '持卡人姓名', placeholder: '与实名认证一致', type: 'text', maxLength: NAME_LENGTH.max },
  { field: 'idNumber', label: '持卡人身份证号', placeholder: '与实名认证一致', type: 'idcard', maxLength: 18 },
  {
    field: 'cardNumber',
    label: '银行卡号',
    placeholder: '本人借记卡（储蓄卡）卡号',
    type: 'number',
    // Room for the spaces people type between groups of four.
    maxLength: CARD_DIGITS.max + 4,
  },
  {
    field: 'mobile',
    label: '银行预留手机号',
    placeholder: '办卡时在银行预留的手机号',
    type: 'number',
    maxLength: MOBILE_DIGITS,
  },
]

type Form = ReturnType<typeof useBankCard>

/** The cards already bound, and — unless another is being added — 继续 or 添加另一张. */
function BoundCards({ cards, form }: { cards: OnboardingStatus['cards']; form: Form }) {
  return (
    <View className="kt-card" data-testid="bound-cards">
      <Text className="bank-card-heading">已绑定的银行卡</Text>
      {cards.map((c) => (
        <View key={`${c.bank}-${c.last4}-${c.boundAt}`} className="kt-row bound-card">
          <Text>
            {c.bank}　尾号 {c.last4}
          </Text>
          <Text className="kt-muted">{dateTime(c.boundAt)} 绑定</Text>
        </View>
      ))}
      {!form.showForm ? (
        <Actions>
          <Action primary label="继续" onTap={() => void form.continueOn()} />
          <View className="bank-card-gap" />
          <Action label="添加另一张银行卡" onTap={form.addAnother} />
        </Actions>
      ) : null}
    </View>
  )
}

/** Under the card number: the bank it belongs to, as it is typed. */
function CardBank({ bank }: { bank: Form['bank'] }) {
  if (!bank) return <Text className="kt-muted">输入卡号前6位后显示发卡银行</Text>
  return (
    <Text className="kt-ok" data-testid="card-bank">
      {bank.type ? `${bank.bank} · ${CARD_TYPE_NAMES[bank.type]}` : bank.bank}
    </Text>
  )
}

function CardForm({ form }: { form: Form }) {
  return (
    <View>
      <StepFields
        fields={FIELDS}
        form={form}
        hint={(field) => (field === 'cardNumber' ? <CardBank bank={form.bank} /> : undefined)}
      />
      <Text className="kt-muted bank-card-banks">
        支持全国 {ISSUER_COUNT} 家银行和信用社的借记卡（储蓄卡）；信用卡、准贷记卡和预付费卡不能用于还款。
      </Text>
      <StepError error={form.formError} fix={form.formFix} />
      <StepSubmit form={form} label="确认绑定" />
    </View>
  )
}

export default function BankCard() {
  const form = useBankCard()
  return (
    <StepPage step="bankCard" {...STEP_TEXTS.bankCard} gate={form}>
      {() => (
        <View>
          {form.cards.length > 0 ? <BoundCards cards={form.cards} form={form} /> : null}
          {form.showForm ? <CardForm form={form} /> : null}
        </View>
      )}
    </StepPage>
  )
}
