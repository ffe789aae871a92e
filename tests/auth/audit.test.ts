import { expect, test } from 'bun:test'
import { purgeAudit, queryAudit, recordAudit } from '../../src/audit/audit'
import { bootstrapAdmin, login } from '../../src/auth/center'
import { auditStore } from '../../src/audit/store'
import { call, memoryApp } from '../support/memory'

test('config, namespace and user writes are recorded with who, from where, what; secrets and long content are not', async () => {
  const { app, storage } = await memoryApp({ configMaxContentBytes: 100_000 })
  await bootstrapAdmin(app.auth, 'nacos', 'admin-password')
  const token = (await login(app.auth, 'nacos', 'admin-password', '1.1.1.1')).accessToken
  const auth = { headers: { Authorization: `Bearer ${token}`, 'X-Forwarded-For': '203.0.113.7' } }
  await call(app, 'POST', '/nacos/v1/cs/configs', { dataId: 'app.yaml', group: 'G', content: 'x'.repeat(3000) }, { headers: { 'X-Forwarded-For': '203.0.113.9' } })
  await call(app, 'POST', '/nacos/v1/console/namespaces', { customNamespaceId: 'dev', namespaceName: 'Dev' }, auth)
  await call(app, 'POST', '/nacos/v1/auth/users', { username: 'erin', password: 'erin-password' }, auth)
  await call(app, 'POST', '/nacos/v1/auth/users', { username: 'erin', password: 'again-password' }, auth) // a conflict: not recorded
  await call(app, 'POST', '/nacos/v1/ns/instance', { serviceName: 's', ip: '10.0.0.1', port: '1' }) // SDK keep-alive traffic: not recorded

  const page = await queryAudit(auditStore(storage), {})
  expect(page.pageItems.map((e) => [e.action, e.actor, e.ip])).toEqual([
    ['user.create', 'nacos', '203.0.113.7'],
    ['namespace.create', 'nacos', '203.0.113.7'],
    ['config.publish', '', '203.0.113.9'],
  ])
  const [user, , config] = page.pageItems
  expect(JSON.stringify(user.detail)).not.toContain('erin-password')
  expect(config.detail.content).toEndWith('… (3000 characters)')
  expect(config.resource).toBe('G:app.yaml')
})

test('the audit API is admin-only and filters by actor and action', async () => {
  const { app } = await memoryApp()
  await bootstrapAdmin(app.auth, 'nacos', 'admin-password')
  const token = (await login(app.auth, 'nacos', 'admin-password', '1.1.1.1')).accessToken
  await call(app, 'POST', '/nacos/v1/console/namespaces', { customNamespaceId: 'qa', namespaceName: 'QA', accessToken: token })
  expect((await call(app, 'GET', '/nacos/v1/console/audit')).status).toBe(403)
  const r = (await call(app, 'GET', '/nacos/v1/console/audit', { action: 'namespace.create', actor: 'nacos', accessToken: token })).json()
  expect(r.data.totalCount).toBe(1)
  expect(r.data.pageItems[0]).toMatchObject({ action: 'namespace.create', actor: 'nacos', detail: { customNamespaceId: 'qa', namespaceName: 'QA' } })
})

test('entries older than the retention are purged; 0 keeps everything', async () => {
  const store = auditStore((await memoryApp()).storage)
  const day = 86_400_000
  recordAudit(store, { at: 0, actor: 'a', ip: '', action: 'x', resource: '', detail: {} })
  recordAudit(store, { at: 10 * day, actor: 'b', ip: '', action: 'x', resource: '', detail: {} })
  expect(await purgeAudit(store, 0, 11 * day)).toBe(0)
  expect(await purgeAudit(store, 5, 11 * day)).toBe(1)
  expect((await queryAudit(store, {})).pageItems.map((e) => e.actor)).toEqual(['b'])
})
