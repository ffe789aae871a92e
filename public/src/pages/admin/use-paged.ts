import { App } from 'antd'
import { useCallback, useEffect, useRef, useState } from 'react'
import { useT } from '../../i18n'
import { errorText } from '../../ui/errors'
import { common } from './common-messages'

/** One page of rows and the total the server counted. */
export interface PageOf<T> {
  rows: T[]
  total: number
}

/** What usePaged gives a page: rows, paging state for antd's Table, and a reload. */
export interface Paged<T> {
  rows: T[]
  total: number
  loading: boolean
  pageNo: number
  pageSize: number
  /** Moves to a page (and size); page 1 when the size changes. */
  setPage(pageNo: number, pageSize?: number): void
  reload(): void
  /** antd Table `pagination` prop. */
  pagination: { current: number; pageSize: number; total: number; showSizeChanger: boolean; pageSizeOptions: number[]; onChange(page: number, size: number): void; showTotal(total: number): string }
}

/**
 * Server-side paging for list pages: `load(pageNo, pageSize)` asks the server for one page, so the browser never
 * holds more than a page. `deps` (filters, namespace) restart at page 1; errors show as antd messages.
 */
export function usePaged<T>(load: (pageNo: number, pageSize: number) => Promise<PageOf<T>>, deps: unknown[], initialSize = 10): Paged<T> {
  const { message } = App.useApp()
  const t = useT(common)
  const [pageNo, setPageNo] = useState(1)
  const [pageSize, setPageSize] = useState(initialSize)
  const [data, setData] = useState<PageOf<T>>({ rows: [], total: 0 })
  const [loading, setLoading] = useState(false)
  const [tick, setTick] = useState(0)
  const loadRef = useRef(load)
  loadRef.current = load
  const depKey = JSON.stringify(deps)
  const lastDeps = useRef(depKey)

  useEffect(() => {
    // Filters changed: back to page 1 (the effect re-runs with it).
    if (lastDeps.current !== depKey) {
      lastDeps.current = depKey
      if (pageNo !== 1) return setPageNo(1)
    }
    let live = true
    setLoading(true)
    loadRef.current(pageNo, pageSize).then(
      (d) => {
        if (!live) return
        // A page past the end (rows deleted): step back to the last page that has rows.
        if (d.rows.length === 0 && d.total > 0 && pageNo > 1) setPageNo(Math.max(1, Math.ceil(d.total / pageSize)))
        else setData(d)
      },
      (e) => {
        if (!live) return
        setData({ rows: [], total: 0 })
        message.error(errorText(e))
      },
    ).finally(() => live && setLoading(false))
    return () => {
      live = false
    }
  }, [pageNo, pageSize, tick, depKey])

  const setPage = useCallback((no: number, size?: number) => {
    if (size !== undefined && size !== pageSize) {
      setPageSize(size)
      setPageNo(1)
    } else setPageNo(no)
  }, [pageSize])
  const reload = useCallback(() => setTick((t) => t + 1), [])
  return {
    rows: data.rows, total: data.total, loading, pageNo, pageSize, setPage, reload,
    pagination: { current: pageNo, pageSize, total: data.total, showSizeChanger: true, pageSizeOptions: [10, 20, 50, 100], onChange: setPage, showTotal: (total) => t('total', { total }) },
  }
}
