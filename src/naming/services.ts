import { fail } from '../shared/errors'
import { normalizeNamespace } from '../shared/namespace'
import type { Naming } from './center'
import { defaultServiceMeta, type ServiceKey, type ServiceMeta } from './model'
import type { ServiceState } from './registry'

/** Pages service names of a namespace and group (ServiceListRequest, `/v1/ns/service/list`): names without group. */
export function listServiceNames(n: Naming, q: { namespace?: string; group?: string; pageNo: number; pageSize: number; selector?: string }): { count: number; names: string[] } {
  // Label selectors need a CMDB, which neither Nacos's default install nor bnacos has; like Nacos without one,
  // they select every service.
  const all = n.registry.list(normalizeNamespace(q.namespace), q.group?.trim() || 'DEFAULT_GROUP')
  const size = Math.min(Math.max(1, Math.floor(q.pageSize) || 10), 10_000)
  const start = (Math.max(1, Math.floor(q.pageNo) || 1) - 1) * size
  return { count: all.length, names: all.slice(start, start + size).map((s) => s.key.name) }
}

/** Checks a protect threshold in [0, 1]. */
export function checkThreshold(v: number | undefined): number {
  if (v === undefined) return 0
  if (!Number.isFinite(v) || v < 0 || v > 1) throw fail.invalid('invalid protectThreshold: must be between 0 and 1')
  return v
}

function persist(n: Naming, key: ServiceKey, meta: ServiceMeta, clusters: ServiceState['clusters']): Promise<void> {
  return n.store.saveService(key, meta, Object.fromEntries(clusters), n.now())
}

/** Creates a service explicitly; Nacos refuses one that already exists. */
export async function createService(n: Naming, key: ServiceKey, meta: Partial<ServiceMeta>) {
  if (n.registry.get(key)) throw fail.invalid(`specified service ${key.group}@@${key.name} already exists`, 21007)
  // Stored first: a database that refuses leaves the registry as it was.
  const full = { ...defaultServiceMeta(), ...meta }
  await persist(n, key, full, new Map())
  const s = n.registry.ensure(key, true)
  s.meta = full
  n.registry.touch(s)
}

/** Nacos answers a missing service with INVALID_PARAM (400), detail code SERVICE_NOT_EXIST. */
export const serviceNotFound = (key: ServiceKey) => fail.invalid(`service ${key.group}@@${key.name} not found`, 21008)

/** Updates a service's protect threshold, metadata or selector. */
export async function updateService(n: Naming, key: ServiceKey, meta: Partial<ServiceMeta>) {
  const s = n.registry.get(key)
  if (!s) throw serviceNotFound(key)
  const next = { ...s.meta, ...meta }
  await persist(n, key, next, s.clusters)
  s.meta = next
  s.explicit = true
  n.registry.touch(s)
}

/** Deletes a service; refused while it has instances. */
export async function removeService(n: Naming, key: ServiceKey) {
  if (!n.registry.get(key)) throw serviceNotFound(key)
  // The registry refuses a service with instances; only then is the stored row deleted.
  n.registry.remove(key)
  await n.store.deleteService(key)
}

/** A service with its settings (`GET /v1/ns/service`). */
export function getService(n: Naming, key: ServiceKey): ServiceState {
  const s = n.registry.get(key)
  if (!s) throw serviceNotFound(key)
  return s
}

/** Per-service counts for the console catalog. */
export function serviceSummary(n: Naming, s: ServiceState) {
  const all = n.registry.instances(s)
  return {
    name: s.key.name, groupName: s.key.group, clusterCount: s.clusters.size, ipCount: all.length,
    healthyInstanceCount: all.filter((i) => i.healthy).length, triggerFlag: String(s.explicit && all.length > 0 && all.filter((i) => i.healthy).length / all.length <= s.meta.protectThreshold),
  }
}
