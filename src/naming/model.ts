/** A service's identity; the namespace is normalised (`""` → `public`, see shared/namespace.ts). */
export interface ServiceKey {
  namespace: string
  group: string
  name: string
}

/** An instance as Nacos models it (com.alibaba.nacos.api.naming.pojo.Instance). */
export interface Instance {
  instanceId: string
  ip: string
  port: number
  weight: number
  healthy: boolean
  enabled: boolean
  ephemeral: boolean
  clusterName: string
  metadata: Record<string, string>
}

/** Service-level settings (Nacos ServiceMetadata). */
export interface ServiceMeta {
  protectThreshold: number
  metadata: Record<string, string>
  /** The selector as Nacos keeps it, e.g. `{"type":"none"}` or a label expression. */
  selector: { type: string; expression?: string }
}

/** Cluster-level settings (Nacos ClusterMetadata). */
export interface ClusterMeta {
  healthChecker: { type: string }
  metadata: Record<string, string>
}

/**
 * Who published instances: a gRPC connection, an HTTP beat client, the persistent pseudo-client, or (cluster mode)
 * an ephemeral client another node is responsible for, replicated here (Nacos Distro's synced clients).
 */
export type ClientKind = 'grpc' | 'http' | 'persistent' | 'remote'

/** The group of a service registered without one. */
export const DEFAULT_GROUP = 'DEFAULT_GROUP'
/** The cluster of an instance registered without one. */
export const DEFAULT_CLUSTER = 'DEFAULT'
/** Nacos's separator of group and service in a grouped name. */
export const GROUP_SEP = '@@'

/** The string key of a service in maps. */
export function serviceKeyString(k: ServiceKey): string {
  return `${k.namespace}${GROUP_SEP}${k.group}${GROUP_SEP}${k.name}`
}

/** `group@@name`, the grouped name Nacos puts in Instance.serviceName and HTTP ServiceInfo.name. */
export function groupedName(k: Pick<ServiceKey, 'group' | 'name'>): string {
  return `${k.group}${GROUP_SEP}${k.name}`
}

/** The default service settings. */
export function defaultServiceMeta(): ServiceMeta {
  return { protectThreshold: 0, metadata: {}, selector: { type: 'none' } }
}

/** Metadata keys that tune an instance's heartbeat (Nacos PreservedMetadataKeys). */
export const PRESERVED = {
  beatInterval: 'preserved.heart.beat.interval',
  beatTimeout: 'preserved.heart.beat.timeout',
  deleteTimeout: 'preserved.ip.delete.timeout',
  idGenerator: 'preserved.instance.id.generator',
  registerSource: 'preserved.register.source',
} as const

/** Heartbeat timing of an instance in ms, honouring the preserved metadata overrides. */
export function beatTiming(i: Pick<Instance, 'metadata'>): { interval: number; timeout: number; deleteTimeout: number } {
  const num = (k: string, d: number) => {
    const v = Number(i.metadata[k])
    return Number.isFinite(v) && v > 0 ? v : d
  }
  return { interval: num(PRESERVED.beatInterval, 5000), timeout: num(PRESERVED.beatTimeout, 15000), deleteTimeout: num(PRESERVED.deleteTimeout, 30000) }
}
