import { log } from '../../shared/log'
import type { Connection } from './connection'

/**
 * Connections keyed by the remote `ip:port` of their HTTP/2 connection: no id travels in requests, so a unary
 * call finds its connection through the transport it arrived on, as Java Nacos's GrpcConnectionInterceptor does.
 */
export class ConnectionRegistry {
  private byPeer = new Map<string, Connection>()
  /** ids handed out by ServerCheck before the stream exists, so setup reuses the same id. */
  private reserved = new Map<string, { id: string; at: number }>()

  /** The connectionId for a peer: the registered one, or a reserved `<millis>_<ip>_<port>` (Nacos format). */
  idFor(peer: string): string {
    const c = this.byPeer.get(peer)
    if (c) return c.id
    let r = this.reserved.get(peer)
    if (!r) {
      const { ip, port } = splitPeer(peer)
      r = { id: `${Date.now()}_${ip}_${port}`, at: Date.now() }
      this.reserved.set(peer, r)
    }
    return r.id
  }

  register(c: Connection) {
    this.reserved.delete(c.peer)
    const old = this.byPeer.get(c.peer)
    if (old && old !== c) old.close('replaced by a new stream on the same transport')
    this.byPeer.set(c.peer, c)
  }

  unregister(c: Connection) {
    if (this.byPeer.get(c.peer) === c) this.byPeer.delete(c.peer)
  }

  get(peer: string): Connection | undefined {
    return this.byPeer.get(peer)
  }

  all(): Connection[] {
    return [...this.byPeer.values()]
  }

  get size() {
    return this.byPeer.size
  }

  /** Forgets reserved ids whose stream never came (health probes, abandoned handshakes). */
  pruneReserved(olderThanMs: number) {
    const cutoff = Date.now() - olderThanMs
    for (const [peer, r] of this.reserved) if (r.at < cutoff) this.reserved.delete(peer)
  }

  /**
   * Probes idle connections with ClientDetectionRequest and drops those that do not answer (Nacos
   * NacosRuntimeConnectionEjector): crashed clients send nothing, and their instances must go.
   */
  detectIdle(idleMs: number, probeTimeoutMs: number) {
    const cutoff = Date.now() - idleMs
    for (const c of this.byPeer.values()) {
      // One probe at a time: the probe timeout may be longer than the detection tick.
      if (c.lastActive > cutoff || c.probing) continue
      c.probing = true
      c.push('ClientDetectionRequest', {}, probeTimeoutMs).then(
        () => {
          c.probing = false
          c.lastActive = Date.now()
        },
        () => {
          c.probing = false
          log.info('dropping unresponsive connection', { connectionId: c.id })
          c.close('no answer to ClientDetectionRequest')
          this.unregister(c)
        },
      )
    }
  }
}

/** Splits `ip:port`, `[v6]:port` or grpc-js's `ipv6:[..]:port` forms. */
export function splitPeer(peer: string): { ip: string; port: string } {
  const p = peer.replace(/^ipv[46]:/, '')
  const i = p.lastIndexOf(':')
  if (i < 0) return { ip: p, port: '0' }
  return { ip: p.slice(0, i).replace(/^\[|\]$/g, ''), port: p.slice(i + 1) }
}
