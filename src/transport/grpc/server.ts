import { createServer, type Server } from 'nice-grpc'
import { log } from '../../shared/log'
import type { RpcAfter, RpcHandlers } from '../../shared/rpc'
import type { Connection, PushObserver } from './connection'
import { BiRequestStreamService, RequestService } from './definitions'
import { createDispatcher, type RpcFilter, type RpcObserver } from './dispatch'
import type { Payload } from './payload'
import { ConnectionRegistry } from './registry'
import { createStreamHandler } from './stream'

/** A running SDK gRPC server. */
export interface GrpcServer {
  port: number
  registry: ConnectionRegistry
  /** Asks every client to reconnect elsewhere (ConnectResetRequest), closes streams and stops listening. */
  stop(graceMs: number): Promise<void>
}

/** Options of the SDK gRPC server. */
export interface GrpcOptions {
  host: string
  port: number
  handlers: RpcHandlers
  filters?: RpcFilter[]
  after?: RpcAfter
  idleMs: number
  probeTimeoutMs: number
  serverIp: string
  onConnection?: (c: Connection) => void
  /** Observes each answered unary request (metrics). */
  observe?: RpcObserver
  /** Observes each finished server push (metrics): its type, whether the client acked, the time to the ack. */
  observePush?: PushObserver
}

/** Starts the Nacos SDK gRPC server (port = HTTP port + 1000 by default). */
export async function startGrpc(o: GrpcOptions): Promise<GrpcServer> {
  const server: Server = createServer({
    // Configs may be 10 MiB; leave room for the JSON envelope so the size check answers, not the transport.
    'grpc.max_receive_message_length': 16 * 1024 * 1024,
    'grpc.max_send_message_length': 16 * 1024 * 1024,
    // Go and Python ping every 60 s without streams; never answer that with GOAWAY too_many_pings.
    'grpc.keepalive_permit_without_calls': 1,
    'grpc.http2.min_ping_interval_without_data_ms': 5000,
    'grpc.keepalive_time_ms': 60_000,
    'grpc.keepalive_timeout_ms': 20_000,
    // Nothing reads grpc-js's channelz; with it on every call also updates per-call and per-session trackers.
    'grpc.enable_channelz': 0,
  })
  const registry = new ConnectionRegistry()
  let accepting = true
  const dispatch = createDispatcher(registry, o.handlers, o.serverIp, o.filters, () => accepting, o.after, o.observe)
  const onConnection = o.onConnection ?? (() => {})
  const registered = o.observePush ? (c: Connection) => ((c.observePush = o.observePush), onConnection(c)) : onConnection
  // nice-grpc awaits what the method returns, so a synchronous answer needs no promise of its own.
  server.add(RequestService, { request: (p, ctx) => dispatch(p, ctx.peer) as Promise<Payload> })
  server.add(BiRequestStreamService, { requestBiStream: createStreamHandler(registry, o.serverIp, registered, () => accepting) })
  const port = await server.listen(`${o.host.includes(':') ? `[${o.host}]` : o.host}:${o.port}`)
  const timer = setInterval(() => {
    registry.detectIdle(o.idleMs, o.probeTimeoutMs)
    registry.pruneReserved(60_000)
  }, 3000)
  timer.unref()
  log.info('grpc listening', { host: o.host, port })
  return {
    port,
    registry,
    async stop(graceMs: number) {
      accepting = false
      clearInterval(timer)
      for (const c of registry.all()) c.push('ConnectResetRequest', {}, 500).catch(() => {})
      await Bun.sleep(Math.min(graceMs, 300))
      for (const c of registry.all()) {
        registry.unregister(c)
        c.close('server shutting down')
      }
      await Promise.race([server.shutdown(), Bun.sleep(graceMs)])
      server.forceShutdown()
    },
  }
}
