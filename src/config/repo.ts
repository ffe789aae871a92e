import { and, eq, sql } from 'drizzle-orm'
import { perDb, type Db } from '../storage/db'
import { configInfo, configInfoGray, hisConfigInfo } from './config.sql'
import type { Actor, ConfigKey, ConfigRecord, GrayRecord, GrayRule } from './model'
import { toGray, toRecord } from './store-reads'

const ph = sql.placeholder
/** A key's placeholder values for byFormalKey / byGrayKey. */
const keyParams = (k: ConfigKey) => ({ dataId: k.dataId, group: k.group, namespace: k.namespace })
// `update().set()` is typed to take values or SQL, not a bare placeholder, so the set columns wrap theirs in sql``.
const bound = (name: string) => sql`${ph(name)}`
/** The columns a publish (re)writes in config_info, each bound from the placeholder of the same name. */
const formalCols = {
  content: bound('content'), md5: bound('md5'), appName: bound('appName'), type: bound('type'), desc: bound('desc'), use: bound('use'),
  effect: bound('effect'), schema: bound('schema'), configTags: bound('configTags'), encryptedDataKey: bound('encryptedDataKey'),
  srcUser: bound('srcUser'), srcIp: bound('srcIp'), gmtModified: bound('now'),
}
/** The columns a gray publish (re)writes in config_info_gray. */
const grayCols = {
  grayRule: bound('grayRule'), content: bound('content'), md5: bound('md5'), appName: bound('appName'), encryptedDataKey: bound('encryptedDataKey'),
  srcUser: bound('srcUser'), srcIp: bound('srcIp'), gmtModified: bound('now'),
}
const byFormalKey = and(eq(configInfo.dataId, ph('dataId')), eq(configInfo.groupId, ph('group')), eq(configInfo.tenantId, ph('namespace')))
const byGrayKey = and(eq(configInfoGray.dataId, ph('dataId')), eq(configInfoGray.groupId, ph('group')), eq(configInfoGray.tenantId, ph('namespace')), eq(configInfoGray.grayName, ph('grayName')))

/**
 * The statements of every publish and delete, prepared once per database (see perDb: re-rendering and re-preparing
 * them per call was ~75% of the HTTP publish profile). They run on the same connection inside db.transaction.
 */
const statements = perDb((db) => ({
  findFormal: db.select().from(configInfo).where(byFormalKey).prepare(),
  insertFormal: db.insert(configInfo).values({ dataId: ph('dataId'), groupId: ph('group'), tenantId: ph('namespace'), gmtCreate: ph('now'), ...formalCols }).returning().prepare(),
  updateFormal: db.update(configInfo).set(formalCols).where(eq(configInfo.id, ph('id'))).returning().prepare(),
  deleteFormal: db.delete(configInfo).where(eq(configInfo.id, ph('id'))).prepare(),
  findGray: db.select().from(configInfoGray).where(byGrayKey).prepare(),
  insertGray: db.insert(configInfoGray).values({ dataId: ph('dataId'), groupId: ph('group'), tenantId: ph('namespace'), grayName: ph('grayName'), gmtCreate: ph('now'), ...grayCols }).returning().prepare(),
  updateGray: db.update(configInfoGray).set(grayCols).where(eq(configInfoGray.id, ph('id'))).returning().prepare(),
  deleteGray: db.delete(configInfoGray).where(eq(configInfoGray.id, ph('id'))).prepare(),
  insertHistory: db.insert(hisConfigInfo).values({
    id: ph('id'), dataId: ph('dataId'), groupId: ph('group'), tenantId: ph('namespace'), appName: ph('appName'), content: ph('content'),
    md5: ph('md5'), opType: ph('opType'), publishType: ph('publishType'), grayName: ph('grayName'), extInfo: ph('extInfo'),
    encryptedDataKey: ph('encryptedDataKey'), srcUser: ph('srcUser'), srcIp: ph('srcIp'), gmtCreate: ph('createdAt'), gmtModified: ph('now'),
  }).prepare(),
}))

