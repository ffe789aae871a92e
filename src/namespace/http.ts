import { Elysia } from 'elysia'
import { envelope, json, paramsOf, text } from '../shared/http'
import { normalizeNamespace } from '../shared/namespace'
import type { Db } from '../storage/db'
import { createNamespace, deleteNamespace, getNamespace, listNamespaces, namespaceExists, updateNamespace, type Namespace } from './namespaces'

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
export function namespaceHttp(db: Db, usage: NamespaceUsage) {
  return new Elysia()
    .get('/nacos/v1/console/namespaces', async ({ request, body, server }) => {
      const p = paramsOf({ request, body, server })
      if (p.bool('checkNamespaceIdExist')) return json(namespaceExists(db, p.need('customNamespaceId')))
      if (p.get('show') === 'all') {
        const n = getNamespace(db, p.get('namespaceId'))
        return json({ ...view(n, usage, true), namespace: n.type === 0 ? '' : n.id })
      }
      return json({ code: 200, message: 'success', data: listNamespaces(db).map((n) => view(n, usage, true)) })
    })
    .post('/nacos/v1/console/namespaces', async ({ request, body, server }) => {
      const p = paramsOf({ request, body, server })
      createNamespace(db, { id: p.get('customNamespaceId'), name: p.get('namespaceName'), desc: p.get('namespaceDesc') })
      return text('true')
    })
    .put('/nacos/v1/console/namespaces', async ({ request, body, server }) => {
      const p = paramsOf({ request, body, server })
      updateNamespace(db, { id: p.get('namespace'), name: p.get('namespaceShowName'), desc: p.get('namespaceDesc') })
      return text('true')
    })
    .delete('/nacos/v1/console/namespaces', async ({ request, body, server }) => {
      const p = paramsOf({ request, body, server })
      deleteNamespace(db, p.get('namespaceId'), usage.inUse)
      return text('true')
    })
    .get('/nacos/v2/console/namespace/list', () => envelope(listNamespaces(db).map((n) => view(n, usage, false))))
    .get('/nacos/v2/console/namespace', async ({ request, body, server }) => {
      const p = paramsOf({ request, body, server })
      return envelope(view(getNamespace(db, normalizeNamespace(p.need('namespaceId'))), usage, false))
    })
    .post('/nacos/v2/console/namespace', async ({ request, body, server }) => {
      const p = paramsOf({ request, body, server })
      createNamespace(db, { id: p.first('namespaceId', 'customNamespaceId'), name: p.get('namespaceName'), desc: p.get('namespaceDesc') })
      return envelope(true)
    })
    .put('/nacos/v2/console/namespace', async ({ request, body, server }) => {
      const p = paramsOf({ request, body, server })
      updateNamespace(db, { id: p.first('namespaceId', 'namespace'), name: p.first('namespaceName', 'namespaceShowName'), desc: p.get('namespaceDesc') })
      return envelope(true)
    })
    .delete('/nacos/v2/console/namespace', async ({ request, body, server }) => {
      const p = paramsOf({ request, body, server })
      deleteNamespace(db, p.get('namespaceId'), usage.inUse)
      return envelope(true)
    })
}
