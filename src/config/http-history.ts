import { Elysia } from 'elysia'
import { fail } from '../shared/errors'
import { json, paramsOf, type Params } from '../shared/http'
import type { ConfigCenter } from './center'
import { getHistory, listHistory, previousHistory } from './history'
import { configsOfNamespace } from './search'
import { historyJson, wireTenant } from './views'

const keyParams = (p: Params) => ({ dataId: p.get('dataId'), group: p.get('group'), namespace: p.first('tenant', 'namespaceId') })

/** History verbs shared by the v1 and v2 routes; each returns plain data. */
export const historyRoutes = {
  async list(cc: ConfigCenter, p: Params) {
    const page = await listHistory(cc, { ...keyParams(p), pageNo: p.int('pageNo'), pageSize: p.int('pageSize') })
    return { ...page, pageItems: page.pageItems.map(historyJson) }
  },
  async detail(cc: ConfigCenter, p: Params) {
    const nid = p.int('nid')
    if (nid === undefined) throw fail.missing('nid')
    return historyJson(await getHistory(cc, nid, keyParams(p)))
  },
  async previous(cc: ConfigCenter, p: Params) {
    const id = p.int('id')
    if (id === undefined) throw fail.missing('id')
    return historyJson(await previousHistory(cc, id, keyParams(p)))
  },
  async configs(cc: ConfigCenter, p: Params) {
    return (await configsOfNamespace(cc, p.first('tenant', 'namespaceId'))).map((r) => ({ id: String(r.id), dataId: r.dataId, group: r.group, tenant: wireTenant(r.namespace), appName: r.appName, type: r.type }))
  },
}

/** The 1.x history API at /nacos/v1/cs/history (Nacos HistoryController). */
export function historyHttpV1(cc: ConfigCenter) {
  return new Elysia({ prefix: '/nacos/v1/cs/history' })
    .get('', async ({ request, body, server }) => {
      const p = paramsOf({ request, body, server })
      return json(p.get('nid') !== undefined ? await historyRoutes.detail(cc, p) : await historyRoutes.list(cc, p))
    })
    .get('/previous', async ({ request, body, server }) => json(await historyRoutes.previous(cc, paramsOf({ request, body, server }))))
    .get('/configs', async ({ request, body, server }) => json(await historyRoutes.configs(cc, paramsOf({ request, body, server }))))
}
