import { and, count, desc, eq, or, sql, type AnyColumn, type SQL } from 'drizzle-orm'
import { normalizeNamespace } from '../shared/namespace'
import { paging, toPage, type Page } from '../shared/page'
import type { ConfigCenter } from './center'
import { configInfo } from './config.sql'
import type { ConfigRecord } from './model'
import { toRecord } from './repo'

/** A config search as the console and OpenAPI send it. */
export interface SearchQuery {
  namespace?: string
  dataId?: string
  group?: string
  appName?: string
  configTags?: string
  /** `accurate`: blank fields match all, others match exactly. `blur`: `*` is a wildcard (Nacos generateLikeArgument). */
  mode: 'accurate' | 'blur'
  pageNo?: number
  pageSize?: number
}

/** Turns a `*` pattern into a LIKE argument, escaping LIKE's own wildcards. */
function likeArg(s: string): string {
  return s.replace(/[\\%_]/g, (c) => '\\' + c).replaceAll('*', '%')
}

function match(col: AnyColumn, value: string | undefined, mode: SearchQuery['mode']): SQL | undefined {
  if (!value?.trim()) return undefined
  const v = value.trim()
  // SQLite's LIKE has no escape character unless one is named, so the escaped % and _ need ESCAPE '\'.
  if (mode === 'blur' && v.includes('*')) return sql`${col} LIKE ${likeArg(v)} ESCAPE '\\'`
  return eq(col, v)
}

/** Searches formal configs of one namespace, newest change first. */
export function searchConfigs(cc: ConfigCenter, q: SearchQuery): Page<ConfigRecord> {
  const { pageNo, pageSize, offset } = paging(q.pageNo, q.pageSize)
  const tags = (q.configTags ?? '').split(',').map((t) => t.trim()).filter(Boolean)
  const where = and(
    eq(configInfo.tenantId, normalizeNamespace(q.namespace)),
    match(configInfo.dataId, q.dataId, q.mode),
    match(configInfo.groupId, q.group, q.mode),
    match(configInfo.appName, q.appName, q.mode),
    // Tags are stored comma-joined; wrapping both sides in commas matches whole tags only.
    tags.length ? or(...tags.map((t) => sql`(',' || ${configInfo.configTags} || ',') LIKE ${`%,${likeArg(t)},%`} ESCAPE '\\'`)) : undefined,
  )
  const total = cc.db.select({ n: count() }).from(configInfo).where(where).get()?.n ?? 0
  const rows = cc.db.select().from(configInfo).where(where).orderBy(desc(configInfo.gmtModified), desc(configInfo.id)).limit(pageSize).offset(offset).all()
  return toPage(rows.map(toRecord), total, pageNo, pageSize)
}

/** Every formal config of a namespace (export, the history "configs" view). */
export function configsOfNamespace(cc: ConfigCenter, namespace: string | undefined): ConfigRecord[] {
  return cc.db.select().from(configInfo).where(eq(configInfo.tenantId, normalizeNamespace(namespace))).all().map(toRecord)
}
