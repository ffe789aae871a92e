import { and, count, desc, eq, lt } from 'drizzle-orm'
import { fail } from '../shared/errors'
import { paging, toPage, type Page } from '../shared/page'
import type { ConfigCenter } from './center'
import { hisConfigInfo } from './config.sql'
import type { ConfigKey } from './model'
import { toKey } from './publish'

/** One history row: the state of a config around one change (see his_config_info in config.sql.ts). */
export type HistoryEntry = typeof hisConfigInfo.$inferSelect

const whereKey = (k: ConfigKey) => and(eq(hisConfigInfo.dataId, k.dataId), eq(hisConfigInfo.groupId, k.group), eq(hisConfigInfo.tenantId, k.namespace))

/** Lists a config's history, newest first. */
export function listHistory(cc: ConfigCenter, q: { dataId?: string; group?: string; namespace?: string; pageNo?: number; pageSize?: number }): Page<HistoryEntry> {
  const key = toKey(q.dataId, q.group, q.namespace)
  const { pageNo, pageSize, offset } = paging(q.pageNo, q.pageSize)
  const total = cc.db.select({ n: count() }).from(hisConfigInfo).where(whereKey(key)).get()?.n ?? 0
  const rows = cc.db.select().from(hisConfigInfo).where(whereKey(key)).orderBy(desc(hisConfigInfo.nid)).limit(pageSize).offset(offset).all()
  return toPage(rows, total, pageNo, pageSize)
}

/**
 * One history row by nid; dataId and group are required and must match the row: Nacos added this check since a
 * nid alone let a caller read any namespace's history.
 */
export function getHistory(cc: ConfigCenter, nid: number, q: { dataId?: string; group?: string; namespace?: string }): HistoryEntry {
  const key = toKey(q.dataId, q.group, q.namespace)
  const row = cc.db.select().from(hisConfigInfo).where(eq(hisConfigInfo.nid, nid)).get()
  if (!row || row.dataId !== key.dataId || row.groupId !== key.group || row.tenantId !== key.namespace) throw fail.notFound('history not found')
  return row
}

/** The latest history row of a config id — Nacos `/history/previous`, the version before the current one. */
export function previousHistory(cc: ConfigCenter, configId: number, q: { dataId?: string; group?: string; namespace?: string }): HistoryEntry {
  const key = toKey(q.dataId, q.group, q.namespace)
  const row = cc.db.select().from(hisConfigInfo).where(eq(hisConfigInfo.id, configId)).orderBy(desc(hisConfigInfo.nid)).limit(1).get()
  if (!row || row.dataId !== key.dataId || row.groupId !== key.group || row.tenantId !== key.namespace) throw fail.notFound('history not found')
  return row
}

/** Deletes history older than the retention period; returns how many rows went. 0 days keeps everything. */
export function purgeHistory(cc: ConfigCenter): number {
  const days = cc.limits.historyRetentionDays
  if (days <= 0) return 0
  const cutoff = cc.now() - days * 86_400_000
  const gone = cc.db.delete(hisConfigInfo).where(lt(hisConfigInfo.gmtModified, cutoff)).returning({ nid: hisConfigInfo.nid }).all()
  return gone.length
}
