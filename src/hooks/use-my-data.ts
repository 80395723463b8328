// 我的数据: what is held about the user (masked), the consents they gave and withdrawing the
// optional ones, export, and deletion with a second confirmation (PIPL: see, export, withdraw,
// delete).
import { useCallback, useEffect, useMemo, useState } from 'react'
import Taro from '@tarojs/taro'
import type { ConsentView, DeleteResult, WithdrawResult } from '../api'
import { useCloudMutation, useCloudQuery } from './use-cloud'
import { consentStandings, useWithdrawal } from './use-consents'

/** UTF-8 length of a string, in bytes (the mini-program runtime has no TextEncoder everywhere). */
export function utf8Bytes(text: string): number {
  let n = 0
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c < 0x80) n += 1
    else if (c < 0x800) n += 2
    else if (c >= 0xd800 && c <= 0xdbff) {
      n += 4
      i++
    } else n += 3
  }
  return n
}

export interface ExportSummaryItem {
  key: string
  label: string
  value: string
}

const count = (v: unknown) => (Array.isArray(v) ? v.length : 0)

/** What an export holds, item by item, as the user reads it. */
export function exportSummary(data: Record<string, unknown>): ExportSummaryItem[] {
  const agreements = data.agreements && typeof data.agreements === 'object' ? Object.keys(data.agreements).length : 0
  return [
    { key: 'identity', label: '实名信息（脱敏）', value: data.identity ? '有' : '无' },
    { key: 'agreements', label: '已同意的协议', value: `${agreements} 项` },
    { key: 'cards', label: '银行卡（仅尾号）', value: `${count(data.cards)} 张` },
    { key: 'consents', label: '授权记录', value: `${count(data.consents)} 条` },
    { key: 'loans', label: '借款及还款计划', value: `${count(data.loans)} 笔` },
    { key: 'receipts', label: '电子凭证', value: `${count(data.receipts)} 张` },
    { key: 'audit', label: '操作记录', value: `${count(data.audit)} 条` },
    { key: 'payScore', label: '微信支付分授权状态', value: data.payScore ? '有' : '无' },
    { key: 'face', label: '人脸核身结果（不含图像）', value: data.face ? '有' : '无' },
  ]
}

export type DeleteStep = 'idle' | 'confirming'

export function useMyData() {
  const status = useCloudQuery('onboarding', 'status', {})
  const consents = useCloudQuery('account', 'consents', {})
  // A withdrawal answers with the consents as they are now (the withdrawal among them): shown
  // until the list is read again.
  const [latest, setLatest] = useState<ConsentView[] | null>(null)
  const reloadStatus = status.reload
  const onWithdrawn = useCallback(
    (r: WithdrawResult) => {
      setLatest(r.consents)
      void reloadStatus()
    },
    [reloadStatus],
  )
  const withdrawal = useWithdrawal(onWithdrawn)
  // The list read again (the page shown again, after a consent was given elsewhere) is the newer word.
  useEffect(() => setLatest(null), [consents.data])
  const consentList = latest ?? consents.data
  const standings = useMemo(() => (consentList ? consentStandings(consentList) : null), [consentList])

  // The export is fetched only when asked for.
  const [exportAsked, setExportAsked] = useState(false)
  const exported = useCloudQuery('account', 'export', {}, exportAsked)
  const [copied, setCopied] = useState<boolean | null>(null)
  const json = useMemo(() => (exported.data ? JSON.stringify(exported.data, null, 2) : null), [exported.data])
  const ready = useMemo(
    () =>
      exportAsked && !exported.loading && exported.data && json !== null
        ? { summary: exportSummary(exported.data), bytes: utf8Bytes(json) }
        : null,
    [exportAsked, exported.loading, exported.data, json],
  )
  const requestExport = useCallback(() => {
    setCopied(null)
    if (exportAsked) void exported.reload()
    else setExportAsked(true)
  }, [exportAsked, exported])
  const copyExport = useCallback(async () => {
    if (json === null) return
    try {
      await Taro.setClipboardData({ data: json })
      setCopied(true)
    } catch {
      setCopied(false)
    }
  }, [json])

  const [deleteStep, setDeleteStep] = useState<DeleteStep>('idle')
  const [deleteResult, setDeleteResult] = useState<DeleteResult | null>(null)
  const remove = useCloudMutation('account', 'delete')
  const askDelete = useCallback(() => setDeleteStep('confirming'), [])
  const cancelDelete = useCallback(() => setDeleteStep('idle'), [])
  const confirmDelete = useCallback(async () => {
    const result = await remove.run({ confirm: true })
    if (!result?.ok) return
    setDeleteResult(result.data)
    setDeleteStep('idle')
    // What was shown is gone now: show what is left, and drop the old export.
    setExportAsked(false)
    setCopied(null)
    setLatest(null)
    void status.reload()
    void consents.reload()
  }, [remove, status, consents])

  return {
    status,
    consents: { ...consents, data: consentList },
    /** The optional consents, each given or not, and withdrawing one. */
    optional: { standings, withdrawal },
    exportView: {
      asked: exportAsked,
      loading: exported.loading,
      error: exported.error,
      data: ready,
      copied,
      request: requestExport,
      copy: copyExport,
    },
    deletion: {
      step: deleteStep,
      busy: remove.busy,
      error: remove.error,
      result: deleteResult,
      ask: askDelete,
      cancel: cancelDelete,
      confirm: confirmDelete,
    },
  }
}
