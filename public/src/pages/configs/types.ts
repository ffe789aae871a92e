/** A config as the v1 search renders it (Nacos ConfigInfo). */
export interface ConfigRow {
  id: string
  dataId: string
  group: string
  content: string
  md5: string
  tenant: string
  appName: string
  type: string
  desc?: string
  configTags?: string
  createTime?: number
  modifyTime?: number
  createUser?: string
}

/** Nacos's Page shape. */
export interface NacosPage<T> {
  totalCount: number
  pageNumber: number
  pagesAvailable: number
  pageItems: T[]
}

/** Nacos's RestResult (import/clone answer HTTP 200 with the outcome in `code`). */
export interface RestResult<T> {
  code: number
  message: string
  data: T
}

/** What import and clone report. */
export interface TransferResult {
  succCount?: number
  skipCount?: number
  failData?: { dataId: string; group: string }[]
  skipData?: { dataId: string; group: string }[]
  unrecognizedCount?: number
  unrecognizedData?: { itemName: string }[]
}

/** The query string of the edit/history/listeners pages for one config. */
export function configQuery(c: { dataId: string; group: string }, namespace: string): string {
  return new URLSearchParams({ dataId: c.dataId, group: c.group, namespace }).toString()
}
