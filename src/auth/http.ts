import { Elysia, type AnyElysia } from 'elysia'
import { fail } from '../shared/errors'
import { envelope, json, paramsOf, type Params } from '../shared/http'
import { identify, login, type Auth } from './center'
import { carriersOf } from './guard'
import { grant, listPermissions, revoke } from './permissions'
import { addRole, listRoles, removeRole } from './roles'
import { changePassword, createUser, deleteUser, isAdmin, listUsers } from './users'


// Nacos RestResult; `data` is omitted rather than null (NON_NULL, as every reply here).
const ok = (message: string) => json({ code: 200, message })

async function loginRoute(auth: Auth, p: Params): Promise<Response> {
  const r = await login(auth, p.get('username'), p.get('password'), p.clientIp)
  return Response.json(r, { headers: { Authorization: `Bearer ${r.accessToken}` } })
}

type Ctx = Parameters<typeof paramsOf>[0]
type Op = (p: Params) => Promise<unknown> | unknown

/** Management operations shared by the v1 (RestResult) and v3 (Result envelope) routes. */
// Who may call each operation is decided once, by the guard's rule table (auth/rules.ts: admin-only, or any
// signed-in user for a password change), before the handler runs; the handlers only do the work.
function ops(auth: Auth): Record<string, { v1: string; run: Op }> {
  return {
    listUsers: { v1: '', run: (p) => listUsers(auth.store, { search: p.get('username'), pageNo: p.int('pageNo'), pageSize: p.int('pageSize') }) },
    createUser: { v1: 'create user ok!', run: (p) => createUser(auth.store, p.get('username'), p.get('password')) },
    updateUser: {
      v1: 'update user ok!',
      async run(p) {
        // Anyone may change their own password; changing another user's needs an admin.
        const who = await identify(auth, carriersOf(p))
        const target = p.need('username')
        if (who !== target && !(await isAdmin(auth.store, who))) throw fail.forbidden('authorization failed!')
        await changePassword(auth.store, target, p.get('newPassword'))
      },
    },
    deleteUser: { v1: 'delete user ok!', run: (p) => deleteUser(auth.store, p.get('username')) },
    listRoles: { v1: '', run: (p) => listRoles(auth.store, { role: p.get('role'), username: p.get('username'), pageNo: p.int('pageNo'), pageSize: p.int('pageSize') }) },
    addRole: { v1: 'add role ok!', run: (p) => addRole(auth.store, p.get('role'), p.get('username')) },
    removeRole: { v1: 'delete role of user ok!', run: (p) => removeRole(auth.store, p.get('role'), p.get('username')) },
    listPermissions: { v1: '', run: (p) => listPermissions(auth.store, { role: p.get('role'), pageNo: p.int('pageNo'), pageSize: p.int('pageSize') }) },
    grant: { v1: 'add permission ok!', run: (p) => grant(auth.store, p.get('role'), p.get('resource'), p.get('action')) },
    revoke: { v1: 'delete permission ok!', run: (p) => revoke(auth.store, p.get('role'), p.get('resource'), p.get('action')) },
  }
}

/** Login and user/role/permission management (Nacos UserController, RoleController, PermissionController; v1 and v3). */
export function authHttp(auth: Auth) {
  const o = ops(auth)
  // v1 answers lists bare and changes as RestResult {code:200,message}; v3 wraps everything in the Result envelope.
  const v1 = (name: string) => async (ctx: Ctx) => {
    const p = paramsOf(ctx)
    const op = o[name]
    const data = await op.run(p)
    return op.v1 ? ok(op.v1) : json(data)
  }
  const v3 = (name: string) => async (ctx: Ctx) => {
    const p = paramsOf(ctx)
    const op = o[name]
    const data = await op.run(p)
    return envelope(data ?? true)
  }
  const routes: ['get' | 'post' | 'put' | 'delete', string, string, typeof v1][] = [
    ['get', '/nacos/v1/auth/users', 'listUsers', v1],
    ['post', '/nacos/v1/auth/users', 'createUser', v1],
    ['put', '/nacos/v1/auth/users', 'updateUser', v1],
    ['delete', '/nacos/v1/auth/users', 'deleteUser', v1],
    ['get', '/nacos/v1/auth/roles', 'listRoles', v1],
    ['post', '/nacos/v1/auth/roles', 'addRole', v1],
    ['delete', '/nacos/v1/auth/roles', 'removeRole', v1],
    ['get', '/nacos/v1/auth/permissions', 'listPermissions', v1],
    ['post', '/nacos/v1/auth/permissions', 'grant', v1],
    ['delete', '/nacos/v1/auth/permissions', 'revoke', v1],
    ['get', '/nacos/v3/auth/user/list', 'listUsers', v3],
    ['post', '/nacos/v3/auth/user', 'createUser', v3],
    ['put', '/nacos/v3/auth/user', 'updateUser', v3],
    ['delete', '/nacos/v3/auth/user', 'deleteUser', v3],
    ['get', '/nacos/v3/auth/role/list', 'listRoles', v3],
    ['post', '/nacos/v3/auth/role', 'addRole', v3],
    ['delete', '/nacos/v3/auth/role', 'removeRole', v3],
    ['get', '/nacos/v3/auth/permission/list', 'listPermissions', v3],
    ['post', '/nacos/v3/auth/permission', 'grant', v3],
    ['delete', '/nacos/v3/auth/permission', 'revoke', v3],
  ]
  // Java 3.x logs in at /v3/auth/user/login, Java 2.x, Go and Python at /v1/auth/users/login, Rust at
  // /v1/auth/login with query parameters; some clients use GET (r-nacos #110).
  const logins = ['/nacos/v1/auth/login', '/nacos/v1/auth/users/login', '/nacos/v3/auth/user/login']
  let app: AnyElysia = new Elysia()
  const on = (method: 'get' | 'post' | 'put' | 'delete', path: string, handle: (c: Ctx) => Promise<Response>) => {
    // Destructured so Elysia builds only what is used; cast because its per-route handler types cannot express one
    // handler shared by several methods.
    const h = ({ request, body, server }: Ctx) => handle({ request, body, server })
    if (method === 'get') app = app.get(path, h as never)
    else if (method === 'post') app = app.post(path, h as never)
    else if (method === 'put') app = app.put(path, h as never)
    else app = app.delete(path, h as never)
  }
  for (const path of logins) for (const m of ['post', 'get'] as const) on(m, path, (c) => loginRoute(auth, paramsOf(c)))
  for (const [method, path, name, form] of routes) on(method, path, form(name))
  return app
}
