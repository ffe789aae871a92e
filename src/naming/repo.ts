import { and, eq, sql } from 'drizzle-orm'
import { perDb, type Db } from '../storage/db'
import type { ClusterMeta, Instance, ServiceKey, ServiceMeta } from './model'
import { persistentInstance, serviceInfo } from './naming.sql'

const whereService = (k: ServiceKey) => and(eq(serviceInfo.namespaceId, k.namespace), eq(serviceInfo.groupName, k.group), eq(serviceInfo.serviceName, k.name))

/** Stored service settings, to load at start. */
export function loadServices(db: Db): { key: ServiceKey; meta: ServiceMeta; clusters: Record<string, ClusterMeta> }[] {
  return db.select().from(serviceInfo).all().map((r) => ({
    key: { namespace: r.namespaceId, group: r.groupName, name: r.serviceName },
    meta: { protectThreshold: r.protectThreshold, metadata: JSON.parse(r.metadata), selector: JSON.parse(r.selector) },
    clusters: JSON.parse(r.clusters),
  }))
}

/** Inserts or updates a service's settings. */
export function saveService(db: Db, key: ServiceKey, meta: ServiceMeta, clusters: Record<string, ClusterMeta>, now: number) {
  const cols = { protectThreshold: meta.protectThreshold, metadata: JSON.stringify(meta.metadata), selector: JSON.stringify(meta.selector), clusters: JSON.stringify(clusters), gmtModified: now }
  db.insert(serviceInfo)
    .values({ namespaceId: key.namespace, groupName: key.group, serviceName: key.name, gmtCreate: now, ...cols })
    .onConflictDoUpdate({ target: [serviceInfo.namespaceId, serviceInfo.groupName, serviceInfo.serviceName], set: cols })
    .run()
}

/** Deletes a service's stored settings. */
export function deleteService(db: Db, key: ServiceKey) {
  db.delete(serviceInfo).where(whereService(key)).run()
}

/** Every persistent instance with its service, to load at start. */
export function loadPersistent(db: Db): { key: ServiceKey; instance: Instance }[] {
  return db.select().from(persistentInstance).all().map((r) => ({
    key: { namespace: r.namespaceId, group: r.groupName, name: r.serviceName },
    instance: { instanceId: r.instanceId, ip: r.ip, port: r.port, weight: r.weight, healthy: r.healthy, enabled: r.enabled, ephemeral: false, clusterName: r.clusterName, metadata: JSON.parse(r.metadata) },
  }))
}

const ph = sql.placeholder

/**
 * The statements of a persistent register, prepared once per database (see perDb): built with plain Drizzle
 * calls they re-rendered and re-prepared their SQL on every register.
 */
const statements = perDb((db) => ({
  deleteClient: db.delete(persistentInstance).where(and(
    eq(persistentInstance.namespaceId, ph('namespace')), eq(persistentInstance.groupName, ph('group')), eq(persistentInstance.serviceName, ph('name')),
    eq(persistentInstance.ip, ph('ip')), eq(persistentInstance.port, ph('port')),
  )).prepare(),
  insert: db.insert(persistentInstance).values({
    namespaceId: ph('namespace'), groupName: ph('group'), serviceName: ph('name'), instanceId: ph('instanceId'), ip: ph('ip'), port: ph('port'),
    clusterName: ph('clusterName'), weight: ph('weight'), healthy: ph('healthy'), enabled: ph('enabled'), metadata: ph('metadata'), gmtCreate: ph('now'), gmtModified: ph('now'),
  }).prepare(),
}))

/**
 * Replaces the stored persistent instances of one `ip:port` client in one service with `list`, in one transaction.
 * Only that client's rows are touched (a persistent client is its address: `ip:port#false`), not the whole service.
 */
export function savePersistent(db: Db, key: ServiceKey, ip: string, port: number, list: Instance[], now: number) {
  const st = statements(db)
  const k = { namespace: key.namespace, group: key.group, name: key.name }
  db.transaction(() => {
    st.deleteClient.run({ ...k, ip, port })
    for (const i of list) {
      st.insert.run({
        ...k, instanceId: i.instanceId, ip: i.ip, port: i.port, clusterName: i.clusterName, weight: i.weight,
        healthy: i.healthy, enabled: i.enabled, metadata: JSON.stringify(i.metadata), now,
      })
    }
  })
}
