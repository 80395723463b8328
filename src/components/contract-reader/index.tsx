// The contract as the borrower reads it: its title, template version, the whole text and the first
// 16 hex digits of its SHA-256; when it is to be signed, one explicit 「同意并签署」 button — never
// pre-checked, enabled only once this very text is on screen — that hands back the hash of exactly
// the text shown. Without `onSign` it is read-only (a contract already signed).
import { useEffect, useMemo, useState, type ReactNode } from 'react'
import { Text, View } from '@tarojs/components'
import { RichText } from '../rare-components'
import { Action } from '../action'
import { Row } from '../row'
import { contractNodes, shaPrefix } from './nodes'
import './index.scss'

export { contractNodes, shaPrefix } from './nodes'

/** What the reader shows: a preview to sign, or a signed contract. */
export interface ContractDocument {
  title: string
  templateVersion: string
  text: string
  sha256: string
}

export function ContractReader({
  contract,
  loading = false,
  busy = false,
  notice,
  onSign,
  signNote,
  testId = 'contract-reader',
  children,
}: {
  contract: ContractDocument | null
  /** A newer text is on its way: nothing can be signed until it is shown. */
  loading?: boolean
  /** The signature is being sent. */
  busy?: boolean
  /** Said above the text (the contract changed: read it again). */
  notice?: string | null
  /** Signing: called with the SHA-256 of the text on screen. */
  onSign?: (sha256: string) => void
  /** What signing does next, said beside the button. */
  signNote?: string
  testId?: string
  children?: ReactNode
}) {
  const sha256 = contract?.sha256 ?? null
  const text = contract?.text ?? ''
  const nodes = useMemo(() => contractNodes(text, process.env.TARO_ENV !== 'h5'), [text])
  // The hash of the text that has been put on screen (an effect runs after it was rendered).
  const [shown, setShown] = useState<string | null>(null)
  useEffect(() => {
    setShown(sha256 !== null && !loading ? sha256 : null)
  }, [sha256, loading])
  const ready = sha256 !== null && shown === sha256 && !loading && !busy
  return (
    <View className="kt-card contract-reader" data-testid={testId} data-sha256={sha256 ?? ''}>
      {notice ? (
        <View className="contract-notice" role="alert" data-testid="contract-notice">
          <Text className="kt-error">{notice}</Text>
        </View>
      ) : null}
      {contract ? (
        <View>
          <View className="contract-title" role="heading" aria-level={2}>
            <Text>{contract.title}</Text>
          </View>
          <Row label="合同版本" value={contract.templateVersion} testId="contract-version" />
          <RichText className="contract-text" nodes={nodes} data-testid="contract-text" />
          <Row
            label="合同校验值（SHA-256 前16位）"
            value={shaPrefix(contract.sha256)}
            className="contract-sha"
            testId="contract-sha"
          />
        </View>
      ) : (
        <View aria-busy={loading ? 'true' : 'false'}>
          <Text className="kt-muted">{loading ? '正在读取合同…' : '合同暂时无法显示。'}</Text>
        </View>
      )}
      {loading && contract ? (
        <View aria-busy="true" data-testid="contract-loading">
          <Text className="kt-muted">正在读取最新的合同…</Text>
        </View>
      ) : null}
      {onSign ? (
        <View className="contract-sign">
          <Text className="kt-muted">
            {`点“同意并签署”即表示你已阅读并同意以上合同全文；签署记录保存合同的校验值、版本和时间，之后可以随时查看和下载。${signNote ?? ''}`}
          </Text>
          <Action
            primary
            label="同意并签署"
            disabled={!ready}
            loading={busy}
            onTap={() => {
              if (ready && sha256 !== null) onSign(sha256)
            }}
          />
        </View>
      ) : null}
      {children}
    </View>
  )
}
