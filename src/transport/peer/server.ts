import { createServer, type Server } from 'nice-grpc'
import { log } from '../../shared/log'
import { PEER_ERROR, type PeerHandler, type PeerServer } from '../../shared/peer'
import { PeerService, toMessage, toPayload } from './definitions'

/** Options of the node-to-node server. */
export interface PeerServerOptions {
  host: string
  port: number
  handle: PeerHandler
}

/** Starts the cluster gRPC server (proto/bnacos_cluster.proto); every message goes to `handle`. */
export async function startPeerServer(o: PeerServerOptions): Promise<PeerServer> {
  const server: Server = createServer({
    'grpc.max_receive_message_length': 64 * 1024 * 1024,
    'grpc.max_send_message_length': 64 * 1024 * 1024,
    'grpc.keepalive_permit_without_calls': 1,
    'grpc.http2.min_ping_interval_without_data_ms': 5000,
  })
  server.add(PeerService, {
    async call(p, ctx) {
      try {
        return toPayload(await o.handle(toMessage(p), ctx.peer))
      } catch (e) {
        // Handlers answer their own failures; this is a bug, reported without internals.
        log.error('peer handler failed', { type: p.type, error: String(e) })
        return toPayload({ type: PEER_ERROR, headers: {}, body: JSON.stringify({ errorCode: 500, message: 'server error' }) })
      }
    },
  })
  const port = await server.listen(`${o.host.includes(':') ? `[${o.host}]` : o.host}:${o.port}`)
  log.info('cluster port listening', { host: o.host, port })
  return {
    port,
    async stop() {
      await Promise.race([server.shutdown(), Bun.sleep(1000)])
      server.forceShutdown()
    },
  }
}
