import { fail } from '../shared/errors'
import { log } from '../shared/log'
import { str, type RpcConnection, type RpcHandlers, type RpcRequest } from '../shared/rpc'
import type { Naming } from './center'
import { batchRegisterForConnection, deregisterByAddress, deregisterForConnection, registerByAddress, registerForConnection, toServiceKey } from './instances'
import { serviceKeyString, type ServiceKey } from './model'
import { buildServiceInfo } from './service-info'
import { listServiceNames } from './services'
import { toInstance } from './validate'

const keyOf = (req: RpcRequest): ServiceKey => toServiceKey(str(req.body, 'namespace'), str(req.body, 'groupName'), str(req.body, 'serviceName'))
const objectOf = (v: unknown) => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined)

/** Pushes a ServiceInfo; on a missing ack retries once after 1 s unless a newer push superseded it (Nacos PushExecutorRpcImpl). */
async function pushInfo(conn: RpcConnection, key: ServiceKey, info: Record<string, unknown>, infoJson: string, latest: Map<string, number>) {
  const ks = serviceKeyString(key)
  const rev = info.lastRefTime as number
  latest.set(ks, rev)
  // The ServiceInfo JSON is shared by every subscriber of this change; only the envelope is built per push.
  const body = { raw: `{"module":"naming","namespace":${JSON.stringify(key.namespace)},"serviceName":${JSON.stringify(key.name)},"groupName":${JSON.stringify(key.group)},"serviceInfo":${infoJson}}` }
  for (let attempt = 0; attempt < 2 && conn.open && latest.get(ks) === rev; attempt++) {
    try {
      await conn.push('NotifySubscriberRequest', body, 5000)
      return
    } catch {
      await Bun.sleep(1000)
    }
  }
  log.debug('naming push not acknowledged', { connectionId: conn.id, service: ks })
}

/** The registry's gRPC handlers (Nacos naming/remote/rpc/handler/*). */
export function namingRpcHandlers(n: Naming): RpcHandlers {
  const tracked = new WeakMap<RpcConnection, { subscribed: Map<string, ServiceKey>; latest: Map<string, number> }>()
  const stateOf = (conn: RpcConnection) => {
    let st = tracked.get(conn)
    if (!st) {
      const fresh = { subscribed: new Map<string, ServiceKey>(), latest: new Map<string, number>() }
      tracked.set(conn, fresh)
      // Disconnect removes everything the connection published and subscribed.
      conn.onClose(() => {
        n.registry.removeClient(conn.id)
        for (const key of fresh.subscribed.values()) n.subscribers.remove(key, conn.id)
      })
      st = fresh
    }
    return st
  }

  return {
    InstanceRequest: {
      responseType: 'InstanceResponse',
      handle(req) {
        const key = keyOf(req)
        const type = str(req.body, 'type')
        stateOf(req.connection)
        if (type === 'registerInstance') registerForConnection(n, req.connection.id, key, toInstance(objectOf(req.body.instance) ?? {}, key))
        else if (type === 'deregisterInstance') deregisterForConnection(n, req.connection.id, key)
        else throw fail.invalid(`Unsupported request type ${type}`)
        return { type }
      },
    },
    BatchInstanceRequest: {
      responseType: 'BatchInstanceResponse',
      handle(req) {
        const key = keyOf(req)
        const type = str(req.body, 'type')
        if (type !== 'batchRegisterInstance' && type !== 'batchDeregisterInstance') throw fail.invalid(`Unsupported request type ${type}`)
        stateOf(req.connection)
        const list = (Array.isArray(req.body.instances) ? req.body.instances : []).map((i) => toInstance(objectOf(i) ?? {}, key))
        if (type === 'batchRegisterInstance') batchRegisterForConnection(n, req.connection.id, key, list)
        else deregisterForConnection(n, req.connection.id, key)
        return { type }
      },
    },
    PersistentInstanceRequest: {
      responseType: 'InstanceResponse',
      handle(req) {
        const key = keyOf(req)
        const type = str(req.body, 'type')
        const inst = toInstance({ ...(objectOf(req.body.instance) ?? {}), ephemeral: false }, key, false)
        if (type === 'registerInstance') registerByAddress(n, key, inst)
        else if (type === 'deregisterInstance') deregisterByAddress(n, key, inst.ip, inst.port, false, inst.clusterName)
        else throw fail.invalid(`Unsupported request type ${type}`)
        return { type }
      },
    },
    SubscribeServiceRequest: {
      responseType: 'SubscribeServiceResponse',
      handle(req) {
        const key = keyOf(req)
        const clusters = str(req.body, 'clusters') ?? ''
        const st = stateOf(req.connection)
        const ks = serviceKeyString(key)
        if (req.body.subscribe === false) {
          n.subscribers.remove(key, req.connection.id)
          st.subscribed.delete(ks)
        } else {
          const conn = req.connection
          n.subscribers.add(key, {
            id: conn.id, kind: 'grpc', clusters, addr: conn.clientIp, agent: conn.labels.AppName ?? '', seenAt: n.now(),
            deliver: (info, json) => void pushInfo(conn, key, info, json, st.latest),
          })
          st.subscribed.set(ks, key)
        }
        return { serviceInfo: buildServiceInfo(n.registry, key, n.registry.get(key), { clusters, healthyOnly: false, groupedName: false }) }
      },
    },
    ServiceQueryRequest: {
      responseType: 'QueryServiceResponse',
      handle(req) {
        const key = keyOf(req)
        const clusters = str(req.body, 'cluster') ?? ''
        return { serviceInfo: buildServiceInfo(n.registry, key, n.registry.get(key), { clusters, healthyOnly: req.body.healthyOnly === true, groupedName: false }) }
      },
    },
    ServiceListRequest: {
      responseType: 'ServiceListResponse',
      handle(req) {
        const page = listServiceNames(n, {
          namespace: str(req.body, 'namespace'), group: str(req.body, 'groupName'), pageNo: Number(req.body.pageNo) || 1, pageSize: Number(req.body.pageSize) || 10, selector: str(req.body, 'selector'),
        })
        return { count: page.count, serviceNames: page.names }
      },
    },
  }
}
