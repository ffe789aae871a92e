import type { CallContext } from 'nice-grpc'
import { log } from '../../shared/log'
import { Connection, type SetupInfo } from './connection'
import { parseBody, type Payload } from './payload'
import { AsyncQueue } from './queue'
import type { ConnectionRegistry } from './registry'
import { splitPeer } from './registry'

/** The abilities we announce in SetupAckRequest (Nacos 3.x server ability table). */
export const SERVER_ABILITIES = { supportPersistentInstanceByGrpc: true, fuzzyWatch: false, lock: false, mcp: false }

function setupInfo(p: Payload, body: Record<string, unknown>, peer: string): SetupInfo {
  const labels: Record<string, string> = {}
  if (body.labels && typeof body.labels === 'object') for (const [k, v] of Object.entries(body.labels)) if (typeof v === 'string') labels[k] = v
  return {
    clientIp: p.clientIp || splitPeer(peer).ip,
    labels,
    clientVersion: typeof body.clientVersion === 'string' ? body.clientVersion : '',
    tenant: typeof body.tenant === 'string' ? body.tenant : '',
    negotiates: body.abilityTable !== undefined && body.abilityTable !== null,
  }
}

/**
 * Serves one bi-stream: the client's ConnectionSetupRequest registers the connection (synchronously, since
 * clients send business requests ~100 ms later); client responses ack pushes by requestId; our pushes are
 * yielded from a queue. When the stream ends either way, the connection and all it owns go away.
 */
export function createStreamHandler(registry: ConnectionRegistry, serverIp: string, onRegister: (c: Connection) => void, accepting: () => boolean = () => true) {
  return async function* requestBiStream(requests: AsyncIterable<Payload>, ctx: CallContext): AsyncIterable<Payload> {
    const out = new AsyncQueue<Payload>()
    let conn: Connection | undefined
    const end = () => out.end()
    ctx.signal.addEventListener('abort', end)
    const reader = (async () => {
      try {
        for await (const p of requests) {
          if (conn) conn.lastActive = Date.now()
          let body: Record<string, unknown>
          try {
            body = parseBody(p)
          } catch {
            continue
          }
          if (p.type === 'ConnectionSetupRequest') {
            if (conn) continue
            if (!accepting()) break
            const info = setupInfo(p, body, ctx.peer)
            conn = new Connection(registry.idFor(ctx.peer), ctx.peer, info, (x) => out.push(x), end, serverIp)
            registry.register(conn)
            onRegister(conn)
            // Java ≥ 2.3 and Python wait up to 5 s for this and reconnect without it; Go and Rust don't ask.
            if (info.negotiates) conn.sendOneWay('SetupAckRequest', { abilityTable: SERVER_ABILITIES })
            log.debug('connection registered', { connectionId: conn.id, clientIp: info.clientIp, version: info.clientVersion })
          } else if (p.type.endsWith('Response') && typeof body.requestId === 'string') {
            conn?.ack(body.requestId, body)
          }
          // Anything else on the stream (the Node gRPC client's HealthCheckRequest) is ignored, as Java Nacos does.
        }
      } catch {
        // The client went away; handled below.
      } finally {
        end()
      }
    })()
    try {
      for await (const p of out) yield p
    } finally {
      ctx.signal.removeEventListener('abort', end)
      if (conn) {
        registry.unregister(conn)
        conn.close('stream ended')
      }
      void reader
    }
  }
}
