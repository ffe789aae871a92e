import type { HistoryEntry } from './history'
import type { ConfigRecord, GrayRecord } from './model'

/** Nacos's tenant spelling on the 1.x/2.x wire: the default namespace is "". */
export const wireTenant = (ns: string) => (ns === 'public' ? '' : ns)

/** ConfigInfo as Nacos's search pages and `show=all` render it. */
export function configInfoJson(r: ConfigRecord) {
  return {
    id: String(r.id), dataId: r.dataId, group: r.group, content: r.content, md5: r.md5, encryptedDataKey: r.encryptedDataKey,
    tenant: wireTenant(r.namespace), appName: r.appName, type: r.type, desc: r.desc, use: r.use, effect: r.effect, schema: r.schema,
    configTags: r.configTags, createTime: r.createdAt, modifyTime: r.modifiedAt, createUser: r.srcUser, createIp: r.srcIp,
  }
}

/** ConfigInfo4Beta as `GET /v1/cs/configs?beta=true` renders it. */
export function betaJson(g: GrayRecord) {
  return {
    id: String(g.id), dataId: g.dataId, group: g.group, content: g.content, md5: g.md5, tenant: wireTenant(g.namespace), appName: g.appName,
    encryptedDataKey: g.encryptedDataKey, betaIps: g.rule.type === 'beta' ? g.rule.ips.join(',') : '', grayName: g.grayName,
    createTime: g.createdAt, modifyTime: g.modifiedAt,
  }
}

/** ConfigHistoryInfo as the history APIs render it. */
export function historyJson(h: HistoryEntry) {
  return {
    id: String(h.nid), lastId: -1, dataId: h.dataId, group: h.groupId, tenant: wireTenant(h.tenantId), appName: h.appName, md5: h.md5,
    content: h.content, srcIp: h.srcIp, srcUser: h.srcUser, opType: h.opType, publishType: h.publishType, grayName: h.grayName,
    extInfo: h.extInfo, encryptedDataKey: h.encryptedDataKey, createdTime: new Date(h.gmtCreate).toISOString(),
    lastModifiedTime: new Date(h.gmtModified).toISOString(), configId: String(h.id),
  }
}
