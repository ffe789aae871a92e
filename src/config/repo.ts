import { and, eq, inArray } from 'drizzle-orm'
import type { Db } from '../storage/db'
import { configInfo, configInfoGray, hisConfigInfo } from './config.sql'
import type { Actor, ConfigKey, ConfigRecord, GrayRecord, GrayRule } from './model'

type InfoRow = typeof configInfo.$inferSelect
type GrayRow = typeof configInfoGray.$inferSelect

/** Converts a config_info row into a ConfigRecord. */
export function toRecord(r: InfoRow): ConfigRecord {
  return {
    id: r.id, dataId: r.dataId, group: r.groupId, namespace: r.tenantId, content: r.content, md5: r.md5,
    appName: r.appName, type: r.type, desc: r.desc, use: r.use, effect: r.effect, schema: r.schema,
    configTags: r.configTags, encryptedDataKey: r.encryptedDataKey, srcUser: r.srcUser, srcIp: r.srcIp,
    createdAt: r.gmtCreate, modifiedAt: r.gmtModified,
  }
}

/** Converts a config_info_gray row into a GrayRecord. */
export function toGray(r: GrayRow): GrayRecord {
  return {
    id: r.id, dataId: r.dataId, group: r.groupId, namespace: r.tenantId, grayName: r.grayName,
    rule: JSON.parse(r.grayRule) as GrayRule, content: r.content, md5: r.md5, appName: r.appName,
    encryptedDataKey: r.encryptedDataKey, srcUser: r.srcUser, srcIp: r.srcIp, createdAt: r.gmtCreate, modifiedAt: r.gmtModified,
  }
}

const whereKey = (k: ConfigKey) => and(eq(configInfo.dataId, k.dataId), eq(configInfo.groupId, k.group), eq(configInfo.tenantId, k.namespace))
const whereGray = (k: ConfigKey, grayName: string) =>
  and(eq(configInfoGray.dataId, k.dataId), eq(configInfoGray.groupId, k.group), eq(configInfoGray.tenantId, k.namespace), eq(configInfoGray.grayName, grayName))

/** Every formal config and gray version; the cache is filled from this at start. */
export function loadAll(db: Db): { formal: ConfigRecord[]; grays: GrayRecord[] } {
  return { formal: db.select().from(configInfo).all().map(toRecord), grays: db.select().from(configInfoGray).all().map(toGray) }
}

/** One formal config straight from the database. */
export function findFormal(db: Db, k: ConfigKey): ConfigRecord | undefined {
  const r = db.select().from(configInfo).where(whereKey(k)).get()
  return r && toRecord(r)
}

function history(db: Db, rec: ConfigRecord | GrayRecord, op: 'I' | 'U' | 'D', actor: Actor, now: number, gray?: GrayRecord) {
  const ext = gray ? { grayRule: gray.rule } : { type: (rec as ConfigRecord).type, desc: (rec as ConfigRecord).desc, configTags: (rec as ConfigRecord).configTags }
  db.insert(hisConfigInfo).values({
    id: rec.id, dataId: rec.dataId, groupId: rec.group, tenantId: rec.namespace, appName: rec.appName, content: rec.content,
    md5: rec.md5, opType: op, publishType: gray ? 'gray' : 'formal', grayName: gray?.grayName ?? '', extInfo: JSON.stringify(ext),
    encryptedDataKey: rec.encryptedDataKey, srcUser: actor.srcUser, srcIp: actor.srcIp, gmtCreate: rec.createdAt, gmtModified: now,
  }).run()
}

/**
 * Inserts or updates a formal config with its history row in one transaction. `expectMd5` makes the update
 * conditional (CAS); returns undefined when that condition failed.
 */
export function saveFormal(db: Db, next: Omit<ConfigRecord, 'id' | 'createdAt'>, actor: Actor, expectMd5?: string): { record: ConfigRecord; op: 'I' | 'U' } | undefined {
  return db.transaction((tx) => {
    const old = tx.select().from(configInfo).where(whereKey(next)).get()
    const now = next.modifiedAt
    const cols = {
      content: next.content, md5: next.md5, appName: next.appName, type: next.type, desc: next.desc, use: next.use,
      effect: next.effect, schema: next.schema, configTags: next.configTags, encryptedDataKey: next.encryptedDataKey,
      srcUser: next.srcUser, srcIp: next.srcIp, gmtModified: now,
    }
    if (!old) {
      const row = tx.insert(configInfo).values({ dataId: next.dataId, groupId: next.group, tenantId: next.namespace, gmtCreate: now, ...cols }).returning().get()
      const record = toRecord(row)
      history(tx, record, 'I', actor, now)
      return { record, op: 'I' as const }
    }
    // Nacos CAS: an existing config with an empty stored md5 is updated unconditionally.
    if (expectMd5 !== undefined && old.md5 !== '' && old.md5 !== expectMd5) return undefined
    history(tx, toRecord(old), 'U', actor, now)
    const row = tx.update(configInfo).set(cols).where(eq(configInfo.id, old.id)).returning().get()
    return { record: toRecord(row), op: 'U' as const }
  })
}

/** Deletes a formal config (recording its last content in history); returns what was deleted. */
export function deleteFormal(db: Db, k: ConfigKey, actor: Actor, now: number): ConfigRecord | undefined {
  return db.transaction((tx) => {
    const old = tx.select().from(configInfo).where(whereKey(k)).get()
    if (!old) return undefined
    history(tx, toRecord(old), 'D', actor, now)
    tx.delete(configInfo).where(eq(configInfo.id, old.id)).run()
    return toRecord(old)
  })
}

/** Inserts or replaces a gray version, with a history row. */
export function saveGray(db: Db, k: ConfigKey, grayName: string, rule: GrayRule, content: string, md5: string, extra: { appName: string; encryptedDataKey: string }, actor: Actor, now: number): GrayRecord {
  return db.transaction((tx) => {
    const old = tx.select().from(configInfoGray).where(whereGray(k, grayName)).get()
    const cols = { grayRule: JSON.stringify(rule), content, md5, appName: extra.appName, encryptedDataKey: extra.encryptedDataKey, srcUser: actor.srcUser, srcIp: actor.srcIp, gmtModified: now }
    const row = old
      ? tx.update(configInfoGray).set(cols).where(eq(configInfoGray.id, old.id)).returning().get()
      : tx.insert(configInfoGray).values({ dataId: k.dataId, groupId: k.group, tenantId: k.namespace, grayName, gmtCreate: now, ...cols }).returning().get()
    const gray = toGray(row)
    history(tx, old ? toGray(old) : gray, old ? 'U' : 'I', actor, now, gray)
    return gray
  })
}

/** Deletes a gray version, with a history row; returns it, or undefined when there was none. */
export function deleteGray(db: Db, k: ConfigKey, grayName: string, actor: Actor, now: number): GrayRecord | undefined {
  return db.transaction((tx) => {
    const old = tx.select().from(configInfoGray).where(whereGray(k, grayName)).get()
    if (!old) return undefined
    const gray = toGray(old)
    history(tx, gray, 'D', actor, now, gray)
    tx.delete(configInfoGray).where(eq(configInfoGray.id, old.id)).run()
    return gray
  })
}

/** Formal configs with the given ids. */
export function findByIds(db: Db, ids: number[]): ConfigRecord[] {
  if (ids.length === 0) return []
  return db.select().from(configInfo).where(inArray(configInfo.id, ids)).all().map(toRecord)
}
