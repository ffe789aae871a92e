import { beatTiming, groupedName, type Instance, type ServiceKey, type ServiceMeta } from './model'
import type { NamingRegistry, ServiceState } from './registry'

/** How a ServiceInfo is asked for: cluster filter (comma list, as the client sent it) and healthy-only. */
export interface InfoQuery {
  clusters: string
  healthyOnly: boolean
  /** HTTP v1/v2 name the service `group@@name` ("adapt for v1 sdk"); gRPC uses the plain name. */
  groupedName: boolean
}

/** One host as Nacos serialises Instance, derived getters included (Rust needs every field present). */
export function hostJson(i: Instance, key: Pick<ServiceKey, 'group' | 'name'>, healthyOverride?: boolean) {
  const t = beatTiming(i)
  return {
    instanceId: i.instanceId, ip: i.ip, port: i.port, weight: i.weight, healthy: healthyOverride ?? i.healthy, enabled: i.enabled,
    ephemeral: i.ephemeral, clusterName: i.clusterName, serviceName: groupedName(key), metadata: i.metadata,
    instanceHeartBeatInterval: t.interval, instanceHeartBeatTimeOut: t.timeout, ipDeleteTimeout: t.deleteTimeout,
    instanceIdGenerator: i.metadata['preserved.instance.id.generator'] ?? 'simple',
  }
}

/** Splits a cluster filter string; blank means all clusters. */
export function clusterSet(clusters: string): Set<string> | undefined {
  const list = clusters.split(',').map((c) => c.trim()).filter(Boolean)
  return list.length ? new Set(list) : undefined
}

/**
 * Builds the ServiceInfo a client sees (Nacos ServiceUtil.selectInstancesWithHealthyProtection): instances of
 * the asked clusters that are enabled, healthy ones only when asked; if the healthy share is at or below the
 * protect threshold, every instance is returned marked healthy and reachProtectionThreshold is set.
 */
export function buildServiceInfo(reg: NamingRegistry, key: ServiceKey, s: ServiceState | undefined, q: InfoQuery) {
  const wanted = clusterSet(q.clusters)
  let hosts: ReturnType<typeof hostJson>[] = []
  let reached = false
  if (s) {
    const all = reg.instances(s).filter((i) => i.enabled && (!wanted || wanted.has(i.clusterName)))
    const healthy = all.filter((i) => i.healthy)
    const threshold = s.meta.protectThreshold
    // As Nacos ServiceUtil: only a service with stored settings (ServiceMetadata) is protected, and then
    // healthy/total <= threshold counts even at the default 0 — all-unhealthy returns all, marked healthy.
    if (s.explicit && all.length > 0 && healthy.length / all.length <= threshold) {
      reached = true
      hosts = all.map((i) => hostJson(i, key, true))
    } else hosts = (q.healthyOnly ? healthy : all).map((i) => hostJson(i, key))
  }
  return {
    name: q.groupedName ? groupedName(key) : key.name,
    groupName: key.group,
    clusters: q.clusters,
    cacheMillis: 10000,
    hosts,
    lastRefTime: s?.revision ?? Date.now(),
    checksum: '',
    // Nacos 2.x Jackson wrote `allIPs`, 3.x writes `allIps`; Rust reads either, Go matches case-insensitively.
    allIPs: false,
    allIps: false,
    reachProtectionThreshold: reached,
    valid: true,
  }
}

/** The ServiceInfo JSON type. */
export type ServiceInfo = ReturnType<typeof buildServiceInfo>

/** Serialised ServiceInfos of one service state, valid while its revision, settings and explicit flag stay put. */
interface JsonCache {
  revision: number
  meta: ServiceMeta
  explicit: boolean
  byQuery: Map<string, string>
}

const jsonCaches = new WeakMap<ServiceState, JsonCache>()
/** Distinct (clusters, healthyOnly, name form) asks kept per service: the cluster filter is client text. */
const MAX_QUERIES_PER_SERVICE = 32

/**
 * buildServiceInfo's JSON, serialised once per service change rather than per request: the HTTP instance list
 * spent 29% of its CPU in JSON serialisation and most of the rest building hosts (issue 7 profile). Every change
 * of a service's instances or settings moves its revision (NamingRegistry.touch) and settings are replaced, never
 * edited in place, so those keys catch every change; the bytes, lastRefTime included, are what
 * JSON.stringify(buildServiceInfo(...)) gives. An unknown service is not cached (its lastRefTime is the clock).
 */
export function serviceInfoJson(reg: NamingRegistry, key: ServiceKey, s: ServiceState | undefined, q: InfoQuery): string {
  if (!s) return JSON.stringify(buildServiceInfo(reg, key, s, q))
  let c = jsonCaches.get(s)
  if (!c || c.revision !== s.revision || c.meta !== s.meta || c.explicit !== s.explicit) {
    jsonCaches.set(s, (c = { revision: s.revision, meta: s.meta, explicit: s.explicit, byQuery: new Map() }))
  }
  const qk = `${q.healthyOnly ? 1 : 0}${q.groupedName ? 1 : 0}${q.clusters}`
  let json = c.byQuery.get(qk)
  if (json === undefined) {
    if (c.byQuery.size >= MAX_QUERIES_PER_SERVICE) c.byQuery.clear()
    json = JSON.stringify(buildServiceInfo(reg, key, s, q))
    c.byQuery.set(qk, json)
  }
  return json
}
