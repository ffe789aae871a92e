import { and, eq } from 'drizzle-orm'
import { permissions, roles, users } from '../../auth/auth.sql'
import { checkRole } from '../../auth/roles'
import { checkUsername } from '../../auth/users'
import { tenantInfo } from '../../namespace/namespace.sql'
import { fail } from '../../shared/errors'
import { PUBLIC } from '../../shared/namespace'
import type { Db } from '../../storage/db'
import type { ConfigCenter } from '../center'
import { saveFormal } from '../repo'
import type { Actor } from '../model'
import { planImport, type ImportPlan, type Policy } from './apply'
import type { Bundle } from './bundle'
import { uploadLimits } from './import'
import { parseNacosZip, type ImportItem } from './nacos-zip'
import { readZip } from './zip'

/** What a restore did, summed over namespaces; `aborted` names the config that stopped an ABORT import. */
export interface RestoreReport {
  namespaces: number
  users: number
  roles: number
  permissions: number
  configs: number
  skipped: number
  unrecognized: number
  aborted?: { namespace: string; group: string; dataId: string }
}

/** A bcrypt hash as Spring's BCryptPasswordEncoder and Bun write it. */
const BCRYPT = /^\$2[abxy]?\$\d{2}\$[./A-Za-z0-9]{53}$/

/** Reads one namespace's Nacos zip of a bundle and lays its extras (tags, use, …) over the items. */
function itemsOf(cc: ConfigCenter, c: Bundle['configs'][number]): { items: ImportItem[]; unrecognized: number } {
  const parsed = parseNacosZip(readZip(c.zip, uploadLimits(cc.limits.maxContentBytes)))
  const extras = new Map(c.extras.map((e) => [`${e.group}/${e.dataId}`, e]))
  const items = parsed.items.map((i) => {
    const e = extras.get(`${i.group}/${i.dataId}`)
    return e ? { ...i, configTags: e.configTags, use: e.use, effect: e.effect, schema: e.schema, encryptedDataKey: e.encryptedDataKey } : i
  })
  return { items, unrecognized: parsed.unrecognized.length }
}

/**
 * Restores a bundle in one transaction: namespaces, users (bcrypt hashes as stored), roles, grants, then configs
 * through the import plan. ABORT: any config that already exists stops the whole restore before anything is
 * written. Existing namespaces and users are kept under ABORT and SKIP and replaced under OVERWRITE (a fresh data
 * dir's bootstrap admin would otherwise make every ABORT fail); roles and grants are added, never removed.
 * Offline and embedded-only (`bnacos import` on a data dir): `db` is that SQLite, written in one synchronous transaction.
 */
export function restoreBundle(cc: ConfigCenter, db: Db, b: Bundle, policy: Policy, actor: Actor): RestoreReport {
  const report: RestoreReport = { namespaces: 0, users: 0, roles: 0, permissions: 0, configs: 0, skipped: 0, unrecognized: 0 }
  for (const u of b.users) {
    checkUsername(u.username)
    if (!BCRYPT.test(u.password)) throw fail.invalid(`users.yml: ${u.username}: password is not a bcrypt hash`)
  }
  for (const r of b.roles) {
    checkUsername(r.username)
    checkRole(r.role)
  }
  for (const p of b.permissions) {
    checkRole(p.role)
    if (!/^[^\s]{1,512}$/.test(p.resource) || !['r', 'w', 'rw'].includes(p.action)) throw fail.invalid(`permissions.yml: bad grant ${p.role} ${p.resource} ${p.action}`)
  }
  const plans: ImportPlan[] = []
  for (const c of b.configs) {
    const { items, unrecognized } = itemsOf(cc, c)
    const plan = planImport(cc, c.namespace, items, policy, actor)
    report.unrecognized += unrecognized
    if (plan.result.failData.length) return { ...report, aborted: { namespace: c.namespace, ...plan.result.failData[0] } }
    plans.push(plan)
  }
  const saved = db.transaction(() => {
    const wanted = new Map(b.namespaces.map((n) => [n.id, n]))
    for (const c of b.configs) if (c.namespace !== PUBLIC && !wanted.has(c.namespace)) wanted.set(c.namespace, { id: c.namespace, name: c.namespace, desc: '' })
    for (const n of wanted.values()) {
      if (!/^[\w-]{1,128}$/.test(n.id)) throw fail.invalid(`namespaces.yml: bad namespace id ${n.id}`)
      const now = cc.now()
      const cols = { tenantName: n.name || n.id, tenantDesc: (n.desc ?? '').slice(0, 256), gmtModified: now }
      if (!db.select({ id: tenantInfo.id }).from(tenantInfo).where(eq(tenantInfo.tenantId, n.id)).get()) db.insert(tenantInfo).values({ tenantId: n.id, ...cols, createSource: 'bnacos', gmtCreate: now }).run()
      else if (policy === 'OVERWRITE') db.update(tenantInfo).set(cols).where(eq(tenantInfo.tenantId, n.id)).run()
      else continue
      report.namespaces++
    }
    for (const u of b.users) {
      const had = db.select({ u: users.username }).from(users).where(eq(users.username, u.username)).get()
      if (!had) db.insert(users).values(u).run()
      else if (policy === 'OVERWRITE') db.update(users).set({ password: u.password, enabled: u.enabled }).where(eq(users.username, u.username)).run()
      else continue
      report.users++
    }
    for (const r of b.roles) {
      if (!db.select({ u: users.username }).from(users).where(eq(users.username, r.username)).get()) continue
      if (db.select({ u: roles.username }).from(roles).where(and(eq(roles.username, r.username), eq(roles.role, r.role))).get()) continue
      db.insert(roles).values(r).run()
      report.roles++
    }
    for (const p of b.permissions) {
      if (db.select({ r: permissions.role }).from(permissions).where(and(eq(permissions.role, p.role), eq(permissions.resource, p.resource), eq(permissions.action, p.action))).get()) continue
      db.insert(permissions).values(p).run()
      report.permissions++
    }
    return plans.flatMap((p) => p.writes).map((d) => saveFormal(db, d, { srcUser: d.srcUser, srcIp: d.srcIp })!.record)
  })
  for (const r of saved) {
    cc.cache.setFormal(r)
    cc.watches.notify(r)
  }
  for (const p of plans) {
    report.configs += p.result.succCount
    report.skipped += p.result.skipCount
  }
  return report
}
