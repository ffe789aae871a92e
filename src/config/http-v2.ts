import { Elysia } from 'elysia'
import { envelope, paramsOf } from '../shared/http'
import type { ConfigCenter } from './center'
import { publishFields } from './http'
import { historyRoutes } from './http-history'
import { publishConfig } from './publish'
import { getConfig } from './query'
import { removeConfig } from './remove'

/** The v2 config OpenAPI (Nacos ConfigControllerV2 / HistoryControllerV2), in the Result envelope. */
export function configHttpV2(cc: ConfigCenter) {
  return new Elysia({ prefix: '/nacos/v2/cs' })
    .get('/config', async ({ request, body, server }) => {
      const p = paramsOf({ request, body, server })
      const v = getConfig(cc, { dataId: p.get('dataId'), group: p.get('group'), namespace: p.first('namespaceId', 'tenant'), tag: p.get('tag') }, { clientIp: p.clientIp })
      return envelope(v.content)
    })
    .post('/config', async ({ request, body, server }) => {
      const p = paramsOf({ request, body, server })
      await publishConfig(cc, { ...publishFields(p), namespace: p.first('namespaceId', 'tenant') })
      return envelope(true)
    })
    .delete('/config', async ({ request, body, server }) => {
      const p = paramsOf({ request, body, server })
      await removeConfig(cc, { dataId: p.get('dataId'), group: p.get('group'), namespace: p.first('namespaceId', 'tenant'), tag: p.get('tag') }, { srcUser: p.first('srcUser', 'src_user') ?? '', srcIp: p.clientIp })
      return envelope(true)
    })
    .get('/history', async ({ request, body, server }) => envelope(await historyRoutes.detail(cc, paramsOf({ request, body, server }))))
    .get('/history/list', async ({ request, body, server }) => envelope(await historyRoutes.list(cc, paramsOf({ request, body, server }))))
    .get('/history/previous', async ({ request, body, server }) => envelope(await historyRoutes.previous(cc, paramsOf({ request, body, server }))))
    .get('/history/configs', async ({ request, body, server }) => envelope(await historyRoutes.configs(cc, paramsOf({ request, body, server }))))
}
