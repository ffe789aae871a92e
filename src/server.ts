import { networkInterfaces } from 'node:os'
import { createApp, type App } from './app'
import { bootstrapAdmin } from './auth/center'
import { createCluster, type Cluster } from './cluster/cluster'
import { resolveClusterPlan } from './cluster/plan'
import type { Settings } from './settings/settings'
import { log } from './shared/log'
import { openStorage, type Storage } from './storage/db'
import { lockDataDir } from './storage/lock'
import { startGrpc, type GrpcServer } from './transport/grpc/server'
import { createPeerWire } from './transport/peer/client'
import { startPeerServer } from './transport/peer/server'

/** A running bnacos: its ports and a graceful stop. */
export interface RunningServer {
  httpPort: number
  grpcPort: number
  app: App
  grpc: GrpcServer
  storage: Storage
  cluster: Cluster
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
  // Before anything opens: a bad member list or a missing secret stops the start with its reason.
  const plan = resolveClusterPlan(settings)
  // One process per data dir: a second server on the same SQLite file would split the registry in two.
  const lock = settings.dataDir === ':memory:' ? { release() {} } : lockDataDir(settings.dataDir)
  let storage: Storage
  try {
    storage = openStorage({ dataDir: settings.dataDir, synchronous: settings.dbSynchronous })
  } catch (e) {
    lock.release()
    throw e
  }
  const serverIp = localIp()
  let sdkConnections = () => 0
  const cluster = createCluster(plan, { ip: serverIp, port: settings.httpPort, address: `${serverIp}:${settings.httpPort}` }, { version: settings.version, startedAt, sdkConnections: () => sdkConnections() })
  const app = createApp(storage, settings, {
    ready: () => (phase === 'up' ? { ok: true } : { ok: false, reason: `server is ${phase}` }),
    serverState: () => ({
      version: settings.version, startup_mode: cluster.mode, function_mode: 'All', auth_enabled: 'false', server_port: String(settings.httpPort),
      datasource_platform: 'sqlite', login_page_enabled: 'true', console_ui_enabled: 'true', implementation: 'bnacos',
    }),
  }, cluster)
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
      observe: app.metrics?.observeRpc, observePush: app.metrics?.observePush,
    })
  } catch (e) {
    // Leave nothing half-started: a port clash on gRPC must not leave HTTP answering or the database open.
    stopJobs()
    await http.server?.stop(true)
    storage.close()
    lock.release()
    throw e
  }
  app.metrics?.setConnections(() => grpc.registry.size)
  sdkConnections = () => grpc.registry.size
  try {
    // The cluster port (HTTP + 1001) on the same host; a no-op when standalone.
    await cluster.start({ listen: (port, handle) => startPeerServer({ host: settings.host, port, handle }), wire: createPeerWire() })
  } catch (e) {
    await cluster.stop()
    stopJobs()
    await grpc.stop(0)
    await http.server?.stop(true)
    storage.close()
    lock.release()
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
    cluster,
    stop() {
      stopping ??= (async () => {
        phase = 'stopping'
        log.info('bnacos stopping')
        stopJobs()
        await cluster.stop()
        await grpc.stop(settings.shutdownGraceMs)
        await http.server?.stop(true)
        // Every acknowledged write was committed before its reply; closing checkpoints the WAL.
        storage.close()
        lock.release()
        log.info('bnacos stopped')
      })()
      return stopping
    },
  }
}
