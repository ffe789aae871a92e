import { Elysia } from 'elysia'
import { envelope, paramsOf } from '../shared/http'
import type { Naming } from './center'
import { instanceOps } from './http-instance'
import { serviceOps } from './http-service'

/** The v2 naming OpenAPI (Nacos InstanceControllerV2, ServiceControllerV2) in the Result envelope. */
export function namingHttpV2(n: Naming) {
  return new Elysia({ prefix: '/nacos/v2/ns' })
    .post('/instance', (ctx) => (instanceOps.register(n, paramsOf(ctx)), envelope('ok')))
    .delete('/instance', (ctx) => (instanceOps.deregister(n, paramsOf(ctx)), envelope('ok')))
    .put('/instance', (ctx) => (instanceOps.update(n, paramsOf(ctx)), envelope('ok')))
    .get('/instance', (ctx) => envelope(instanceOps.detail(n, paramsOf(ctx), true)))
    .get('/instance/list', (ctx) => envelope(instanceOps.list(n, paramsOf(ctx))))
    .put('/instance/beat', (ctx) => envelope(instanceOps.beat(n, paramsOf(ctx))))
    .post('/service', (ctx) => (serviceOps.create(n, paramsOf(ctx)), envelope('ok')))
    .put('/service', (ctx) => (serviceOps.update(n, paramsOf(ctx), false), envelope('ok')))
    .delete('/service', (ctx) => (serviceOps.remove(n, paramsOf(ctx)), envelope('ok')))
    .get('/service', (ctx) => envelope(serviceOps.detail(n, paramsOf(ctx))))
    .get('/service/list', (ctx) => {
      const r = serviceOps.list(n, paramsOf(ctx))
      return envelope({ count: r.count, services: r.names })
    })
}
