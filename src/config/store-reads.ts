import { and, asc, count, desc, eq, gt, inArray, lt, or, sql, type AnyColumn, type SQL } from 'drizzle-orm'
import type { RemoteTx } from '../storage/remote'
import type * as pgTables from './config.pg'
import type { HistoryEntry } from './history'
import type { ConfigKey, ConfigRecord, GrayRecord, GrayRule } from './model'
import type { ConfigChange } from './store'

/** The config tables of one dialect, typed as PostgreSQL's (every dialect's module has the same shape). */
export type ConfigTables = typeof pgTables
/** The SQL differences the shared reads care about. */
export type SqlDialect = 'sqlite' | 'mysql' | 'postgres'

/** A search's conditions, already normalised (see search.ts). */
export interface SearchFilter {
  namespace: string
  dataId?: string
  group?: string
  appName?: string
  tags: string[]
  mode: 'accurate' | 'blur'
}

type InfoRow = ConfigTables['configInfo']['$inferSelect']
type GrayRow = ConfigTables['configInfoGray']['$inferSelect']

/** Converts a config_info row into a ConfigRecord. */
export function toRecord(r: InfoRow): ConfigRecord {
  return {
    id: Number(r.id), dataId: r.dataId, group: r.groupId, namespace: r.tenantId, content: r.content, md5: r.md5,
    appName: r.appName, type: r.type, desc: r.desc, use: r.use, effect: r.effect, schema: r.schema,
    configTags: r.configTags, encryptedDataKey: r.encryptedDataKey, srcUser: r.srcUser, srcIp: r.srcIp,
    createdAt: Number(r.gmtCreate), modifiedAt: Number(r.gmtModified),
  }
}

/** Converts a config_info_gray row into a GrayRecord. */
export function toGray(r: GrayRow): GrayRecord {
  return {
    id: Number(r.id), dataId: r.dataId, group: r.groupId, namespace: r.tenantId, grayName: r.grayName,
    rule: JSON.parse(r.grayRule) as GrayRule, content: r.content, md5: r.md5, appName: r.appName,
    encryptedDataKey: r.encryptedDataKey, srcUser: r.srcUser, srcIp: r.srcIp, createdAt: Number(r.gmtCreate), modifiedAt: Number(r.gmtModified),
  }
}

/** Turns a `*` pattern into a LIKE argument, escaping LIKE's own wildcards. */
function likeArg(s: string): string {
  return s.replace(/[\\%_]/g, (c) => '\\' + c).replaceAll('*', '%')
}

/**
 * `col LIKE pattern` with backslash as the escape character. SQLite's LIKE has none unless one is named; MySQL
 * reads a backslash inside a string literal as an escape itself, so its literal needs two.
 */
function like(d: SqlDialect, col: SQL | AnyColumn, pattern: string): SQL {
  return d === 'mysql' ? sql`${col} LIKE ${pattern} ESCAPE '\\\\'` : sql`${col} LIKE ${pattern} ESCAPE '\\'`
}

function match(d: SqlDialect, col: AnyColumn, value: string | undefined, mode: SearchFilter['mode']): SQL | undefined {
  if (!value?.trim()) return undefined
  const v = value.trim()
  if (mode === 'blur' && v.includes('*')) return like(d, col, likeArg(v))
  return eq(col, v)
}

