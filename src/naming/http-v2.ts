import { Elysia } from 'elysia'
import { envelope, paramsOf } from '../shared/http'
import type { Naming } from './center'
import { afterDone, instanceOps } from './http-instance'
import { serviceOps } from './http-service'

/** The v2 naming OpenAPI (Nacos InstanceControllerV2, ServiceControllerV2) in the Result envelope. */
export function namingHttpV2(n: Naming) {
  return new Elysia({ prefix: '/nacos/v2/ns' })
    .post('/instance', ({ request, body, server }) => afterDone(instanceOps.register(n, paramsOf({ request, body, server })), () => envelope('ok')))
    .delete('/instance', async ({ request, body, server }) => (await instanceOps.deregister(n, paramsOf({ request, body, server })), envelope('ok')))
    .put('/instance', async ({ request, body, server }) => (await instanceOps.update(n, paramsOf({ request, body, server })), envelope('ok')))
    .get('/instance', ({ request, body, server }) => envelope(instanceOps.detail(n, paramsOf({ request, body, server }), true)))
    .get('/instance/list', ({ request, body, server }) => envelope(instanceOps.list(n, paramsOf({ request, body, server }))))
    .put('/instance/beat', ({ request, body, server }) => envelope(instanceOps.beat(n, paramsOf({ request, body, server }))))
    .post('/service', async ({ request, body, server }) => (await serviceOps.create(n, paramsOf({ request, body, server })), envelope('ok')))
    .put('/service', async ({ request, body, server }) => (await serviceOps.update(n, paramsOf({ request, body, server }), false), envelope('ok')))
    .delete('/service', async ({ request, body, server }) => (await serviceOps.remove(n, paramsOf({ request, body, server })), envelope('ok')))
    .get('/service', ({ request, body, server }) => envelope(serviceOps.detail(n, paramsOf({ request, body, server }))))
    .get('/service/list', ({ request, body, server }) => {
      const r = serviceOps.list(n, paramsOf({ request, body, server }))
      return envelope({ count: r.count, services: r.names })
    })
}
