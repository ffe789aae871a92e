import { networkInterfaces } from 'node:os'
import { createApp, type App } from './app'
import { bootstrapAdmin } from './auth/center'
import type { Settings } from './settings/settings'
import { log } from './shared/log'
import { openStorage, type Storage } from './storage/db'
import { startGrpc, type GrpcServer } from './transport/grpc/server'

/** A running bnacos: its ports and a graceful stop. */
export interface RunningServer {
  httpPort: number
  grpcPort: number
  app: App
  grpc: GrpcServer
  storage: Storage
  stop(): Promise<void>
}

/** The address this server reports as its own (first non-loopback IPv4), as Nacos's InetUtils picks it. */
export function localIp(): string {
  for (const list of Object.values(networkInterfaces())) for (const a of list ?? []) if (a.family === 'IPv4' && !a.internal) return a.address
  return '127.0.0.1'
}

/** Opens storage, wires the features and starts HTTP and gRPC; resolves once both listen. */
export async function startServer(settings: Settings): Promise<RunningServer> {
  const startedAt = Date.now()
  let phase: 'starting' | 'up' | 'stopping' = 'starting'
  const storage = openStorage({ dataDir: settings.dataDir, synchronous: settings.dbSynchronous })
  const serverIp = localIp()
  const app = createApp(storage, settings, {
    ready: () => (phase === 'up' ? { ok: true } : { ok: false, reason: `server is ${phase}` }),
    serverState: () => ({
      version: settings.version, startup_mode: 'standalone', function_mode: 'All', auth_enabled: 'false', server_port: String(settings.httpPort),
      datasource_platform: 'sqlite', login_page_enabled: 'true', console_ui_enabled: 'true', implementation: 'bnacos',
    }),
  })
  await bootstrapAdmin(app.auth, settings.initAdminUsername, settings.initAdminPassword)
  if (!settings.authEnabled && !/^(127\.|::1$|localhost$)/.test(settings.host)) {
    // Off by default as in Nacos so a dev machine works unchanged, but said loudly when it is reachable.
    log.warn('auth is off and the server listens beyond loopback: anyone who can reach it can read and change configs and instances; set BNACOS_AUTH_ENABLED=true', { host: settings.host })
  }
  const stopJobs = app.startJobs()
  const http = app.http.listen({
    hostname: settings.host,
    port: settings.httpPort,
    // Long polls are held ~29.5 s; Bun's default 10 s idle timeout would cut them.
    idleTimeout: Math.min(255, Math.ceil(settings.longPollMaxMs / 1000) + 30),
    maxRequestBodySize: settings.configMaxContentBytes * 4 + 1024 * 1024,
  })
  let grpc: GrpcServer
  try {
    grpc = await startGrpc({
      host: settings.host, port: settings.grpcPort, handlers: app.rpc, filters: app.rpcFilters, after: app.rpcAfter, idleMs: settings.clientIdleMs,
      probeTimeoutMs: settings.clientProbeTimeoutMs, serverIp,
    })
  } catch (e) {
    // Leave nothing half-started: a port clash on gRPC must not leave HTTP answering or the database open.
    stopJobs()
    await http.server?.stop(true)
    storage.close()
    throw e
  }
  const httpPort = http.server?.port ?? settings.httpPort
  phase = 'up'
  log.info('bnacos ready', { version: settings.version, httpPort, grpcPort: grpc.port, dataDir: settings.dataDir, startupMs: Date.now() - startedAt })
  let stopping: Promise<void> | undefined
  return {
    httpPort,
    grpcPort: grpc.port,
    app,
    grpc,
    storage,
    stop() {
      stopping ??= (async () => {
        phase = 'stopping'
        log.info('bnacos stopping')
        stopJobs()
        await grpc.stop(settings.shutdownGraceMs)
        await http.server?.stop(true)
        // Every acknowledged write was committed before its reply; closing checkpoints the WAL.
        storage.close()
        log.info('bnacos stopped')
      })()
      return stopping
    },
  }
}
