import { beforeEach, describe, expect, test } from 'bun:test'
import { bootstrapAdmin } from '../../src/auth/center'
import { call, memoryApp } from '../support/memory'

let app: Awaited<ReturnType<typeof memoryApp>>['app']
let admin: string
beforeEach(async () => {
  app = (await memoryApp()).app
  await bootstrapAdmin(app.auth, 'nacos', 'admin-password')
  admin = (await call(app, 'POST', '/nacos/v1/auth/users/login', { username: 'nacos', password: 'admin-password' })).json().accessToken
})
const bearer = (t: string) => ({ headers: { Authorization: `Bearer ${t}` } })

describe('login endpoints', () => {
  test('each path the SDKs use answers accessToken, a numeric tokenTtl, globalAdmin and the Bearer header', async () => {
    const cases: [string, string, 'query' | 'form'][] = [
      ['POST', '/nacos/v1/auth/users/login', 'form'], // Java 2.x, Go, Python
      ['POST', '/nacos/v1/auth/login', 'query'], // Rust: both in the query string
      ['GET', '/nacos/v1/auth/login', 'query'], // r-nacos #110: some clients GET
      ['POST', '/nacos/v3/auth/user/login', 'form'], // Java 3.x
    ]
    for (const [method, path, as] of cases) {
      const r = await call(app, method, path, { username: 'nacos', password: 'admin-password' }, { as })
      expect(r.status).toBe(200)
      const body = r.json()
      expect(typeof body.accessToken).toBe('string')
      expect(body).toMatchObject({ tokenTtl: 18000, globalAdmin: true, username: 'nacos' })
      expect(r.headers.get('Authorization')).toBe(`Bearer ${body.accessToken}`)
    }
  })

  test('wrong credentials are HTTP 403 with Nacos’s plain-text message', async () => {
    const r = await call(app, 'POST', '/nacos/v1/auth/users/login', { username: 'nacos', password: 'nope-nope' })
    expect(r.status).toBe(403)
    expect(r.text).toBe('User not found! Please check user exist or password is right!')
  })
})

