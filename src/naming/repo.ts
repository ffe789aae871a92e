import { and, eq } from 'drizzle-orm'
import type { Db } from '../storage/db'
import type { ClusterMeta, Instance, ServiceKey, ServiceMeta } from './model'
import { persistentInstance, serviceInfo } from './naming.sql'

const whereService = (k: ServiceKey) => and(eq(serviceInfo.namespaceId, k.namespace), eq(serviceInfo.groupName, k.group), eq(serviceInfo.serviceName, k.name))
const whereInstances = (k: ServiceKey) => and(eq(persistentInstance.namespaceId, k.namespace), eq(persistentInstance.groupName, k.group), eq(persistentInstance.serviceName, k.name))

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

/** Replaces the stored persistent instances of one service with `list`, in one transaction. */
export function savePersistent(db: Db, key: ServiceKey, list: Instance[], now: number) {
  db.transaction((tx) => {
    tx.delete(persistentInstance).where(whereInstances(key)).run()
    for (const i of list) {
      tx.insert(persistentInstance).values({
        namespaceId: key.namespace, groupName: key.group, serviceName: key.name, instanceId: i.instanceId, ip: i.ip, port: i.port,
        clusterName: i.clusterName, weight: i.weight, healthy: i.healthy, enabled: i.enabled, metadata: JSON.stringify(i.metadata), gmtCreate: now, gmtModified: now,
      }).run()
    }
  })
}
