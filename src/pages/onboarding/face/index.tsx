// 人脸核身: for products that need it (小鹅花钱), and again before paying out a loan held for a new
// device or a distant sign-in. WeChat's face page runs on the device; only the server's query of
// WeChat decides. No face image is taken, kept or shown here.
import { Text, View } from '@tarojs/components'
import type { FieldSpec } from '../../../components/form-field'
import { Empty } from '../../../components/states'
import { StepError, StepFields, StepPage } from '../../../components/step-page'
import { useFace, type FaceField } from '../../../hooks/use-face'
import { PRODUCT_NAMES } from '../../../ui/format'
import { Action, Actions } from '../../../components/action'
import { STEP_TEXTS } from '../step-texts'
import { NAME_LENGTH } from '../../../domain/figures'
import './index.scss'

const FIELDS: Array<FieldSpec<FaceField>> = [
  { field: 'name', label: '姓名', placeholder: '与实名认证一致', type: 'text', maxLength: NAME_LENGTH.max },
  { field: 'idNumber', label: '身份证号', placeholder: '与实名认证一致', type: 'idcard', maxLength: 18 },
]

type Face = ReturnType<typeof useFace>

function Passed({ onContinue }: { onContinue: () => void }) {
  return (
    <View className="kt-card" data-testid="face-passed">
      <Text className="kt-ok">你已完成人脸核身。</Text>
      <Actions>
        <Action primary label="继续" onTap={onContinue} />
      </Actions>
    </View>
  )
}

/** A face outcome that was not a pass: what happened, what to do, and 重新核身. */
function Failure({ face, failure }: { face: Face; failure: NonNullable<Face['faceFailure']> }) {
  return (
    <View className="kt-card face-failure" role="alert" data-testid="face-failure" data-code={failure.code}>
      <Text className="kt-error">{failure.message}</Text>
      <View>
        <Text className="kt-muted">怎么办：{failure.fix}</Text>
      </View>
      <Actions>
        <Action
          primary
          label="重新核身"
          disabled={face.running}
          loading={face.running}
          onTap={() => void face.retry()}
        />
      </Actions>
    </View>
  )
}

function Start({ face }: { face: Face }) {
  return (
    <Actions>
      <Action
        primary
        label="开始人脸核身"
        disabled={!face.canStart || face.running}
        loading={face.running}
        onTap={() => void face.verify()}
      />
    </Actions>
  )
}

export default function Face() {
  const face = useFace()
  const productName = face.product ? PRODUCT_NAMES[face.product] : null
  return (
    <StepPage
      step="face"
      {...STEP_TEXTS.face}
      subtitle={
        face.loanId
          ? '检测到新设备或异地登录：放款前请再次完成人脸核身。'
          : productName
            ? `开通${productName}需要人脸核身，确认是你本人在操作。`
            : '确认是你本人在操作。'
      }
      gate={face}
      unavailable={
        !face.product && !face.loanId ? (
          <Empty text="没有指定要开通的产品。" action="去选择产品" onAction={() => void face.goTo('products')} />
        ) : undefined
      }
    >
      {() =>
        face.alreadyPassed ? (
          <Passed onContinue={() => void face.continueOn()} />
        ) : (
          <View>
            <StepFields
              fields={FIELDS}
              form={face}
              note="请填写实名认证时的姓名和身份证号（仅用于本次核身，不会保存）。"
            />
            <View className="kt-card">
              <Text className="kt-muted">
                核身在微信的人脸核身页面完成：请在光线充足处，正对镜头，摘下帽子和眼镜。我们不保存人脸图像或特征，只保存是否通过和核身时间。
              </Text>
            </View>
            {face.faceFailure ? (
              <Failure face={face} failure={face.faceFailure} />
            ) : face.error ? (
              <StepError error={face.error} fix={face.errorFix} />
            ) : (
              <Start face={face} />
            )}
          </View>
        )
      }
    </StepPage>
  )
}
