import { fail } from '../shared/errors'
import { paging, toPage, type Page } from '../shared/page'
import type { ConfigCenter } from './center'
import type { hisConfigInfo } from './config.sql'
import { toKey } from './publish'

/** One history row: the state of a config around one change (see his_config_info in config.sql.ts). */
export type HistoryEntry = typeof hisConfigInfo.$inferSelect

/** Lists a config's history, newest first. */
export async function listHistory(cc: ConfigCenter, q: { dataId?: string; group?: string; namespace?: string; pageNo?: number; pageSize?: number }): Promise<Page<HistoryEntry>> {
  const key = toKey(q.dataId, q.group, q.namespace)
  const { pageNo, pageSize, offset } = paging(q.pageNo, q.pageSize)
  const { total, rows } = await cc.store.historyPage(key, pageSize, offset)
  return toPage(rows, total, pageNo, pageSize)
}

/**
 * One history row by nid; dataId and group are required and must match the row: Nacos added this check since a
 * nid alone let a caller read any namespace's history.
 */
export async function getHistory(cc: ConfigCenter, nid: number, q: { dataId?: string; group?: string; namespace?: string }): Promise<HistoryEntry> {
  const key = toKey(q.dataId, q.group, q.namespace)
  const row = await cc.store.historyByNid(nid)
  if (!row || row.dataId !== key.dataId || row.groupId !== key.group || row.tenantId !== key.namespace) throw fail.notFound('history not found')
  return row
}

/** The latest history row of a config id — Nacos `/history/previous`, the version before the current one. */
export async function previousHistory(cc: ConfigCenter, configId: number, q: { dataId?: string; group?: string; namespace?: string }): Promise<HistoryEntry> {
  const key = toKey(q.dataId, q.group, q.namespace)
  const row = await cc.store.historyLatest(configId)
  if (!row || row.dataId !== key.dataId || row.groupId !== key.group || row.tenantId !== key.namespace) throw fail.notFound('history not found')
  return row
}

/** Deletes history older than the retention period; returns how many rows went. 0 days keeps everything. */
export async function purgeHistory(cc: ConfigCenter): Promise<number> {
  const days = cc.limits.historyRetentionDays
  if (days <= 0) return 0
  return cc.store.purgeHistory(cc.now() - days * 86_400_000)
}
