// The message center (消息中心): reminders kept in the app, newest first; reading one opens its loan.
import { useCallback, useMemo, useRef, useState } from 'react'
import type { InboxMessage } from '../api'
import { go } from '../services/nav'
import { useCloudMutation, useCloudQuery, useReloadOnShow } from './use-cloud'

/** The server accepts at most this many ids in one reminders.read. */
const READ_BATCH = 100

/** The unread count for the 我的 tab's badge, read again every time the tab shows. */
export function useUnreadCount() {
  const inbox = useCloudQuery('reminders', 'inbox', {})
  useReloadOnShow(inbox.reload)
  return { unread: inbox.data?.unread ?? null, loading: inbox.loading, error: inbox.error, reload: inbox.reload }
}

export function useInbox() {
  const query = useCloudQuery('reminders', 'inbox', {})
  useReloadOnShow(query.reload)
  const read = useCloudMutation('reminders', 'read')
  const runRead = read.run
  // Read on this page since the last load: shown as read without waiting for a reload.
  const [readHere, setReadHere] = useState<ReadonlySet<string>>(new Set())
  // What the last failed attempt tried to mark, so a retry marks exactly that.
  const failed = useRef<string[]>([])

  const messages = useMemo<InboxMessage[]>(
    () =>
      (query.data?.messages ?? [])
        .map((m) => (readHere.has(m.id) ? { ...m, read: true } : m))
        .sort((a, b) => b.at - a.at),
    [query.data, readHere],
  )
  const unread = messages.filter((m) => !m.read).length

  const markRead = useCallback(
    async (ids: string[]) => {
      for (let i = 0; i < ids.length; i += READ_BATCH) {
        const batch = ids.slice(i, i + READ_BATCH)
        const result = await runRead({ ids: batch })
        if (result === null) return false
        if (!result.ok) {
          failed.current = ids.slice(i)
          return false
        }
        setReadHere((s) => new Set([...s, ...batch]))
      }
      failed.current = []
      return true
    },
    [runRead],
  )

  /**
   * Marks the message read, then opens its loan (even if marking failed: the loan is what the user
   * asked for). A message about a line (no loan) is read where it is.
   */
  const open = useCallback(
    async (message: InboxMessage) => {
      if (!message.read) await markRead([message.id])
      if (message.loanId) await go('loan', { loanId: message.loanId })
    },
    [markRead],
  )

  const markAllRead = useCallback(async () => {
    const ids = messages.filter((m) => !m.read).map((m) => m.id)
    if (ids.length > 0) await markRead(ids)
  }, [messages, markRead])

  const retryMark = useCallback(async () => {
    if (failed.current.length > 0) await markRead(failed.current)
  }, [markRead])

  return {
    query,
    messages,
    unread,
    open,
    markAllRead,
    retryMark,
    marking: read.busy,
    markError: read.error,
  }
}
