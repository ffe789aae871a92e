import { and, eq } from 'drizzle-orm'
import { fail } from '../shared/errors'
import { log } from '../shared/log'
import { describeDbError, tablesFor, transact, type RemoteDb, type RemoteTx } from '../storage/remote'
import type { ServiceKey } from './model'
import * as mysqlTables from './naming.mysql'
import * as pgTables from './naming.pg'
import type { OverrideStore, StoredOverride } from './overrides'
import type { NamingStore } from './store'

/**
 * The naming store on the database a cluster shares. Service settings and persistent instances are written before
 * the registry changes (a failure is a 503 and changes nothing). Operator instance edits go through the registry's
 * synchronous OverrideStore, so here they are written behind, in order, retried until the database takes them.
 */
export function remoteNamingStore(r: RemoteDb, onWrite?: () => void): NamingStore {
  const t = tablesFor(r, mysqlTables, pgTables)
  const si = t.serviceInfo
  const pi = t.persistentInstance
  const io = t.instanceOverride
  const svc = (k: ServiceKey) => and(eq(si.namespaceId, k.namespace), eq(si.groupName, k.group), eq(si.serviceName, k.name))
  const ovSvc = (k: ServiceKey) => and(eq(io.namespaceId, k.namespace), eq(io.groupName, k.group), eq(io.serviceName, k.name))

  async function write(what: string, body: (tx: RemoteTx) => Promise<void>): Promise<void> {
    try {
      await transact(r, body)
    } catch (e) {
      log.error('naming write failed on the shared database', { what, error: describeDbError(e) })
      throw fail.unavailable('database unavailable')
    }
    onWrite?.()
  }

  // Overrides: one ordered queue, so an edit and its later removal reach the database in that order.
  let queue: Promise<void> = Promise.resolve()
  const behind = (what: string, body: (tx: RemoteTx) => Promise<void>) => {
    queue = queue.then(async () => {
      for (let attempt = 0; ; attempt++) {
        try {
          await write(what, body)
          return
        } catch {
          await Bun.sleep(Math.min(30_000, 500 * 2 ** attempt))
        }
      }
    })
  }

  return {
    async loadServices() {
      return (await r.db.select().from(si)).map((row) => ({
        key: { namespace: row.namespaceId, group: row.groupName, name: row.serviceName },
        meta: { protectThreshold: row.protectThreshold, metadata: JSON.parse(row.metadata), selector: JSON.parse(row.selector) },
        clusters: JSON.parse(row.clusters),
      }))
    },
    saveService: (key, meta, clusters, now) =>
      write('service', async (tx) => {
        const cols = { protectThreshold: meta.protectThreshold, metadata: JSON.stringify(meta.metadata), selector: JSON.stringify(meta.selector), clusters: JSON.stringify(clusters), gmtModified: now }
        const had = (await tx.select({ id: si.id }).from(si).where(svc(key)).for('update'))[0]
        if (had) await tx.update(si).set(cols).where(eq(si.id, had.id))
        else await tx.insert(si).values({ namespaceId: key.namespace, groupName: key.group, serviceName: key.name, gmtCreate: now, ...cols })
      }),
    deleteService: (key) => write('service delete', async (tx) => void (await tx.delete(si).where(svc(key)))),
    async loadPersistent() {
      return (await r.db.select().from(pi)).map((row) => ({
        key: { namespace: row.namespaceId, group: row.groupName, name: row.serviceName },
        instance: {
          instanceId: row.instanceId, ip: row.ip, port: row.port, weight: row.weight, healthy: row.healthy, enabled: row.enabled,
          ephemeral: false, clusterName: row.clusterName, metadata: JSON.parse(row.metadata),
        },
      }))
    },
    savePersistent: (key, ip, port, list, now) =>
      write('persistent instance', async (tx) => {
        await tx.delete(pi).where(and(eq(pi.namespaceId, key.namespace), eq(pi.groupName, key.group), eq(pi.serviceName, key.name), eq(pi.ip, ip), eq(pi.port, port)))
        for (const i of list) {
          await tx.insert(pi).values({
            namespaceId: key.namespace, groupName: key.group, serviceName: key.name, instanceId: i.instanceId, ip: i.ip, port: i.port, clusterName: i.clusterName,
            weight: i.weight, healthy: i.healthy, enabled: i.enabled, metadata: JSON.stringify(i.metadata), gmtCreate: now, gmtModified: now,
          })
        }
      }),
    async loadOverrides() {
      return (await r.db.select().from(io)).map((row) => {
        const override: StoredOverride = { missingSince: row.missingSince === null ? undefined : Number(row.missingSince) }
        if (row.weight !== null) override.weight = row.weight
        if (row.enabled !== null) override.enabled = row.enabled
        if (row.metadata !== null) override.metadata = JSON.parse(row.metadata)
        return { key: { namespace: row.namespaceId, group: row.groupName, name: row.serviceName }, id: row.overrideId, override }
      })
    },
    overrides(now): OverrideStore {
      return {
        save(key, id, o) {
          const cols = { weight: o.weight ?? null, enabled: o.enabled ?? null, metadata: o.metadata ? JSON.stringify(o.metadata) : null, missingSince: o.missingSince ?? null, gmtModified: now() }
          behind('instance override', async (tx) => {
            const had = (await tx.select({ id: io.id }).from(io).where(and(ovSvc(key), eq(io.overrideId, id))).for('update'))[0]
            if (had) await tx.update(io).set(cols).where(eq(io.id, had.id))
            else await tx.insert(io).values({ namespaceId: key.namespace, groupName: key.group, serviceName: key.name, overrideId: id, ...cols })
          })
        },
        delete(key, id) {
          behind('instance override delete', async (tx) => void (await tx.delete(io).where(and(ovSvc(key), eq(io.overrideId, id)))))
        },
        deleteService(key) {
          behind('instance overrides delete', async (tx) => void (await tx.delete(io).where(ovSvc(key))))
        },
      }
    },
  }
}
