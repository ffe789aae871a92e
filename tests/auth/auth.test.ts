import { describe, expect, test } from 'bun:test'
import { bootstrapAdmin, createAuth, identify, login } from '../../src/auth/center'
import { grant, isAllowed } from '../../src/auth/permissions'
import { addRole } from '../../src/auth/roles'
import { createUser, deleteUser, isAdmin } from '../../src/auth/users'
import { authStore } from '../../src/auth/store'
import { openStorage } from '../../src/storage/db'
import { SignJWT } from 'jose'

const KEY = new Uint8Array(32).fill(7)
function setup(now = () => Date.now()) {
  const storage = openStorage({ dataDir: ':memory:' })
  const auth = createAuth(authStore(storage), { enabled: true, tokenKey: KEY, tokenTtlSeconds: 60, lockFailures: 3, lockMs: 60_000, now })
  return { auth, db: storage.db, store: auth.store }
}
const denied = async (p: Promise<unknown>) => {
  try {
    await p
  } catch (e) {
    return { kind: (e as any).kind, message: (e as Error).message }
  }
  throw new Error('expected a refusal')
}

describe('bootstrap and login', () => {
  test('the first start creates the admin with the given password; login returns a token and a numeric tokenTtl', async () => {
    const { auth } = setup()
    await bootstrapAdmin(auth, 'nacos', 'a-long-password')
    expect(await isAdmin(auth.store, 'nacos')).toBe(true)
    const r = await login(auth, 'nacos', 'a-long-password', '127.0.0.1')
    expect(r).toMatchObject({ tokenTtl: 60, globalAdmin: true, username: 'nacos' })
    expect(await identify(auth, { token: r.accessToken, ip: '127.0.0.1' })).toBe('nacos')
  })

  test('without a configured password the admin gets a random one, never a default', async () => {
    const { auth } = setup()
    await bootstrapAdmin(auth)
    expect((await denied(login(auth, 'nacos', 'nacos', '1.1.1.1'))).kind).toBe('forbidden')
  })

  test('wrong credentials give Nacos’s message; an unknown user looks the same', async () => {
    const { auth } = setup()
    await bootstrapAdmin(auth, 'nacos', 'a-long-password')
    const msg = 'User not found! Please check user exist or password is right!'
    expect((await denied(login(auth, 'nacos', 'wrong-password', '1.1.1.2'))).message).toBe(msg)
    expect((await denied(login(auth, 'ghost', 'whatever-pw', '1.1.1.2'))).message).toBe(msg)
  })

  test('repeated failures lock the user even for the right password, until the lock expires', async () => {
    let t = 1_000_000
    const { auth } = setup(() => t)
    await bootstrapAdmin(auth, 'nacos', 'a-long-password')
    for (let i = 0; i < 3; i++) await denied(login(auth, 'nacos', 'bad-password', `9.9.9.${i}`))
    expect((await denied(login(auth, 'nacos', 'a-long-password', '8.8.8.8'))).message).toContain('too many failed logins')
    t += 60_001
    expect((await login(auth, 'nacos', 'a-long-password', '8.8.8.8')).username).toBe('nacos')
  })

  test('one source IP failing for many users is locked too', async () => {
    const { auth } = setup()
    await createUser(auth.store, 'alice', 'alice-password')
    for (const u of ['u1', 'u2', 'u3']) await denied(login(auth, u, 'x-password', '6.6.6.6'))
    expect((await denied(login(auth, 'alice', 'alice-password', '6.6.6.6'))).message).toContain('too many failed logins')
    expect((await login(auth, 'alice', 'alice-password', '6.6.6.7')).username).toBe('alice')
  })
})

describe('passwords', () => {
  test('a bcrypt hash from a Java Nacos users table verifies as it is', async () => {
    const { auth, db } = setup()
    const { users } = await import('../../src/auth/auth.sql')
    // Java Nacos's schema row for nacos/nacos (Spring BCryptPasswordEncoder, $2a$10$).
    db.insert(users).values({ username: 'migrated', password: '$2a$10$EuWPZHzz32dJN7jexM34MOeYirDdFAZm2kuWj7VEOJhhZkDrxfvUu', enabled: true }).run()
    expect((await login(auth, 'migrated', 'nacos', '1.1.1.9')).username).toBe('migrated')
  })
})

describe('tokens', () => {
  test('expired, forged, alg:none and deleted-user tokens are refused', async () => {
    let t = Date.now()
    const { auth } = setup(() => t)
    await createUser(auth.store, 'bob', 'bob-password')
    const good = (await login(auth, 'bob', 'bob-password', '1.2.3.4')).accessToken
    const forged = await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject('nacos').setExpirationTime(Math.floor(t / 1000) + 60).sign(new Uint8Array(32).fill(1))
    const none = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(JSON.stringify({ sub: 'nacos', exp: Math.floor(t / 1000) + 60 })).toString('base64url')}.`
    expect((await denied(identify(auth, { token: forged, ip: '' }))).message).toBe('token invalid!')
    expect((await denied(identify(auth, { token: none, ip: '' }))).message).toBe('token invalid!')
    expect(await identify(auth, { token: good, ip: '' })).toBe('bob')
    t += 61_000
    expect((await denied(identify(auth, { token: good, ip: '' }))).message).toBe('token expired!')
    t -= 61_000
    await createUser(auth.store, 'admin2', 'admin2-password')
    await deleteUser(auth.store, 'bob')
    expect((await denied(identify(auth, { token: good, ip: '' }))).message).toBe('user not found!')
  })

  test('username and password on the request identify the caller (the Node SDK never logs in)', async () => {
    const { auth } = setup()
    await createUser(auth.store, 'carol', 'carol-password')
    expect(await identify(auth, { username: 'carol', password: 'carol-password', ip: '' })).toBe('carol')
    expect((await denied(identify(auth, { ip: '' }))).message).toBe('user not found!')
  })
})

describe('permissions', () => {
  test('a role grant with * patterns allows exactly its resources and actions; admins pass everything', async () => {
    const { auth, store: db } = setup()
    await bootstrapAdmin(auth, 'nacos', 'a-long-password')
    await createUser(db, 'reader', 'reader-password')
    await addRole(db, 'ns1-reader', 'reader')
    await grant(db, 'ns1-reader', 'ns1:*:config/*', 'r')
    expect(await isAllowed(db, 'reader', 'ns1:DEFAULT_GROUP:config/app.yaml', 'r')).toBe(true)
    expect(await isAllowed(db, 'reader', 'ns1:DEFAULT_GROUP:config/app.yaml', 'w')).toBe(false)
    expect(await isAllowed(db, 'reader', 'ns2:DEFAULT_GROUP:config/app.yaml', 'r')).toBe(false)
    expect(await isAllowed(db, 'reader', 'ns1x:DEFAULT_GROUP:config/app.yaml', 'r')).toBe(false)
    expect(await isAllowed(db, 'nacos', 'anything:at:all', 'w')).toBe(true)
  })

  test('ROLE_ADMIN cannot be handed out through the role API', async () => {
    const { store: db } = setup()
    await createUser(db, 'mallory', 'mallory-password')
    await expect(addRole(db, 'ROLE_ADMIN', 'mallory')).rejects.toThrow('not permitted')
  })
})