/** Reads shared by every dialect: awaiting a Drizzle query runs it on bun:sqlite as on the network drivers. */
export function configReads(db: RemoteTx, t: ConfigTables, d: SqlDialect) {
  const ci = t.configInfo
  const his = t.hisConfigInfo
  const byKey = (k: ConfigKey) => and(eq(ci.dataId, k.dataId), eq(ci.groupId, k.group), eq(ci.tenantId, k.namespace))
  const hisKey = (k: ConfigKey) => and(eq(his.dataId, k.dataId), eq(his.groupId, k.group), eq(his.tenantId, k.namespace))
  // MySQL's || is a logical OR unless PIPES_AS_CONCAT is set.
  const wrapped = d === 'mysql' ? sql`CONCAT(',', ${ci.configTags}, ',')` : sql`(',' || ${ci.configTags} || ',')`
  return {
    async loadAll() {
      const [formal, grays] = [await db.select().from(ci), await db.select().from(t.configInfoGray)]
      return { formal: formal.map(toRecord), grays: grays.map(toGray) }
    },
    async loadKey(k: ConfigKey) {
      const g = t.configInfoGray
      const formal = (await db.select().from(ci).where(byKey(k)))[0]
      const grays = await db.select().from(g).where(and(eq(g.dataId, k.dataId), eq(g.groupId, k.group), eq(g.tenantId, k.namespace)))
      return { formal: formal && toRecord(formal), grays: grays.map(toGray) }
    },
    async findByIds(ids: number[]) {
      return ids.length ? (await db.select().from(ci).where(inArray(ci.id, ids))).map(toRecord) : []
    },
    async historyPage(k: ConfigKey, limit: number, offset: number) {
      const total = Number((await db.select({ n: count() }).from(his).where(hisKey(k)))[0]?.n ?? 0)
      const rows = await db.select().from(his).where(hisKey(k)).orderBy(desc(his.nid)).limit(limit).offset(offset)
      return { total, rows: rows.map(toHistory) }
    },
    async historyByNid(nid: number) {
      const r = (await db.select().from(his).where(eq(his.nid, nid)))[0]
      return r && toHistory(r)
    },
    async historyLatest(configId: number) {
      const r = (await db.select().from(his).where(eq(his.id, configId)).orderBy(desc(his.nid)).limit(1))[0]
      return r && toHistory(r)
    },
    async purgeHistory(cutoff: number) {
      const n = Number((await db.select({ n: count() }).from(his).where(lt(his.gmtModified, cutoff)))[0]?.n ?? 0)
      if (n > 0) await db.delete(his).where(lt(his.gmtModified, cutoff))
      return n
    },
    async search(f: SearchFilter, limit: number, offset: number) {
      const where = and(
        eq(ci.tenantId, f.namespace),
        match(d, ci.dataId, f.dataId, f.mode),
        match(d, ci.groupId, f.group, f.mode),
        match(d, ci.appName, f.appName, f.mode),
        // Tags are stored comma-joined; wrapping both sides in commas matches whole tags only.
        f.tags.length ? or(...f.tags.map((tag) => like(d, wrapped, `%,${likeArg(tag)},%`))) : undefined,
      )
      const total = Number((await db.select({ n: count() }).from(ci).where(where))[0]?.n ?? 0)
      const rows = await db.select().from(ci).where(where).orderBy(desc(ci.gmtModified), desc(ci.id)).limit(limit).offset(offset)
      return { total, rows: rows.map(toRecord) }
    },
    async ofNamespace(namespace: string) {
      return (await db.select().from(ci).where(eq(ci.tenantId, namespace))).map(toRecord)
    },
    async changesSince(seq: number, limit: number): Promise<ConfigChange[]> {
      const c = t.configChange
      const rows = await db.select().from(c).where(gt(c.seq, seq)).orderBy(asc(c.seq)).limit(limit)
      return rows.map((r) => ({ seq: Number(r.seq), key: { dataId: r.dataId, group: r.groupId, namespace: r.tenantId }, grayName: r.grayName, op: r.op as 'U' | 'D', md5: r.md5, at: Number(r.at) }))
    },
    async lastChange() {
      const c = t.configChange
      const r = (await db.select({ seq: c.seq }).from(c).orderBy(desc(c.seq)).limit(1))[0]
      return r ? Number(r.seq) : 0
    },
    async pruneChanges(cutoff: number) {
      const c = t.configChange
      const n = Number((await db.select({ n: count() }).from(c).where(lt(c.at, cutoff)))[0]?.n ?? 0)
      if (n > 0) await db.delete(c).where(lt(c.at, cutoff))
      return n
    },
  }
}

/** A history row with numeric ids and times whatever the driver returned. */
function toHistory(r: ConfigTables['hisConfigInfo']['$inferSelect']): HistoryEntry {
  return { ...r, nid: Number(r.nid), id: Number(r.id), gmtCreate: Number(r.gmtCreate), gmtModified: Number(r.gmtModified) } as HistoryEntry
}
