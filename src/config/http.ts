import { Elysia } from 'elysia'
import { json, paramsOf, text, type Params } from '../shared/http'
import { fail } from '../shared/errors'
import type { ConfigCenter } from './center'
import { isExportQuery, isTransferPost, type ConfigTransferHttp } from './http-transfer'
import { BETA } from './model'
import { publishConfig, toKey } from './publish'
import { getConfig } from './query'
import { removeConfig, removeConfigsById, stopBeta } from './remove'
import { searchConfigs } from './search'
import { betaJson, configInfoJson } from './views'

/** Content-Type per config type, as Nacos ConfigServletInner sets it. */
const contentTypes: Record<string, string> = { json: 'application/json;charset=UTF-8', xml: 'application/xml;charset=UTF-8', html: 'text/html;charset=UTF-8' }

/** Reads the publish fields shared by v1 and v2. */
export function publishFields(p: Params) {
  return {
    dataId: p.get('dataId'), group: p.get('group'), content: p.get('content'), tag: p.get('tag'), appName: p.get('appName'),
    srcUser: p.first('src_user', 'srcUser'), configTags: p.first('config_tags', 'configTags'), desc: p.get('desc'), use: p.get('use'),
    effect: p.get('effect'), type: p.get('type'), schema: p.get('schema'), encryptedDataKey: p.get('encryptedDataKey'),
    betaIps: p.header('betaIps'), casMd5: p.header('casMd5'), srcIp: p.clientIp,
  }
}

function readConfig(cc: ConfigCenter, p: Params): Response {
  const key = { dataId: p.get('dataId'), group: p.get('group'), namespace: p.first('tenant', 'namespaceId'), tag: p.get('tag') }
  if (p.get('show') === 'all') {
    const k = toKey(key.dataId, key.group, key.namespace)
    const rec = cc.cache.formal(k)
    if (!rec) throw fail.notFound('config data not exist')
    return json(configInfoJson(rec))
  }
  // The client IP is only worked out when a gray version has to be matched against it.
  const v = getConfig(cc, key, { get clientIp() { return p.clientIp }, tag: p.header('Vipserver-Tag') ?? undefined })
  let headers = headerCache.get(v.version)
  if (!headers) {
    const h: Record<string, string> = {
      'content-type': contentTypes[v.type] ?? 'text/plain;charset=UTF-8', 'Config-Type': v.type, 'Content-MD5': v.md5,
      'Last-Modified': new Date(v.lastModified).toUTCString(), Pragma: 'no-cache', Expires: 'Thu, 01 Jan 1970 00:00:00 GMT',
      'Cache-Control': 'no-cache,no-store',
    }
    if (v.encryptedDataKey) h['Encrypted-Data-Key'] = v.encryptedDataKey
    if (v.beta) h.isBeta = 'true'
    if (v.tag) h.tag = encodeURIComponent(v.tag)
    // A Headers instance copies into a Response about 3x faster than a plain object.
    headers = new Headers(h)
    headerCache.set(v.version, headers)
  }
  return new Response(v.content, { headers })
}

/** Response headers per stored version (records are replaced, never mutated, so the cache follows them). */
const headerCache = new WeakMap<object, Headers>()

/**
 * The 1.x config OpenAPI at /nacos/v1/cs/configs (Nacos ConfigController). Nacos tells export, import and clone
 * apart from plain reads and publishes by a query flag on the same path, so they are dispatched to `transfer` here.
 */
export function configHttpV1(cc: ConfigCenter, transfer?: ConfigTransferHttp) {
  return new Elysia({ prefix: '/nacos/v1/cs/configs' })
    .get('', async ({ request, body, server }) => {
      const p = paramsOf({ request, body, server })
      const search = p.get('search')
      if (search === 'accurate' || search === 'blur') {
        const page = await searchConfigs(cc, {
          mode: search, namespace: p.first('tenant', 'namespaceId'), dataId: p.get('dataId'), group: p.get('group'), appName: p.get('appName'),
          configTags: p.first('config_tags', 'configTags'), pageNo: p.int('pageNo'), pageSize: p.int('pageSize'),
        })
        return json({ ...page, pageItems: page.pageItems.map(configInfoJson) })
      }
      if (p.bool('beta')) {
        const k = toKey(p.get('dataId'), p.get('group'), p.first('tenant', 'namespaceId'))
        const g = cc.cache.grays(k).find((x) => x.grayName === BETA)
        return json({ code: 200, message: 'query beta ok', data: g ? betaJson(g) : undefined })
      }
      if (transfer && isExportQuery(p)) return transfer.exportZip(p)
      return readConfig(cc, p)
    })
    .post('', async ({ request, body, server }) => {
      const p = paramsOf({ request, body, server })
      if (transfer && isTransferPost(p)) return transfer.post(p, request, body)
      await publishConfig(cc, { ...publishFields(p), namespace: p.first('tenant', 'namespaceId') })
      return text('true')
    })
    .delete('', async ({ request, body, server }) => {
      const p = paramsOf({ request, body, server })
      const actor = { srcUser: p.first('src_user', 'srcUser') ?? '', srcIp: p.clientIp }
      if (p.bool('beta')) {
        await stopBeta(cc, { dataId: p.get('dataId'), group: p.get('group'), namespace: p.first('tenant', 'namespaceId') }, actor)
        return json({ code: 200, message: 'stop beta ok', data: true })
      }
      if (p.get('delType') === 'ids') {
        const ids = p.need('ids').split(',').map((s) => s.trim()).filter(Boolean)
        if (ids.some((s) => !/^\d+$/.test(s))) throw fail.invalid("Parameter 'ids' must be a comma-separated list of numbers")
        const gone = await removeConfigsById(cc, ids.map(Number), actor)
        // Nacos answers true whether or not an id matched; the count is in the message.
        return json({ code: 200, message: `deleted ${gone.length}`, data: true })
      }
      await removeConfig(cc, { dataId: p.get('dataId'), group: p.get('group'), namespace: p.first('tenant', 'namespaceId'), tag: p.get('tag') }, actor)
      return text('true')
    })
}
