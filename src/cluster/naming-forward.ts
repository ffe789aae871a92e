import { Elysia } from 'elysia'
import { log } from '../shared/log'
import { paramsOf, routeKey, type Params } from '../shared/http'
import type { Cluster } from './cluster'
import type { MemberAddress } from './members'

/** Marks a request one node forwarded to another, so it is handled there and never forwarded again. */
export const FORWARDED_HEADER = 'x-bnacos-forwarded'

/** The HTTP writes of ephemeral `ip:port` clients (Nacos DistroFilter's @CanDistro methods). */
const ROUTES = new Set([
  'POST /nacos/v1/ns/instance', 'DELETE /nacos/v1/ns/instance', 'PUT /nacos/v1/ns/instance/beat',
  'POST /nacos/v2/ns/instance', 'DELETE /nacos/v2/ns/instance', 'PUT /nacos/v2/ns/instance/beat',
])

/** FNV-1a, 32 bits: every node must map a tag to the same member, whatever its runtime. */
function hash32(s: string): number {
  let h = 0x811c9dc5
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193)
  return h >>> 0
}

/**
 * The member responsible for an `ip:port` client: the tag's hash over the members this node sees UP, itself
 * included, in address order (Nacos DistroMapper.responsible). Nodes whose views differ for a moment may both
 * take a client; the replication tolerates that (replicas.ts).
 */
export function responsibleMember(cluster: Cluster, tag: string): MemberAddress {
  const candidates = [cluster.self, ...cluster.upPeers()].sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0))
  return candidates[hash32(tag) % candidates.length]
}

/** `ip:port` of the client an instance write or beat is about, or undefined (the handler reports what is wrong). */
function clientTag(p: Params): string | undefined {
  let ip = p.get('ip')
  let port = p.get('port')
  const beat = p.get('beat')
  if (beat?.trim()) {
    try {
      const info = JSON.parse(beat) as { ip?: unknown; port?: unknown }
      if (typeof info.ip === 'string') ip = info.ip
      if (info.port !== undefined) port = String(info.port)
    } catch {}
  }
  return ip && port ? `${ip.trim()}:${port.trim()}` : undefined
}

/**
 * Routes the HTTP writes and beats of ephemeral instances to the node responsible for their `ip:port` (Nacos
 * DistroFilter), so each HTTP client's beats meet its instance on one node, which expires it and replicates it.
 * Runs after the auth guard; the target checks the token again (every node shares the token key). When the
 * target cannot be reached the request is handled here: this node then owns the client, and replication sorts
 * out the rest.
 */
export function namingForwardHttp(cluster: Cluster) {
  return new Elysia().onBeforeHandle({ as: 'global' }, async ({ request, body, server }) => {
    // Runs before every request of a clustered node: reads (the hot path) leave before any string is built.
    if (request.method === 'GET' || !ROUTES.has(routeKey(request.method, request.url)) || request.headers.has(FORWARDED_HEADER)) return
    const p = paramsOf({ request, body, server })
    if (p.bool('ephemeral') === false) return
    const tag = clientTag(p)
    if (!tag) return
    const target = responsibleMember(cluster, tag)
    if (target.address === cluster.self.address) return
    const url = new URL(request.url)
    const headers = new Headers(request.headers)
    headers.delete('host')
    headers.delete('content-length')
    headers.set(FORWARDED_HEADER, cluster.self.address)
    const host = target.ip.includes(':') ? `[${target.ip}]` : target.ip
    try {
      const r = await fetch(`http://${host}:${target.port}${url.pathname}${url.search}`, {
        method: request.method, headers, body: typeof body === 'string' && body ? body : undefined, signal: AbortSignal.timeout(3_000),
      })
      return new Response(await r.arrayBuffer(), { status: r.status, headers: { 'content-type': r.headers.get('content-type') ?? 'text/plain;charset=UTF-8' } })
    } catch (e) {
      log.debug('could not forward an instance write to its responsible node; handled here', { target: target.address, tag, error: String(e) })
    }
  })
}
