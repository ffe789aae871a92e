// Namespace management: /nacos/v1/console/namespaces and /nacos/v2/console/namespace[/list].
import { describe, expect, test } from 'bun:test'
import type { App } from '../../src/app'
import { bootstrapAdmin, login } from '../../src/auth/center'
import { call as rawCall, memoryApp as rawMemoryApp, type CallOptions } from '../support/memory'

// Namespace changes always need an admin (even with auth off), so every call here carries an admin token.
const tokens = new WeakMap<App, string>()
async function memoryApp() {
  const made = await rawMemoryApp()
  await bootstrapAdmin(made.app.auth, 'nacos', 'admin-password')
  tokens.set(made.app, (await login(made.app.auth, 'nacos', 'admin-password', '127.0.0.1')).accessToken)
  return made
}
const call = (app: App, method: string, path: string, params: Record<string, string> = {}, opts: CallOptions = {}) =>
  rawCall(app, method, path, params, { ...opts, headers: { Authorization: `Bearer ${tokens.get(app)}`, ...opts.headers } })

const V1 = '/nacos/v1/console/namespaces'
const V2 = '/nacos/v2/console/namespace'

async function v1List(app: App) {
  const r = await call(app, 'GET', V1)
  expect(r.status).toBe(200)
  const body = r.json()
  expect([body.code, body.message]).toEqual([200, 'success'])
  return body.data as { namespace: string; namespaceShowName: string; namespaceDesc: string; quota: number; configCount: number; type: number }[]
}

async function create(app: App, id: string, name = `name-${id}`, desc = '') {
  const r = await call(app, 'POST', V1, { customNamespaceId: id, namespaceName: name, namespaceDesc: desc })
  expect([r.status, r.text]).toEqual([200, 'true'])
}

describe('v1', () => {
  test('a fresh server lists only the default namespace, as "" with showName public, quota 200, type 0', async () => {
    const { app } = await memoryApp()
    expect(await v1List(app)).toEqual([{ namespace: '', namespaceShowName: 'public', namespaceDesc: 'Public Namespace', quota: 200, configCount: 0, type: 0 }])
  })

  test('created namespaces follow the default one, in creation order, with config counts', async () => {
    const { app } = await memoryApp()
    await create(app, 'zeta', 'Zeta', 'last letter')
    await create(app, 'alpha', 'Alpha')
    await call(app, 'POST', '/nacos/v1/cs/configs', { dataId: 'd1', group: 'G', content: 'x', tenant: 'alpha' })
    await call(app, 'POST', '/nacos/v1/cs/configs', { dataId: 'd2', group: 'G', content: 'x', tenant: 'alpha' })
    await call(app, 'POST', '/nacos/v1/cs/configs', { dataId: 'd3', group: 'G', content: 'x' })
    const list = await v1List(app)
    expect(list.map((n) => [n.namespace, n.namespaceShowName, n.configCount, n.type])).toEqual([['', 'public', 1, 0], ['zeta', 'Zeta', 0, 2], ['alpha', 'Alpha', 2, 2]])
    expect(list[1]).toMatchObject({ namespaceDesc: 'last letter', quota: 200 })
  })

  test('a blank customNamespaceId gets a generated UUID', async () => {
    const { app } = await memoryApp()
    await create(app, '', 'Generated')
    const made = (await v1List(app))[1]
    expect(made.namespace).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/)
    expect(made.namespaceShowName).toBe('Generated')
  })

  test('creating a duplicate id is a conflict and changes nothing', async () => {
    const { app } = await memoryApp()
    await create(app, 'dev', 'Dev')
    const r = await call(app, 'POST', V1, { customNamespaceId: 'dev', namespaceName: 'Other' })
    expect(r.status).toBe(409)
    expect(r.text).toContain('dev')
    expect((await v1List(app)).map((n) => n.namespaceShowName)).toEqual(['public', 'Dev'])
  })

  test('the default namespace cannot be created, edited or deleted', async () => {
    const { app } = await memoryApp()
    expect((await call(app, 'POST', V1, { customNamespaceId: 'public', namespaceName: 'x' })).status).toBe(409)
    expect((await call(app, 'PUT', V1, { namespace: 'public', namespaceShowName: 'x' })).status).toBe(400)
    expect((await call(app, 'DELETE', V1, { namespaceId: 'public' })).status).toBe(400)
    expect((await v1List(app)).length).toBe(1)
  })

  test('invalid ids and names are 400', async () => {
    const { app } = await memoryApp()
    expect((await call(app, 'POST', V1, { customNamespaceId: 'bad id!', namespaceName: 'x' })).status).toBe(400)
    expect((await call(app, 'POST', V1, { customNamespaceId: 'ok', namespaceName: '' })).status).toBe(400)
    expect((await call(app, 'POST', V1, { customNamespaceId: 'ok', namespaceName: 'a@b' })).status).toBe(400)
    expect((await v1List(app)).length).toBe(1)
  })

  test('PUT renames and re-describes; an unknown namespace is 404', async () => {
    const { app } = await memoryApp()
    await create(app, 'dev', 'Dev', 'old')
    const r = await call(app, 'PUT', V1, { namespace: 'dev', namespaceShowName: 'Development', namespaceDesc: 'new' })
    expect([r.status, r.text]).toEqual([200, 'true'])
    expect((await v1List(app))[1]).toMatchObject({ namespace: 'dev', namespaceShowName: 'Development', namespaceDesc: 'new' })
    expect((await call(app, 'PUT', V1, { namespace: 'nope', namespaceShowName: 'x' })).status).toBe(404)
  })

  test('DELETE is refused while the namespace holds configs, and works once it is empty', async () => {
    const { app } = await memoryApp()
    await create(app, 'dev')
    await call(app, 'POST', '/nacos/v1/cs/configs', { dataId: 'd', group: 'G', content: 'x', tenant: 'dev' })
    const refused = await call(app, 'DELETE', V1, { namespaceId: 'dev' })
    expect(refused.status).toBe(409)
    expect((await v1List(app)).map((n) => n.namespace)).toEqual(['', 'dev'])
    await call(app, 'DELETE', '/nacos/v1/cs/configs', { dataId: 'd', group: 'G', tenant: 'dev' })
    const ok = await call(app, 'DELETE', V1, { namespaceId: 'dev' })
    expect([ok.status, ok.text]).toEqual([200, 'true'])
    expect((await v1List(app)).map((n) => n.namespace)).toEqual([''])
    expect((await call(app, 'DELETE', V1, { namespaceId: 'dev' })).status).toBe(404)
  })

  test('show=all answers one namespace; checkNamespaceIdExist answers a boolean', async () => {
    const { app } = await memoryApp()
    await create(app, 'dev', 'Dev', 'desc')
    expect((await call(app, 'GET', V1, { show: 'all', namespaceId: 'dev' })).json()).toEqual({ namespace: 'dev', namespaceShowName: 'Dev', namespaceDesc: 'desc', quota: 200, configCount: 0, type: 2 })
    expect((await call(app, 'GET', V1, { show: 'all', namespaceId: '' })).json()).toMatchObject({ namespace: '', namespaceShowName: 'public', type: 0 })
    expect((await call(app, 'GET', V1, { show: 'all', namespaceId: 'nope' })).status).toBe(404)
    expect((await call(app, 'GET', V1, { checkNamespaceIdExist: 'true', customNamespaceId: 'dev' })).json()).toBe(true)
    expect((await call(app, 'GET', V1, { checkNamespaceIdExist: 'true', customNamespaceId: 'prod' })).json()).toBe(false)
  })
})

