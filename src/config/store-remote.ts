import { and, eq } from 'drizzle-orm'
import { fail } from '../shared/errors'
import { log } from '../shared/log'
import { describeDbError, insertId, tablesFor, transact, type RemoteDb, type RemoteTx } from '../storage/remote'
import * as mysqlTables from './config.mysql'
import * as pgTables from './config.pg'
import type { Actor, ConfigKey, ConfigRecord, GrayRecord } from './model'
import type { ConfigStore, FormalDraft } from './store'
import { configReads, toGray, toRecord } from './store-reads'

/**
 * The config store on the database a cluster shares. Each write is one transaction holding the row, its history
 * row and a `config_change` row, so a peer that missed the notification still finds the change by tailing the
 * log. Rows are locked with SELECT … FOR UPDATE before a read decides the write (two nodes may publish the same
 * key at once); an insert that loses the race to another node's insert is retried as an update (withRetry).
 */
export function remoteConfigStore(r: RemoteDb, onWrite?: (keys: ConfigKey[]) => void): ConfigStore {
  const t = tablesFor(r, mysqlTables, pgTables)
  const reads = configReads(r.db, t, r.dialect)
  const ci = t.configInfo
  const gr = t.configInfoGray
  const byKey = (k: ConfigKey) => and(eq(ci.dataId, k.dataId), eq(ci.groupId, k.group), eq(ci.tenantId, k.namespace))
  const byGray = (k: ConfigKey, name: string) => and(eq(gr.dataId, k.dataId), eq(gr.groupId, k.group), eq(gr.tenantId, k.namespace), eq(gr.grayName, name))
  const keyCols = (k: ConfigKey) => ({ dataId: k.dataId, groupId: k.group, tenantId: k.namespace })

  async function history(tx: RemoteTx, rec: ConfigRecord | GrayRecord, op: 'I' | 'U' | 'D', actor: Actor, now: number, gray?: GrayRecord) {
    const ext = gray ? { grayRule: gray.rule } : { type: (rec as ConfigRecord).type, desc: (rec as ConfigRecord).desc, configTags: (rec as ConfigRecord).configTags }
    await tx.insert(t.hisConfigInfo).values({
      id: rec.id, ...keyCols(rec), appName: rec.appName, content: rec.content, md5: rec.md5, opType: op, publishType: gray ? 'gray' : 'formal',
      grayName: gray?.grayName ?? '', extInfo: JSON.stringify(ext), encryptedDataKey: rec.encryptedDataKey, srcUser: actor.srcUser,
      srcIp: actor.srcIp, gmtCreate: rec.createdAt, gmtModified: now,
    })
  }
  const changed = (tx: RemoteTx, k: ConfigKey, grayName: string, op: 'U' | 'D', md5: string, now: number) =>
    tx.insert(t.configChange).values({ ...keyCols(k), grayName, op, md5, at: now })

  async function saveOne(tx: RemoteTx, next: FormalDraft, actor: Actor, expectMd5?: string): Promise<{ record: ConfigRecord; op: 'I' | 'U' } | undefined> {
    const now = next.modifiedAt
    const cols = {
      content: next.content, md5: next.md5, appName: next.appName, type: next.type, desc: next.desc, use: next.use, effect: next.effect,
      schema: next.schema, configTags: next.configTags, encryptedDataKey: next.encryptedDataKey, srcUser: next.srcUser, srcIp: next.srcIp, gmtModified: now,
    }
    const old = (await tx.select().from(ci).where(byKey(next)).for('update'))[0]
    let record: ConfigRecord
    let op: 'I' | 'U'
    if (!old) {
      const id = await insertId(r, tx, ci, { ...keyCols(next), ...cols, gmtCreate: now })
      record = { ...next, id, createdAt: now }
      op = 'I'
      await history(tx, record, 'I', actor, now)
    } else {
      // Nacos CAS: an existing config with an empty stored md5 is updated unconditionally.
      if (expectMd5 !== undefined && old.md5 !== '' && old.md5 !== expectMd5) return undefined
      await history(tx, toRecord(old), 'U', actor, now)
      await tx.update(ci).set(cols).where(eq(ci.id, old.id))
      record = { ...next, id: Number(old.id), createdAt: Number(old.gmtCreate) }
      op = 'U'
    }
    await changed(tx, next, '', 'U', next.md5, now)
    return { record, op }
  }

  /** Runs a write transaction; driver failures become 503 (nothing was committed), NacosErrors pass through. */
  async function write<T>(what: string, keys: ConfigKey[], body: (tx: RemoteTx) => Promise<T>): Promise<T> {
    let out: T
    try {
      out = await transact(r, body)
    } catch (e) {
      if (e instanceof Error && e.name === 'NacosError') throw e
      log.error('config write failed on the shared database', { what, error: describeDbError(e) })
      throw fail.unavailable('database unavailable')
    }
    if (out !== undefined) onWrite?.(keys)
    return out
  }

  return {
    ...reads,
    saveFormal: (next, actor, expectMd5) => write('publish', [next], (tx) => saveOne(tx, next, actor, expectMd5)),
    saveFormals: (list) =>
      write('import', list, async (tx) => {
        const out: ConfigRecord[] = []
        for (const d of list) out.push((await saveOne(tx, d, { srcUser: d.srcUser, srcIp: d.srcIp }))!.record)
        return out
      }),
    deleteFormal: (k, actor, now) =>
      write('delete', [k], async (tx) => {
        const old = (await tx.select().from(ci).where(byKey(k)).for('update'))[0]
        if (!old) return undefined
        const rec = toRecord(old)
        await history(tx, rec, 'D', actor, now)
        await tx.delete(ci).where(eq(ci.id, old.id))
        await changed(tx, k, '', 'D', '', now)
        return rec
      }),
    saveGray: (k, grayName, rule, content, md5, extra, actor, now) =>
      write('gray publish', [k], async (tx) => {
        const old = (await tx.select().from(gr).where(byGray(k, grayName)).for('update'))[0]
        const cols = { grayRule: JSON.stringify(rule), content, md5, appName: extra.appName, encryptedDataKey: extra.encryptedDataKey, srcUser: actor.srcUser, srcIp: actor.srcIp, gmtModified: now }
        let gray: GrayRecord
        if (old) {
          await tx.update(gr).set(cols).where(eq(gr.id, old.id))
          gray = { ...toGray(old), rule, content, md5, appName: extra.appName, encryptedDataKey: extra.encryptedDataKey, srcUser: actor.srcUser, srcIp: actor.srcIp, modifiedAt: now }
        } else {
          const id = await insertId(r, tx, gr, { ...keyCols(k), grayName, ...cols, gmtCreate: now })
          gray = { ...k, id, grayName, rule, content, md5, appName: extra.appName, encryptedDataKey: extra.encryptedDataKey, srcUser: actor.srcUser, srcIp: actor.srcIp, createdAt: now, modifiedAt: now }
        }
        await history(tx, old ? toGray(old) : gray, old ? 'U' : 'I', actor, now, gray)
        await changed(tx, k, grayName, 'U', md5, now)
        return gray
      }),
    deleteGray: (k, grayName, actor, now) =>
      write('gray delete', [k], async (tx) => {
        const old = (await tx.select().from(gr).where(byGray(k, grayName)).for('update'))[0]
        if (!old) return undefined
        const gray = toGray(old)
        await history(tx, gray, 'D', actor, now, gray)
        await tx.delete(gr).where(eq(gr.id, old.id))
        await changed(tx, k, grayName, 'D', '', now)
        return gray
      }),
  }
}
