import { fail } from '../shared/errors'
import { log } from '../shared/log'
import { str, type RpcConnection, type RpcHandlers, type RpcRequest } from '../shared/rpc'
import type { Naming } from './center'
import { batchRegisterForConnection, deregisterByAddress, deregisterForConnection, registerByAddress, registerForConnection, toServiceKey } from './instances'
import { serviceKeyString, type ServiceKey } from './model'
import { buildServiceInfo } from './service-info'
import type { PushMemo } from './subscribers'
import { listServiceNames } from './services'
import { toInstance } from './validate'

const keyOf = (req: RpcRequest): ServiceKey => toServiceKey(str(req.body, 'namespace'), str(req.body, 'groupName'), str(req.body, 'serviceName'))
const objectOf = (v: unknown) => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined)

/** Push state of one (subscriber connection, service): at most one push unacknowledged, the newest change queued. */
interface PushSlot {
  inFlight: boolean
  next?: string
}

/**
 * The NotifySubscriberRequest body of a change (without headers and requestId, which the connection adds), built
 * once per change and cluster filter and shared by all its subscribers: built per subscriber it was a fresh ~38 KB
 * string for each of the 1,000 pushes of a change in the 1,000-connection register bench.
 */
function notifyBody(key: ServiceKey, infoJson: string, memo: PushMemo): string {
  return (memo.notifyBody ??= `{"module":"naming","namespace":${JSON.stringify(key.namespace)},"serviceName":${JSON.stringify(key.name)},"groupName":${JSON.stringify(key.group)},"serviceInfo":${infoJson}}`)
}

/**
 * Pushes a ServiceInfo with back-pressure: while a push to this subscriber for this service awaits its ack, newer
 * changes replace each other in `next` and only the newest is sent when the ack (or its timeout) comes. A slow
 * client therefore costs one pending payload per service, not one per change. An unacknowledged push is retried
 * once after 1 s unless a newer one is waiting (Nacos PushExecutorRpcImpl retries too).
 */
async function pushInfo(conn: RpcConnection, key: ServiceKey, notify: string, slot: PushSlot) {
  if (slot.inFlight) {
    slot.next = notify
    return
  }
  slot.inFlight = true
  let raw: string | undefined = notify
  let retried = false
  try {
    while (raw !== undefined && conn.open) {
      try {
        await conn.push('NotifySubscriberRequest', { raw }, 5000)
        retried = false
      } catch {
        if (!slot.next && !retried && conn.open) {
          retried = true
          await Bun.sleep(1000)
          if (!slot.next) continue
        }
        log.debug('naming push not acknowledged', { connectionId: conn.id, service: serviceKeyString(key) })
      }
      raw = slot.next
      slot.next = undefined
    }
  } finally {
    slot.inFlight = false
  }
}

/** The registry's gRPC handlers (Nacos naming/remote/rpc/handler/*). */
export function namingRpcHandlers(n: Naming): RpcHandlers {
  const tracked = new WeakMap<RpcConnection, { subscribed: Map<string, ServiceKey>; slots: Map<string, PushSlot> }>()
  const stateOf = (conn: RpcConnection) => {
    let st = tracked.get(conn)
    if (!st) {
      const fresh = { subscribed: new Map<string, ServiceKey>(), slots: new Map<string, PushSlot>() }
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
      async handle(req) {
        const key = keyOf(req)
        const type = str(req.body, 'type')
        const inst = toInstance({ ...(objectOf(req.body.instance) ?? {}), ephemeral: false }, key, false)
        if (type === 'registerInstance') await registerByAddress(n, key, inst)
        else if (type === 'deregisterInstance') await deregisterByAddress(n, key, inst.ip, inst.port, false, inst.clusterName)
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
          st.slots.delete(ks)
        } else {
          const conn = req.connection
          let slot = st.slots.get(ks)
          if (!slot) st.slots.set(ks, (slot = { inFlight: false }))
          const mine = slot
          n.subscribers.add(key, {
            id: conn.id, kind: 'grpc', clusters, addr: conn.clientIp, agent: conn.labels.AppName ?? '', seenAt: n.now(),
            deliver: (_info, json, memo) => void pushInfo(conn, key, notifyBody(key, json, memo), mine),
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
