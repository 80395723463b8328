// 合同详情: one signed contract — its signing record (template version, when, the document's
// SHA-256, the signer's pseudonym and the server's Ed25519 signature over that record), the whole
// text read-only, and 下载 PDF (WeChat's document viewer, or the browser's), with the PDF's own
// hash once it is fetched, so a copy can be checked.
import { Text, View } from '@tarojs/components'
import { useRouter } from '@tarojs/taro'
import type { ContractView } from '../../../api'
import { Action, Actions } from '../../../components/action'
import { ContractReader, shaPrefix } from '../../../components/contract-reader'
import { ErrorNotice } from '../../../components/error-notice'
import { Page } from '../../../components/page'
import { Heading } from '../../../components/prose'
import { Row } from '../../../components/row'
import { QueryView } from '../../../components/states'
import { useContractDetail, type PdfState } from '../../../hooks/use-contracts'
import { CONTRACT_KIND_NAMES, signatureText } from '../../../ui/contract-text'
import { PRODUCT_NAMES, bytesText, chinaTime } from '../../../ui/format'
import './index.scss'

function SigningRecord({ c }: { c: ContractView }) {
  const record = c.signing.record
  return (
    <View className="kt-card" data-testid="signing-record">
      <Row label="合同" value={c.title} />
      <Row label="产品" value={PRODUCT_NAMES[c.product] ?? c.product} />
      <Row label="类型" value={CONTRACT_KIND_NAMES[c.kind] ?? c.kind} />
      <Row label="合同版本" value={record.templateVersion} testId="record-version" />
      <Row label="签署时间" value={chinaTime(record.signedAt)} testId="record-signed-at" />
      <Text className="kt-muted contract-record-label">合同校验值（SHA-256）</Text>
      <Text className="contract-hash" data-testid="record-sha256">
        {record.sha256}
      </Text>
      <Text className="kt-muted contract-record-label">签署人（账户化名，不含微信身份）</Text>
      <Text className="contract-hash">{record.signer}</Text>
      <Text className="kt-muted contract-record-label">服务器签名</Text>
      <Text className="contract-hash" data-testid="record-signature">
        {signatureText(c.signing.signature)}
      </Text>
      <Text className="kt-muted">
        签署记录（合同校验值、版本、时间和签署人化名）由服务器用 Ed25519
        签名，任何人都可以用公开的验证密钥核对这份合同是否被改动过。
      </Text>
    </View>
  )
}

function Pdf({ pdf, onDownload }: { pdf: PdfState; onDownload: () => void }) {
  return (
    <View className="kt-card" data-testid="contract-pdf">
      <Text className="kt-muted">PDF 与上面的合同全文相同，并带有服务器的电子签章，可保存或转发。</Text>
      <Actions>
        <Action primary label="下载 PDF" disabled={pdf.busy} loading={pdf.busy} onTap={onDownload} />
      </Actions>
      {pdf.error ? <ErrorNotice error={pdf.error} onRetry={onDownload} /> : null}
      {pdf.pdf ? (
        <View data-testid="pdf-result" role="status">
          <View>
            <Text className={pdf.opened === 'opened' ? 'kt-ok' : 'kt-error'}>
              {pdf.opened === 'opened' ? '已下载并打开 PDF。' : 'PDF 已生成，但没有打开：请重试。'}
            </Text>
          </View>
          <Row label="PDF 校验值（SHA-256 前16位）" value={shaPrefix(pdf.pdf.pdfSha256)} testId="pdf-sha" />
          <Row label="文件大小" value={bytesText(pdf.pdf.bytes)} />
        </View>
      ) : null}
    </View>
  )
}

export default function ContractDetail() {
  const { params } = useRouter()
  const contractId = params.contractId || null
  const { query, pdf, download } = useContractDetail(contractId)
  return (
    <Page title="合同详情">
      {contractId === null ? (
        <ErrorNotice error={{ code: 'NOT_FOUND', message: '没有找到这份合同。' }} />
      ) : (
        <QueryView query={query} loadingText="正在读取合同…">
          {(c) => (
            <View data-testid="contract-detail">
              <Heading>签署记录</Heading>
              <SigningRecord c={c} />
              <Pdf pdf={pdf} onDownload={() => void download()} />
              <Heading>合同全文</Heading>
              <ContractReader contract={c} testId="contract-signed" />
            </View>
          )}
        </QueryView>
      )}
    </Page>
  )
}
