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
    .get('/config', async (ctx) => {
      const p = paramsOf(ctx)
      const v = getConfig(cc, { dataId: p.get('dataId'), group: p.get('group'), namespace: p.first('namespaceId', 'tenant'), tag: p.get('tag') }, { clientIp: p.clientIp })
      return envelope(v.content)
    })
    .post('/config', async (ctx) => {
      const p = paramsOf(ctx)
      publishConfig(cc, { ...publishFields(p), namespace: p.first('namespaceId', 'tenant') })
      return envelope(true)
    })
    .delete('/config', async (ctx) => {
      const p = paramsOf(ctx)
      removeConfig(cc, { dataId: p.get('dataId'), group: p.get('group'), namespace: p.first('namespaceId', 'tenant'), tag: p.get('tag') }, { srcUser: p.first('srcUser', 'src_user') ?? '', srcIp: p.clientIp })
      return envelope(true)
    })
    .get('/history', async (ctx) => envelope(historyRoutes.detail(cc, paramsOf(ctx))))
    .get('/history/list', async (ctx) => envelope(historyRoutes.list(cc, paramsOf(ctx))))
    .get('/history/previous', async (ctx) => envelope(historyRoutes.previous(cc, paramsOf(ctx))))
    .get('/history/configs', async (ctx) => envelope(historyRoutes.configs(cc, paramsOf(ctx))))
}
