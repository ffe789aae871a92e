import { Elysia } from 'elysia'
import { envelope, json, paramsOf, text } from '../shared/http'
import { normalizeNamespace } from '../shared/namespace'
import { createNamespace, deleteNamespace, getNamespace, listNamespaces, namespaceExists, updateNamespace, type Namespace } from './namespaces'
import type { NamespaceStore } from './store'

/** How many things a namespace holds (configs, and services once naming lands), for counts and delete checks. */
export type NamespaceUsage = { configCount(ns: string): number; inUse(ns: string): number }

/** Nacos 2.x renders the default namespace's id as "" on the v1 console API; v2 says "public". */
function view(n: Namespace, usage: NamespaceUsage, v1: boolean) {
  return {
    namespace: v1 && n.type === 0 ? '' : n.id, namespaceShowName: n.name, namespaceDesc: n.desc, quota: 200,
    configCount: usage.configCount(n.id), type: n.type,
  }
}

/** Namespace management: /nacos/v1/console/namespaces and /nacos/v2/console/namespace (Nacos NamespaceController). */
export function namespaceHttp(store: NamespaceStore, usage: NamespaceUsage) {
  return new Elysia()
    .get('/nacos/v1/console/namespaces', async ({ request, body, server }) => {
      const p = paramsOf({ request, body, server })
      if (p.bool('checkNamespaceIdExist')) return json(await namespaceExists(store, p.need('customNamespaceId')))
      if (p.get('show') === 'all') {
        const n = await getNamespace(store, p.get('namespaceId'))
        return json({ ...view(n, usage, true), namespace: n.type === 0 ? '' : n.id })
      }
      return json({ code: 200, message: 'success', data: (await listNamespaces(store)).map((n) => view(n, usage, true)) })
    })
    .post('/nacos/v1/console/namespaces', async ({ request, body, server }) => {
      const p = paramsOf({ request, body, server })
      await createNamespace(store, { id: p.get('customNamespaceId'), name: p.get('namespaceName'), desc: p.get('namespaceDesc') })
      return text('true')
    })
    .put('/nacos/v1/console/namespaces', async ({ request, body, server }) => {
      const p = paramsOf({ request, body, server })
      await updateNamespace(store, { id: p.get('namespace'), name: p.get('namespaceShowName'), desc: p.get('namespaceDesc') })
      return text('true')
    })
    .delete('/nacos/v1/console/namespaces', async ({ request, body, server }) => {
      const p = paramsOf({ request, body, server })
      await deleteNamespace(store, p.get('namespaceId'), usage.inUse)
      return text('true')
    })
    .get('/nacos/v2/console/namespace/list', async () => envelope((await listNamespaces(store)).map((n) => view(n, usage, false))))
    .get('/nacos/v2/console/namespace', async ({ request, body, server }) => {
      const p = paramsOf({ request, body, server })
      return envelope(view(await getNamespace(store, normalizeNamespace(p.need('namespaceId'))), usage, false))
    })
    .post('/nacos/v2/console/namespace', async ({ request, body, server }) => {
      const p = paramsOf({ request, body, server })
      await createNamespace(store, { id: p.first('namespaceId', 'customNamespaceId'), name: p.get('namespaceName'), desc: p.get('namespaceDesc') })
      return envelope(true)
    })
    .put('/nacos/v2/console/namespace', async ({ request, body, server }) => {
      const p = paramsOf({ request, body, server })
      await updateNamespace(store, { id: p.first('namespaceId', 'namespace'), name: p.first('namespaceName', 'namespaceShowName'), desc: p.get('namespaceDesc') })
      return envelope(true)
    })
    .delete('/nacos/v2/console/namespace', async ({ request, body, server }) => {
      const p = paramsOf({ request, body, server })
      await deleteNamespace(store, p.get('namespaceId'), usage.inUse)
      return envelope(true)
    })
}
