import { log } from '../shared/log'
import { str, type RpcConnection, type RpcHandlers, type RpcRequest } from '../shared/rpc'
import type { ConfigCenter } from './center'
import { isStale, ListenSet, type ListenItem } from './listen'
import type { ClientLabels } from './model'
import { publishConfig } from './publish'
import { getConfig } from './query'
import { removeConfig } from './remove'

/** Gray labels of a gRPC client: its setup IP, and a tag from `Vipserver-Tag` or the 3.x gray label. */
function labelsOf(req: RpcRequest): ClientLabels {
  return { clientIp: req.connection.clientIp, tag: req.headers['Vipserver-Tag'] || req.connection.labels['app_nacos.config.gray.label'] || undefined }
}

/** Pushes ConfigChangeNotifyRequest, retrying a few times like Nacos's RpcPushService (3 s timeout, 2 s × n backoff). */
async function notifyChange(conn: RpcConnection, item: ListenItem) {
  for (let attempt = 1; attempt <= 3 && conn.open; attempt++) {
    try {
      await conn.push('ConfigChangeNotifyRequest', { module: 'config', dataId: item.dataId, group: item.group, tenant: item.tenant })
      return
    } catch {
      // Go sends no ack for keys it no longer caches; a bounded retry keeps that cheap.
      if (conn.open) await Bun.sleep(2000 * attempt)
    }
  }
  log.debug('config push not acknowledged', { connectionId: conn.id, dataId: item.dataId, group: item.group })
}

/** The config center's gRPC handlers (Nacos config/remote/*RequestHandler). */
export function configRpcHandlers(cc: ConfigCenter): RpcHandlers {
  const sets = new WeakMap<RpcConnection, ListenSet>()
  const listenSetOf = (conn: RpcConnection) => {
    let s = sets.get(conn)
    if (!s) {
      const set = new ListenSet(cc, conn.clientIp, (item) => void notifyChange(conn, item))
      sets.set(conn, set)
      conn.onClose(() => set.clear())
      s = set
    }
    return s
  }

  return {
    ConfigQueryRequest: {
      responseType: 'ConfigQueryResponse',
      // Rust's ConfigQueryResponse requires lastModified and beta even when the config does not exist.
      failureDefaults: { lastModified: 0, beta: false },
      handle(req) {
        const v = getConfig(cc, { dataId: str(req.body, 'dataId'), group: str(req.body, 'group'), namespace: str(req.body, 'tenant'), tag: str(req.body, 'tag') }, labelsOf(req))
        const out: Record<string, unknown> = { content: v.content, md5: v.md5, contentType: v.type, lastModified: v.lastModified, beta: v.beta, encryptedDataKey: v.encryptedDataKey }
        // Go and Python declare `tag` as a bool: emit it only when a tag version matched, as Java does.
        if (v.tag !== undefined) out.tag = v.tag
        return out
      },
    },
    ConfigPublishRequest: {
      responseType: 'ConfigPublishResponse',
      async handle(req) {
        const add = (req.body.additionMap && typeof req.body.additionMap === 'object' ? req.body.additionMap : {}) as Record<string, unknown>
        await publishConfig(cc, {
          dataId: str(req.body, 'dataId'), group: str(req.body, 'group'), namespace: str(req.body, 'tenant'), content: str(req.body, 'content'),
          casMd5: str(req.body, 'casMd5'), tag: str(add, 'tag'), betaIps: str(add, 'betaIps'), appName: str(add, 'appName'), type: str(add, 'type'),
          desc: str(add, 'desc'), use: str(add, 'use'), effect: str(add, 'effect'), schema: str(add, 'schema'), configTags: str(add, 'config_tags'),
          encryptedDataKey: str(add, 'encryptedDataKey'), srcUser: str(add, 'src_user'), srcIp: req.connection.clientIp,
        })
        return {}
      },
    },
    ConfigRemoveRequest: {
      responseType: 'ConfigRemoveResponse',
      async handle(req) {
        await removeConfig(cc, { dataId: str(req.body, 'dataId'), group: str(req.body, 'group'), namespace: str(req.body, 'tenant'), tag: str(req.body, 'tag') }, { srcUser: '', srcIp: req.connection.clientIp })
        return {}
      },
    },
    ConfigBatchListenRequest: {
      responseType: 'ConfigChangeBatchListenResponse',
      handle(req) {
        const listen = req.body.listen !== false
        const contexts = Array.isArray(req.body.configListenContexts) ? req.body.configListenContexts : []
        const set = listenSetOf(req.connection)
        const labels = labelsOf(req)
        const changedConfigs: { dataId: string; group: string; tenant: string }[] = []
        for (const raw of contexts) {
          if (!raw || typeof raw !== 'object') continue
          const c = raw as Record<string, unknown>
          const dataId = str(c, 'dataId')
          const group = str(c, 'group')
          if (!dataId || !group) continue
          // Some Java and C# clients send md5 null; it means "nothing cached" (r-nacos #284).
          const item: ListenItem = { dataId, group, tenant: str(c, 'tenant') ?? '', md5: str(c, 'md5') ?? '' }
          if (!listen) {
            set.unlisten(item)
            continue
          }
          set.listen(item)
          if (isStale(cc, item, labels)) changedConfigs.push({ dataId, group, tenant: item.tenant })
        }
        return { changedConfigs }
      },
    },
  }
}
