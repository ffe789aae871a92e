import { fail } from '../shared/errors'
import { checkNamespace } from '../shared/namespace'
import type { Naming } from './center'
import { serviceKeyString, type Instance, type ServiceKey } from './model'
import { overrideId, type InstanceOverride } from './overrides'
import { checkGroup, checkServiceName } from './validate'

/** Validates and normalises a service identity from loose input. */
export function toServiceKey(namespace: string | undefined, group: string | undefined, name: string | undefined): ServiceKey {
  return { namespace: checkNamespace(namespace), group: checkGroup(group), name: checkServiceName(name) }
}

/** The client id Nacos gives HTTP-registered instances: `ip:port#ephemeral` (IpPortBasedClient). */
export function ipPortClientId(ip: string, port: number, ephemeral: boolean): string {
  return `${ip}:${port}#${ephemeral}`
}

function beatKey(clientId: string, key: ServiceKey) {
  return `${clientId}|${serviceKeyString(key)}`
}

/** Registers one instance for a gRPC connection: it replaces whatever that connection published in the service. */
export function registerForConnection(n: Naming, connectionId: string, key: ServiceKey, inst: Instance) {
  if (!inst.ephemeral) throw fail.invalid('InstanceRequest registers ephemeral instances; use PersistentInstanceRequest for persistent ones')
  n.registry.publish(connectionId, 'grpc', key, [inst])
}

/** Replaces a gRPC connection's whole record in a service (batch register; the Java client also deregisters this way). */
export function batchRegisterForConnection(n: Naming, connectionId: string, key: ServiceKey, list: Instance[]) {
  if (list.some((i) => !i.ephemeral)) throw fail.invalid('batch registration is for ephemeral instances only')
  n.registry.publish(connectionId, 'grpc', key, list)
}

/** Removes a gRPC connection's record in a service (the instance in the request is not used to pick it, as Nacos). */
export function deregisterForConnection(n: Naming, connectionId: string, key: ServiceKey) {
  n.registry.unpublish(connectionId, key)
}

/**
 * Registers an instance for an `ip:port` client (HTTP, or persistent over either transport). The client keeps
 * one instance per cluster of a service; persistent ones are written to the database first, so only their
 * registration returns a promise (the ephemeral path stays synchronous: it is the benchmarked one).
 */
export function registerByAddress(n: Naming, key: ServiceKey, inst: Instance): void | Promise<void> {
  const clientId = ipPortClientId(inst.ip, inst.port, inst.ephemeral)
  // The key string once per register (it was built four times: two kind checks, the lookup and ensure).
  const ks = serviceKeyString(key)
  const s = n.registry.get(key, ks)
  n.registry.checkKind(key, inst.ephemeral, s)
  const current = s?.publishers.get(clientId) ?? []
  const next = [...current.filter((i) => i.clusterName !== inst.clusterName), inst]
  if (!inst.ephemeral) return n.store.savePersistent(key, inst.ip, inst.port, next, n.now()).then(() => void n.registry.publish(clientId, 'persistent', key, next))
  n.registry.publish(clientId, 'http', key, next, ks)
  n.beats.set(`${clientId}|${ks}`, n.now())
}

/** Deregisters an `ip:port` client's instance of a cluster (all clusters when none is given). */
export async function deregisterByAddress(n: Naming, key: ServiceKey, ip: string, port: number, ephemeral: boolean, cluster?: string): Promise<void> {
  const clientId = ipPortClientId(ip, port, ephemeral)
  const current = n.registry.get(key)?.publishers.get(clientId)
  if (!current) return
  const next = cluster ? current.filter((i) => i.clusterName !== cluster) : []
  if (!ephemeral) await n.store.savePersistent(key, ip, port, next, n.now())
  if (next.length) n.registry.publish(clientId, ephemeral ? 'http' : 'persistent', key, next)
  else {
    n.registry.unpublish(clientId, key)
    n.beats.delete(beatKey(clientId, key))
  }
}