function history(db: Db, rec: ConfigRecord | GrayRecord, op: 'I' | 'U' | 'D', actor: Actor, now: number, gray?: GrayRecord) {
  const ext = gray ? { grayRule: gray.rule } : { type: (rec as ConfigRecord).type, desc: (rec as ConfigRecord).desc, configTags: (rec as ConfigRecord).configTags }
  statements(db).insertHistory.run({
    id: rec.id, ...keyParams(rec), appName: rec.appName, content: rec.content, md5: rec.md5, opType: op, publishType: gray ? 'gray' : 'formal',
    grayName: gray?.grayName ?? '', extInfo: JSON.stringify(ext), encryptedDataKey: rec.encryptedDataKey, srcUser: actor.srcUser,
    srcIp: actor.srcIp, createdAt: rec.createdAt, now,
  })
}

/**
 * Inserts or updates a formal config with its history row in one transaction. `expectMd5` makes the update
 * conditional (CAS); returns undefined when that condition failed.
 */
export function saveFormal(db: Db, next: Omit<ConfigRecord, 'id' | 'createdAt'>, actor: Actor, expectMd5?: string): { record: ConfigRecord; op: 'I' | 'U' } | undefined {
  const st = statements(db)
  return db.transaction(() => {
    const old = st.findFormal.get(keyParams(next))
    const now = next.modifiedAt
    const cols = {
      content: next.content, md5: next.md5, appName: next.appName, type: next.type, desc: next.desc, use: next.use,
      effect: next.effect, schema: next.schema, configTags: next.configTags, encryptedDataKey: next.encryptedDataKey,
      srcUser: next.srcUser, srcIp: next.srcIp, now,
    }
    if (!old) {
      const record = toRecord(st.insertFormal.get({ ...keyParams(next), ...cols })!)
      history(db, record, 'I', actor, now)
      return { record, op: 'I' as const }
    }
    // Nacos CAS: an existing config with an empty stored md5 is updated unconditionally.
    if (expectMd5 !== undefined && old.md5 !== '' && old.md5 !== expectMd5) return undefined
    history(db, toRecord(old), 'U', actor, now)
    return { record: toRecord(st.updateFormal.get({ ...cols, id: old.id })!), op: 'U' as const }
  })
}

/** Deletes a formal config (recording its last content in history); returns what was deleted. */
export function deleteFormal(db: Db, k: ConfigKey, actor: Actor, now: number): ConfigRecord | undefined {
  const st = statements(db)
  return db.transaction(() => {
    const old = st.findFormal.get(keyParams(k))
    if (!old) return undefined
    history(db, toRecord(old), 'D', actor, now)
    st.deleteFormal.run({ id: old.id })
    return toRecord(old)
  })
}

/** Inserts or replaces a gray version, with a history row. */
export function saveGray(db: Db, k: ConfigKey, grayName: string, rule: GrayRule, content: string, md5: string, extra: { appName: string; encryptedDataKey: string }, actor: Actor, now: number): GrayRecord {
  const st = statements(db)
  return db.transaction(() => {
    const old = st.findGray.get({ ...keyParams(k), grayName })
    const cols = { grayRule: JSON.stringify(rule), content, md5, appName: extra.appName, encryptedDataKey: extra.encryptedDataKey, srcUser: actor.srcUser, srcIp: actor.srcIp, now }
    const row = old ? st.updateGray.get({ ...cols, id: old.id }) : st.insertGray.get({ ...keyParams(k), grayName, ...cols })
    const gray = toGray(row!)
    history(db, old ? toGray(old) : gray, old ? 'U' : 'I', actor, now, gray)
    return gray
  })
}

/** Deletes a gray version, with a history row; returns it, or undefined when there was none. */
export function deleteGray(db: Db, k: ConfigKey, grayName: string, actor: Actor, now: number): GrayRecord | undefined {
  const st = statements(db)
  return db.transaction(() => {
    const old = st.findGray.get({ ...keyParams(k), grayName })
    if (!old) return undefined
    const gray = toGray(old)
    history(db, gray, 'D', actor, now, gray)
    st.deleteGray.run({ id: old.id })
    return gray
  })
}
