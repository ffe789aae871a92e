import { Elysia } from 'elysia'
import { fail } from '../shared/errors'
import { envelope, json, paramsOf, type Params } from '../shared/http'
import { identify, login, type Auth } from './center'
import { carriersOf } from './guard'
import { grant, listPermissions, revoke } from './permissions'
import { addRole, listRoles, removeRole } from './roles'
import { changePassword, createUser, deleteUser, isAdmin, listUsers } from './users'

/** The calling user, who must hold ROLE_ADMIN: user, role and permission management always requires it. */
async function requireAdmin(auth: Auth, p: Params): Promise<string> {
  const who = await identify(auth, carriersOf(p))
  if (!isAdmin(auth.db, who)) throw fail.forbidden('authorization failed!')
  return who
}

// Nacos RestResult; `data` is omitted rather than null (NON_NULL, as every reply here).
const ok = (message: string) => json({ code: 200, message })

async function loginRoute(auth: Auth, p: Params): Promise<Response> {
  const r = await login(auth, p.get('username'), p.get('password'), p.clientIp)
  return Response.json(r, { headers: { Authorization: `Bearer ${r.accessToken}` } })
}

/** Login and user/role/permission management (Nacos UserController, RoleController, PermissionController; v1 and v3). */
export function authHttp(auth: Auth) {
  return new Elysia()
    .post('/nacos/v1/auth/login', ({ request, body, server }) => loginRoute(auth, paramsOf({ request, body, server })))
    .get('/nacos/v1/auth/login', ({ request, body, server }) => loginRoute(auth, paramsOf({ request, body, server })))
    .post('/nacos/v1/auth/users/login', ({ request, body, server }) => loginRoute(auth, paramsOf({ request, body, server })))
    .get('/nacos/v1/auth/users/login', ({ request, body, server }) => loginRoute(auth, paramsOf({ request, body, server })))
    .post('/nacos/v3/auth/user/login', ({ request, body, server }) => loginRoute(auth, paramsOf({ request, body, server })))
    .get('/nacos/v1/auth/users', async ({ request, body, server }) => {
      const p = paramsOf({ request, body, server })
      await requireAdmin(auth, p)
      return json(listUsers(auth.db, { search: p.get('username'), pageNo: p.int('pageNo'), pageSize: p.int('pageSize') }))
    })
    .post('/nacos/v1/auth/users', async ({ request, body, server }) => {
      const p = paramsOf({ request, body, server })
      await requireAdmin(auth, p)
      await createUser(auth.db, p.get('username'), p.get('password'))
      return ok('create user ok!')
    })
    .put('/nacos/v1/auth/users', async ({ request, body, server }) => {
      const p = paramsOf({ request, body, server })
      // Anyone may change their own password; changing another user's needs an admin.
      const who = await identify(auth, carriersOf(p))
      const target = p.need('username')
      if (who !== target && !isAdmin(auth.db, who)) throw fail.forbidden('authorization failed!')
      await changePassword(auth.db, target, p.get('newPassword'))
      return ok('update user ok!')
    })
    .delete('/nacos/v1/auth/users', async ({ request, body, server }) => {
      const p = paramsOf({ request, body, server })
      await requireAdmin(auth, p)
      deleteUser(auth.db, p.get('username'))
      return ok('delete user ok!')
    })
    .get('/nacos/v1/auth/roles', async ({ request, body, server }) => {
      const p = paramsOf({ request, body, server })
      await requireAdmin(auth, p)
      return json(listRoles(auth.db, { role: p.get('role'), username: p.get('username'), pageNo: p.int('pageNo'), pageSize: p.int('pageSize') }))
    })
    .post('/nacos/v1/auth/roles', async ({ request, body, server }) => {
      const p = paramsOf({ request, body, server })
      await requireAdmin(auth, p)
      addRole(auth.db, p.get('role'), p.get('username'))
      return ok('add role ok!')
    })
    .delete('/nacos/v1/auth/roles', async ({ request, body, server }) => {
      const p = paramsOf({ request, body, server })
      await requireAdmin(auth, p)
      removeRole(auth.db, p.get('role'), p.get('username'))
      return ok('delete role of user ok!')
    })
    .get('/nacos/v1/auth/permissions', async ({ request, body, server }) => {
      const p = paramsOf({ request, body, server })
      await requireAdmin(auth, p)
      return json(listPermissions(auth.db, { role: p.get('role'), pageNo: p.int('pageNo'), pageSize: p.int('pageSize') }))
    })
    .post('/nacos/v1/auth/permissions', async ({ request, body, server }) => {
      const p = paramsOf({ request, body, server })
      await requireAdmin(auth, p)
      grant(auth.db, p.get('role'), p.get('resource'), p.get('action'))
      return ok('add permission ok!')
    })
    .delete('/nacos/v1/auth/permissions', async ({ request, body, server }) => {
      const p = paramsOf({ request, body, server })
      await requireAdmin(auth, p)
      revoke(auth.db, p.get('role'), p.get('resource'), p.get('action'))
      return ok('delete permission ok!')
    })
    .get('/nacos/v3/auth/user/list', async ({ request, body, server }) => {
      const p = paramsOf({ request, body, server })
      await requireAdmin(auth, p)
      return envelope(listUsers(auth.db, { search: p.get('username'), pageNo: p.int('pageNo'), pageSize: p.int('pageSize') }))
    })
}