/** Finds an instance by address and cluster, whoever published it. */
export function findInstance(n: Naming, key: ServiceKey, ip: string, port: number, cluster: string): { clientId: string; instance: Instance } | undefined {
  const s = n.registry.get(key)
  if (!s) return undefined
  for (const [clientId, list] of s.publishers) {
    const instance = list.find((i) => i.ip === ip && i.port === port && i.clusterName === cluster)
    if (instance) return { clientId, instance }
  }
  return undefined
}

/** Changes weight, enabled or metadata of a registered instance (operator edit, `PUT /instance`). */
export async function updateInstance(n: Naming, key: ServiceKey, ip: string, port: number, cluster: string, patch: Partial<Pick<Instance, 'weight' | 'enabled' | 'metadata' | 'healthy'>>): Promise<void> {
  const found = findInstance(n, key, ip, port, cluster)
  if (!found) throw fail.notFound(`instance ${ip}:${port} (cluster ${cluster}) not found in service ${key.group}@@${key.name}`)
  const s = n.registry.get(key)!
  const list = s.publishers.get(found.clientId)!.map((i) => (i === found.instance ? { ...i, ...patch } : i))
  const client = n.registry.clients.get(found.clientId)!
  if (client.kind === 'persistent') await n.store.savePersistent(key, ip, port, list, n.now())
  n.registry.publish(found.clientId, client.kind, key, list)
}

/**
 * An operator's edit (`PUT /instance`, the console). Besides changing the instance now, it is kept as an
 * override so it outlives the client's next registration, as Nacos 2.x keeps console edits in InstanceMetadata.
 */
export async function editInstance(n: Naming, key: ServiceKey, ip: string, port: number, cluster: string, patch: InstanceOverride): Promise<void> {
  if (!findInstance(n, key, ip, port, cluster)) throw fail.notFound(`instance ${ip}:${port} (cluster ${cluster}) not found in service ${key.group}@@${key.name}`)
  // Recorded first: publishing applies the stored overrides, which would otherwise undo this edit.
  n.registry.overrides.set(key, overrideId({ ip, port, clusterName: cluster }), patch)
  await updateInstance(n, key, ip, port, cluster, patch)
}

/** The result of an HTTP beat (Nacos InstanceController.beat). */
export interface BeatResult {
  found: boolean
  clientBeatInterval: number
}

/**
 * Records a heartbeat of an HTTP instance. An unknown instance is registered from a full beat body, or reported
 * not found (the client then re-registers, code 20404). A beat revives an instance marked unhealthy.
 */
export function beat(n: Naming, key: ServiceKey, ip: string, port: number, cluster: string | undefined, fromBeat?: Instance): BeatResult {
  const clientId = ipPortClientId(ip, port, true)
  // Nacos handleBeat only asks whether the ip:port client publishes into the service; a light beat may omit
  // the cluster, so without one any of the client's clusters matches.
  const mine = n.registry.get(key)?.publishers.get(clientId) ?? []
  const instance = mine.find((i) => i.ip === ip && i.port === port && (!cluster || i.clusterName === cluster))
  const found = instance && { clientId, instance }
  if (!found) {
    if (!fromBeat) return { found: false, clientBeatInterval: 5000 }
    registerByAddress(n, key, fromBeat)
    return { found: true, clientBeatInterval: Number(fromBeat.metadata['preserved.heart.beat.interval']) || 5000 }
  }
  n.beats.set(beatKey(clientId, key), n.now())
  // Held for another node until now (cluster mode: its beats moved here, that node died or the members changed):
  // this node is responsible for it from now on, expires it and replicates it.
  if (n.registry.clients.get(clientId)?.kind === 'remote') n.registry.publish(clientId, 'http', key, mine)
  // An ephemeral (http) client: updateInstance writes nothing to the database and completes synchronously.
  if (!found.instance.healthy) void updateInstance(n, key, ip, port, found.instance.clusterName, { healthy: true })
  return { found: true, clientBeatInterval: Number(found.instance.metadata['preserved.heart.beat.interval']) || 5000 }
}
