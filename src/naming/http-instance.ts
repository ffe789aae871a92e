import { Elysia } from 'elysia'
import { fail } from '../shared/errors'
import { json, jsonText, paramsOf, text, type Params } from '../shared/http'
import type { Naming } from './center'
import { beat, deregisterByAddress, editInstance, findInstance, registerByAddress } from './instances'
import type { ServiceKey } from './model'
import { clusterOf, instanceOf, serviceKeyOf } from './params'
import { buildServiceInfo, serviceInfoJson, type InfoQuery } from './service-info'
import type { UdpPusher } from './udp'
import { checkCluster, checkIp, checkPort, checkWeight, parseMetadataParam, toInstance } from './validate'

/** Instance operations shared by v1 and v2; each returns plain data. */
export const instanceOps = {
  register(n: Naming, p: Params): void | Promise<void> {
    const key = serviceKeyOf(p)
    return registerByAddress(n, key, instanceOf(p, key))
  },
  deregister(n: Naming, p: Params): Promise<void> {
    const key = serviceKeyOf(p)
    return deregisterByAddress(n, key, checkIp(p.get('ip')), checkPort(p.get('port')), p.bool('ephemeral') ?? true, clusterOf(p))
  },
  update(n: Naming, p: Params): Promise<void> {
    const key = serviceKeyOf(p)
    const patch: Parameters<typeof editInstance>[5] = {}
    if (p.get('weight') !== undefined) patch.weight = checkWeight(p.get('weight'))
    const enabled = p.bool('enabled') ?? p.bool('enable')
    if (enabled !== undefined) patch.enabled = enabled
    if (p.get('metadata') !== undefined) patch.metadata = parseMetadataParam(p.get('metadata'))
    return editInstance(n, key, checkIp(p.get('ip')), checkPort(p.get('port')), clusterOf(p), patch)
  },
  /** v1 names the service `service`; v2 (InstanceDetailInfoVo) names it `serviceName`. */
  detail(n: Naming, p: Params, v2 = false) {
    const key = serviceKeyOf(p)
    const ip = checkIp(p.get('ip'))
    const port = checkPort(p.get('port'))
    const found = findInstance(n, key, ip, port, clusterOf(p))
    if (!found) throw fail.notFound(`no matched ip found: ${ip}:${port}`)
    const i = found.instance
    const name = `${key.group}@@${key.name}`
    return { ...(v2 ? { serviceName: name, namespaceId: key.namespace, groupName: key.group } : { service: name }), ip: i.ip, port: i.port, clusterName: i.clusterName, weight: i.weight, healthy: i.healthy, enabled: i.enabled, ephemeral: i.ephemeral, instanceId: i.instanceId, metadata: i.metadata }
  },
  list(n: Naming, p: Params, udp?: UdpPusher) {
    const q = listQuery(n, p, udp)
    return buildServiceInfo(n.registry, q.key, n.registry.get(q.key), q.info)
  },
  /** `list` serialised, from the per-change cache (the v1 hot path; v2 wraps the object in its envelope). */
  listJson(n: Naming, p: Params, udp?: UdpPusher): string {
    const q = listQuery(n, p, udp)
    return serviceInfoJson(n.registry, q.key, n.registry.get(q.key), q.info)
  },
  beat(n: Naming, p: Params) {
    const key = serviceKeyOf(p)
    const raw = p.get('beat')
    let info: Record<string, unknown> | undefined
    if (raw?.trim()) {
      try {
        info = JSON.parse(raw)
      } catch {
        throw fail.invalid('invalid beat: not valid JSON')
      }
    }
    const ip = checkIp((info?.ip as string | undefined) ?? p.get('ip'))
    const port = checkPort(info?.port ?? p.get('port'))
    const given = typeof info?.cluster === 'string' ? info.cluster : p.first('clusterName', 'cluster')
    const cluster = given?.trim() ? checkCluster(given) : undefined
    const fromBeat = info ? toInstance({ ip, port, weight: info.weight, clusterName: cluster, metadata: info.metadata, ephemeral: true }, key) : undefined
    const r = beat(n, key, ip, port, cluster, fromBeat)
    // 20404 tells the client the instance is unknown and must be registered again (Nacos NamingResponseCode).
    return { clientBeatInterval: r.clientBeatInterval, code: r.found ? 10200 : 20404, lightBeatEnabled: true }
  },
}

/**
 * What an instance list asks for, subscribing a UDP client on the way (Nacos InstanceController.list): the
 * service, and the cluster filter, healthy-only flag and name form of its ServiceInfo.
 */
function listQuery(n: Naming, p: Params, udp?: UdpPusher): { key: ServiceKey; info: InfoQuery } {
  const key = serviceKeyOf(p)
  // v1 takes `clusters` (comma list); v2 InstanceControllerV2 takes `clusterName`.
  const clusters = p.first('clusters', 'clusterName') ?? ''
  const udpPort = p.int('udpPort') ?? 0
  // Pushes go to the address the request came from, not to the client-supplied `clientIP` Nacos trusts: that
  // would let anyone aim the server's UDP at any host (a reflection vector). Behind a proxy the client simply
  // falls back to its regular polling. The socket address is only looked up for a UDP subscriber (Bun's
  // requestIP was 5.6% of the list's CPU in the issue 7 profile).
  const clientIP = udp && udpPort > 0 && udpPort <= 65535 ? p.socketIp.replace(/^::ffff:/, '') : ''
  if (udp && clientIP) {
    n.subscribers.add(key, {
      id: `udp:${clientIP}:${udpPort}`, kind: 'udp', clusters, addr: `${clientIP}:${udpPort}`, agent: p.header('User-Agent') ?? p.header('Client-Version') ?? '', seenAt: n.now(),
      deliver: (_info, json) => udp.send(clientIP, udpPort, json),
    })
  }
  return { key, info: { clusters, healthyOnly: p.bool('healthyOnly') ?? false, groupedName: true } }
}

/** The 1.x instance API at /nacos/v1/ns/instance (Nacos InstanceController). */
export function instanceHttpV1(n: Naming, udp?: UdpPusher) {
  return new Elysia({ prefix: '/nacos/v1/ns/instance' })
    // Ephemeral registers complete synchronously (the benchmarked path); persistent ones after their commit.
    .post('', ({ request, body, server }) => afterDone(instanceOps.register(n, paramsOf({ request, body, server })), () => text('ok')))
    .delete('', async ({ request, body, server }) => (await instanceOps.deregister(n, paramsOf({ request, body, server })), text('ok')))
    .put('', async ({ request, body, server }) => (await instanceOps.update(n, paramsOf({ request, body, server })), text('ok')))
    .get('', ({ request, body, server }) => json(instanceOps.detail(n, paramsOf({ request, body, server }))))
    .get('/list', ({ request, body, server }) => jsonText(instanceOps.listJson(n, paramsOf({ request, body, server }), udp)))
    .put('/beat', ({ request, body, server }) => json(instanceOps.beat(n, paramsOf({ request, body, server }))))
}

/** `answer()` now when `done` is not a promise, else once it settles (its rejection propagates). */
export function afterDone<T>(done: void | Promise<void>, answer: () => T): T | Promise<T> {
  return done ? done.then(answer) : answer()
}
