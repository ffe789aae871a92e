import { networkInterfaces } from 'node:os'
import { createApp, type App } from './app'
import { bootstrapAdmin } from './auth/center'
import { createCluster, type Cluster } from './cluster/cluster'
import { resolveClusterPlan } from './cluster/plan'
import type { Settings } from './settings/settings'
import { log } from './shared/log'
import { openStorage, type Storage } from './storage/db'
import { openRemoteStorage } from './storage/remote-open'
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
  // What has been started so far, undone in reverse if a later step fails: a port clash on gRPC must not leave
  // HTTP answering, the database open or the data dir locked.
  const undo: (() => unknown)[] = [() => lock.release()]
  const rollback = async () => {
    for (const step of undo.reverse()) {
      try {
        await step()
      } catch (e) {
        log.warn('cleanup after a failed start failed', { error: String(e) })
      }
    }
  }
  let storage: Storage, app: App, grpc: GrpcServer, cluster: Cluster, stopJobs: () => void
  let http: ReturnType<App['http']['listen']>
  try {
    storage = settings.dbUrl ? await openRemoteStorage(settings.dbUrl, settings.dataDir) : openStorage({ dataDir: settings.dataDir, synchronous: settings.dbSynchronous })
    undo.push(() => storage.close())
    const serverIp = localIp()
    let sdkConnections = () => 0
    cluster = createCluster(plan, { ip: serverIp, port: settings.httpPort, address: `${serverIp}:${settings.httpPort}` }, { version: settings.version, startedAt, sdkConnections: () => sdkConnections() })
    app = await createApp(storage, settings, {
      ready: () => (phase === 'up' ? { ok: true } : { ok: false, reason: `server is ${phase}` }),
      serverState: () => ({
        version: settings.version, startup_mode: cluster.mode, function_mode: 'All', auth_enabled: 'false', server_port: String(settings.httpPort),
        datasource_platform: storage.kind === 'sqlite' ? 'sqlite' : storage.remote.dialect === 'mysql' ? 'mysql' : 'postgresql', login_page_enabled: 'true', console_ui_enabled: 'true', implementation: 'bnacos',
      }),
    }, cluster)
    // The first start hashes the admin's password with bcrypt (~70 ms, off the main thread): let it overlap the
    // listening below, and be done before the server says it is ready.
    const adminReady = bootstrapAdmin(app.auth, settings.initAdminUsername, settings.initAdminPassword)
    adminReady.catch(() => {}) // awaited below; a failure before then must not surface as unhandled
    if (!settings.authEnabled && !/^(127\.|::1$|localhost$)/.test(settings.host)) {
      // Off by default as in Nacos so a dev machine works unchanged, but said loudly when it is reachable.
      log.warn('auth is off and the server listens beyond loopback: anyone who can reach it can read and change configs and instances; set BNACOS_AUTH_ENABLED=true', { host: settings.host })
    }
    stopJobs = app.startJobs()
    undo.push(() => stopJobs())
    http = app.http.listen({
      hostname: settings.host,
      port: settings.httpPort,
      // Long polls are held ~29.5 s; Bun's default 10 s idle timeout would cut them.
      idleTimeout: Math.min(255, Math.ceil(settings.longPollMaxMs / 1000) + 30),
      maxRequestBodySize: settings.configMaxContentBytes * 4 + 1024 * 1024,
    })
    undo.push(() => http.server?.stop(true))
    grpc = await startGrpc({
      host: settings.host, port: settings.grpcPort, handlers: app.rpc, filters: app.rpcFilters, after: app.rpcAfter, idleMs: settings.clientIdleMs,
      probeTimeoutMs: settings.clientProbeTimeoutMs, serverIp,
      observe: app.metrics?.observeRpc, observePush: app.metrics?.observePush,
    })
    undo.push(() => grpc.stop(0))
    app.metrics?.setConnections(() => grpc.registry.size)
    sdkConnections = () => grpc.registry.size
    // The cluster port (HTTP + 1001, or where a mapping forwards it) on the same host; a no-op when standalone.
    undo.push(() => cluster.stop())
    await cluster.start({ listen: (port, handle) => startPeerServer({ host: settings.host, port: settings.clusterListenPort ?? port, handle }), wire: createPeerWire() })
    await adminReady
  } catch (e) {
    await rollback()
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
        await storage.close()
        lock.release()
        log.info('bnacos stopped')
      })()
      return stopping
    },
  }
}