describe('user management always needs an admin, auth switch or not', () => {
  test('anonymous user creation is refused (Nacos’s pre-auth hole) and nothing is created', async () => {
    expect(app.auth.enabled).toBe(false)
    const r = await call(app, 'POST', '/nacos/v1/auth/users', { username: 'eve', password: 'eve-password' })
    expect(r.status).toBe(403)
    expect((await call(app, 'POST', '/nacos/v1/auth/users/login', { username: 'eve', password: 'eve-password' })).status).toBe(403)
  })

  test('an admin creates, lists, and deletes a user; a plain user cannot manage others', async () => {
    expect((await call(app, 'POST', '/nacos/v1/auth/users', { username: 'dave', password: 'dave-password' }, bearer(admin))).json()).toEqual({ code: 200, message: 'create user ok!' })
    const list = (await call(app, 'GET', '/nacos/v1/auth/users', { pageNo: '1', pageSize: '10' }, bearer(admin))).json()
    expect(list.pageItems.map((u: any) => u.username)).toEqual(['dave', 'nacos'])
    expect(JSON.stringify(list)).not.toContain('$2')
    const dave = (await call(app, 'POST', '/nacos/v1/auth/users/login', { username: 'dave', password: 'dave-password' })).json().accessToken
    expect((await call(app, 'POST', '/nacos/v1/auth/users', { username: 'x1', password: 'x1-password' }, bearer(dave))).status).toBe(403)
    expect((await call(app, 'PUT', '/nacos/v1/auth/users', { username: 'nacos', newPassword: 'hijacked-pw' }, bearer(dave))).status).toBe(403)
    expect((await call(app, 'PUT', '/nacos/v1/auth/users', { username: 'dave', newPassword: 'dave-new-password' }, bearer(dave))).status).toBe(200)
    expect((await call(app, 'POST', '/nacos/v1/auth/users/login', { username: 'dave', password: 'dave-new-password' })).status).toBe(200)
    expect((await call(app, 'DELETE', '/nacos/v1/auth/users', { username: 'dave' }, bearer(admin))).status).toBe(200)
  })

  test('username and password parameters work as credentials; a User-Agent or identity header does not', async () => {
    const ok = await call(app, 'GET', '/nacos/v1/auth/users', { username: 'nacos', password: 'admin-password' })
    expect(ok.status).toBe(200)
    const ua = await call(app, 'GET', '/nacos/v1/auth/users', {}, { headers: { 'User-Agent': 'Nacos-Server:v2.0.0', serverIdentity: 'security' } })
    expect(ua.status).toBe(403)
  })

  test('roles and permissions: grant, list, revoke', async () => {
    await call(app, 'POST', '/nacos/v1/auth/users', { username: 'rita', password: 'rita-password' }, bearer(admin))
    expect((await call(app, 'POST', '/nacos/v1/auth/roles', { role: 'readers', username: 'rita' }, bearer(admin))).status).toBe(200)
    expect((await call(app, 'POST', '/nacos/v1/auth/permissions', { role: 'readers', resource: 'public:*:config/*', action: 'r' }, bearer(admin))).status).toBe(200)
    expect((await call(app, 'POST', '/nacos/v1/auth/permissions', { role: 'readers', resource: 'public:*:config/*', action: 'x' }, bearer(admin))).status).toBe(400)
    const perms = (await call(app, 'GET', '/nacos/v1/auth/permissions', { role: 'readers' }, bearer(admin))).json()
    expect(perms.pageItems).toEqual([{ role: 'readers', resource: 'public:*:config/*', action: 'r' }])
    expect((await call(app, 'POST', '/nacos/v1/auth/roles', { role: 'ROLE_ADMIN', username: 'rita' }, bearer(admin))).status).toBe(400)
    await call(app, 'DELETE', '/nacos/v1/auth/permissions', { role: 'readers', resource: 'public:*:config/*', action: 'r' }, bearer(admin))
    expect((await call(app, 'GET', '/nacos/v1/auth/permissions', { role: 'readers' }, bearer(admin))).json().totalCount).toBe(0)
  })
})

describe('v3 management forms', () => {
  test('users, roles and permissions over /nacos/v3/auth in the Result envelope; admin only', async () => {
    const auth = { headers: { Authorization: `Bearer ${admin}` } }
    expect((await call(app, 'POST', '/nacos/v3/auth/user', { username: 'vic', password: 'vic-password' }, auth)).json()).toEqual({ code: 0, message: 'success', data: true })
    expect((await call(app, 'POST', '/nacos/v3/auth/user', { username: 'vic2', password: 'vic2-password' })).status).toBe(403)
    expect((await call(app, 'POST', '/nacos/v3/auth/role', { role: 'ops', username: 'vic' }, auth)).json().data).toBe(true)
    expect((await call(app, 'POST', '/nacos/v3/auth/permission', { role: 'ops', resource: 'public:*:naming/*', action: 'rw' }, auth)).json().data).toBe(true)
    const users = (await call(app, 'GET', '/nacos/v3/auth/user/list', { pageNo: '1', pageSize: '10' }, auth)).json().data
    expect(users.pageItems.map((u: any) => u.username)).toEqual(['nacos', 'vic'])
    expect((await call(app, 'GET', '/nacos/v3/auth/role/list', { username: 'vic' }, auth)).json().data.pageItems).toEqual([{ role: 'ops', username: 'vic' }])
    expect((await call(app, 'GET', '/nacos/v3/auth/permission/list', { role: 'ops' }, auth)).json().data.totalCount).toBe(1)
    expect((await call(app, 'DELETE', '/nacos/v3/auth/user', { username: 'vic' }, auth)).json().data).toBe(true)
  })
})
