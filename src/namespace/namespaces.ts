import { asc, eq } from 'drizzle-orm'
import { fail } from '../shared/errors'
import { normalizeNamespace, PUBLIC } from '../shared/namespace'
import type { Db } from '../storage/db'
import { tenantInfo } from './namespace.sql'

/** A namespace as the APIs show it. */
export interface Namespace {
  id: string
  name: string
  desc: string
  /** 0 = the global default namespace, 2 = custom (Nacos NamespaceTypeEnum). */
  type: 0 | 2
  createdAt: number
  modifiedAt: number
}

const publicNs: Namespace = { id: PUBLIC, name: 'public', desc: 'Public Namespace', type: 0, createdAt: 0, modifiedAt: 0 }
const ID = /^[\w-]+$/

/** The default namespace first, then custom ones in creation order. */
export function listNamespaces(db: Db): Namespace[] {
  const rows = db.select().from(tenantInfo).orderBy(asc(tenantInfo.id)).all()
  return [publicNs, ...rows.map((r) => ({ id: r.tenantId, name: r.tenantName, desc: r.tenantDesc, type: 2 as const, createdAt: r.gmtCreate, modifiedAt: r.gmtModified }))]
}

/** One namespace; `""` and `public` both name the default one. */
export function getNamespace(db: Db, id: string | undefined): Namespace {
  const ns = normalizeNamespace(id)
  const found = listNamespaces(db).find((n) => n.id === ns)
  if (!found) throw fail.notFound(`namespace ${ns} does not exist`)
  return found
}

/** Whether a namespace exists. */
export function namespaceExists(db: Db, id: string | undefined): boolean {
  const ns = normalizeNamespace(id)
  return ns === PUBLIC || !!db.select({ id: tenantInfo.id }).from(tenantInfo).where(eq(tenantInfo.tenantId, ns)).get()
}

/** Creates a namespace; a blank id gets a random UUID, as Nacos does. Returns the id. */
export function createNamespace(db: Db, input: { id?: string; name?: string; desc?: string }, now = Date.now()): string {
  const id = input.id?.trim() || crypto.randomUUID()
  if (!ID.test(id) || id.length > 128) throw fail.invalid('invalid namespace id: letters, digits, _ and - only, at most 128 characters')
  if (normalizeNamespace(id) === PUBLIC) throw fail.conflict(`namespace ${id} is reserved`)
  const name = input.name?.trim()
  if (!name) throw fail.missing('namespaceName')
  if (name.length > 128 || /[@#$%^&*]/.test(name)) throw fail.invalid('invalid namespaceName: at most 128 characters, none of @#$%^&*')
  const desc = (input.desc ?? '').slice(0, 256)
  if (namespaceExists(db, id)) throw fail.conflict(`namespace ${id} already exists`)
  db.insert(tenantInfo).values({ tenantId: id, tenantName: name, tenantDesc: desc, createSource: 'bnacos', gmtCreate: now, gmtModified: now }).run()
  return id
}

/** Renames or re-describes a custom namespace. */
export function updateNamespace(db: Db, input: { id?: string; name?: string; desc?: string }, now = Date.now()): void {
  const id = input.id?.trim()
  if (!id) throw fail.missing('namespace')
  const name = input.name?.trim()
  if (!name) throw fail.missing('namespaceShowName')
  if (normalizeNamespace(id) === PUBLIC) throw fail.invalid('the public namespace cannot be changed')
  const res = db.update(tenantInfo).set({ tenantName: name, tenantDesc: (input.desc ?? '').slice(0, 256), gmtModified: now }).where(eq(tenantInfo.tenantId, id)).returning().all()
  if (res.length === 0) throw fail.notFound(`namespace ${id} does not exist`)
}

/** Deletes a custom namespace; refused while `inUse` reports anything left in it (unlike Nacos, which orphans it). */
export function deleteNamespace(db: Db, id: string | undefined, inUse: (id: string) => number): void {
  const ns = id?.trim()
  if (!ns) throw fail.missing('namespaceId')
  if (normalizeNamespace(ns) === PUBLIC) throw fail.invalid('the public namespace cannot be deleted')
  if (!namespaceExists(db, ns)) throw fail.notFound(`namespace ${ns} does not exist`)
  const n = inUse(ns)
  if (n > 0) throw fail.conflict(`namespace ${ns} is not empty: it holds ${n} config(s); delete them first`)
  db.delete(tenantInfo).where(eq(tenantInfo.tenantId, ns)).run()
}