describe('v2', () => {
  test('create, get, list, update and delete answer the envelope', async () => {
    const { app } = await memoryApp()
    const c = await call(app, 'POST', V2, { namespaceId: 'qa', namespaceName: 'QA', namespaceDesc: 'tests' })
    expect([c.status, c.json()]).toEqual([200, { code: 0, message: 'success', data: true }])
    const g = await call(app, 'GET', V2, { namespaceId: 'qa' })
    expect(g.json()).toEqual({ code: 0, message: 'success', data: { namespace: 'qa', namespaceShowName: 'QA', namespaceDesc: 'tests', quota: 200, configCount: 0, type: 2 } })
    const list = (await call(app, 'GET', `${V2}/list`)).json()
    expect(list.code).toBe(0)
    expect(list.data.map((n: any) => [n.namespaceShowName, n.type])).toEqual([['public', 0], ['QA', 2]])
    expect((await call(app, 'PUT', V2, { namespaceId: 'qa', namespaceName: 'Quality', namespaceDesc: 'd' })).json().data).toBe(true)
    expect((await call(app, 'GET', V2, { namespaceId: 'qa' })).json().data.namespaceShowName).toBe('Quality')
    expect((await call(app, 'DELETE', V2, { namespaceId: 'qa' })).json()).toEqual({ code: 0, message: 'success', data: true })
    expect((await call(app, 'GET', `${V2}/list`)).json().data.length).toBe(1)
  })

  test('errors keep an HTTP status and an envelope with a non-zero code', async () => {
    const { app } = await memoryApp()
    await call(app, 'POST', V2, { namespaceId: 'qa', namespaceName: 'QA' })
    const dup = await call(app, 'POST', V2, { namespaceId: 'qa', namespaceName: 'QA' })
    expect(dup.status).toBe(409)
    expect(dup.json().code).toBe(20005)
    const missing = await call(app, 'GET', V2, { namespaceId: 'nope' })
    expect([missing.status, missing.json().code]).toEqual([404, 20004])
    const noId = await call(app, 'GET', V2, {})
    expect(noId.status).toBe(400)
  })

  test('delete is refused while the namespace holds configs', async () => {
    const { app } = await memoryApp()
    await call(app, 'POST', V2, { namespaceId: 'qa', namespaceName: 'QA' })
    await call(app, 'POST', '/nacos/v2/cs/config', { dataId: 'd', group: 'G', content: 'x', namespaceId: 'qa' })
    expect((await call(app, 'GET', V2, { namespaceId: 'qa' })).json().data.configCount).toBe(1)
    const r = await call(app, 'DELETE', V2, { namespaceId: 'qa' })
    expect([r.status, r.json().code]).toEqual([409, 20005])
    expect((await call(app, 'GET', V2, { namespaceId: 'qa' })).status).toBe(200)
  })
})

describe('namespace changes need an admin, whatever the auth switch', () => {
  test('anonymous and non-admin creates are refused with 403 and change nothing', async () => {
    const { app } = await memoryApp()
    expect((await rawCall(app, 'POST', V1, { customNamespaceId: 'anon', namespaceName: 'anon' })).status).toBe(403)
    expect((await rawCall(app, 'POST', V2, { namespaceId: 'anon2', namespaceName: 'anon2' })).json().code).toBe(10001)
    expect((await v1List(app)).map((n) => n.namespace)).toEqual([''])
  })
})
