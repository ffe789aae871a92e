import { fail } from '../shared/errors'
import { normalizeNamespace, PUBLIC } from '../shared/namespace'
import type { NamespaceStore } from './store'

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
export async function listNamespaces(store: NamespaceStore): Promise<Namespace[]> {
  const rows = await store.list()
  return [publicNs, ...rows.map((r) => ({ id: r.id, name: r.name, desc: r.desc, type: 2 as const, createdAt: r.createdAt, modifiedAt: r.modifiedAt }))]
}

/** One namespace; `""` and `public` both name the default one. */
export async function getNamespace(store: NamespaceStore, id: string | undefined): Promise<Namespace> {
  const ns = normalizeNamespace(id)
  const found = (await listNamespaces(store)).find((n) => n.id === ns)
  if (!found) throw fail.notFound(`namespace ${ns} does not exist`)
  return found
}

/** Whether a namespace exists. */
export async function namespaceExists(store: NamespaceStore, id: string | undefined): Promise<boolean> {
  const ns = normalizeNamespace(id)
  return ns === PUBLIC || (await store.exists(ns))
}

/** Creates a namespace; a blank id gets a random UUID, as Nacos does. Returns the id. */
export async function createNamespace(store: NamespaceStore, input: { id?: string; name?: string; desc?: string }, now = Date.now()): Promise<string> {
  const id = input.id?.trim() || crypto.randomUUID()
  if (!ID.test(id) || id.length > 128) throw fail.invalid('invalid namespace id: letters, digits, _ and - only, at most 128 characters')
  if (normalizeNamespace(id) === PUBLIC) throw fail.conflict(`namespace ${id} is reserved`)
  const name = input.name?.trim()
  if (!name) throw fail.missing('namespaceName')
  if (name.length > 128 || /[@#$%^&*]/.test(name)) throw fail.invalid('invalid namespaceName: at most 128 characters, none of @#$%^&*')
  const desc = (input.desc ?? '').slice(0, 256)
  if (!(await store.create({ id, name, desc, createdAt: now, modifiedAt: now }))) throw fail.conflict(`namespace ${id} already exists`)
  return id
}

/** Renames or re-describes a custom namespace. */
export async function updateNamespace(store: NamespaceStore, input: { id?: string; name?: string; desc?: string }, now = Date.now()): Promise<void> {
  const id = input.id?.trim()
  if (!id) throw fail.missing('namespace')
  const name = input.name?.trim()
  if (!name) throw fail.missing('namespaceShowName')
  if (normalizeNamespace(id) === PUBLIC) throw fail.invalid('the public namespace cannot be changed')
  if (!(await store.update(id, name, (input.desc ?? '').slice(0, 256), now))) throw fail.notFound(`namespace ${id} does not exist`)
}

/** Deletes a custom namespace; refused while `inUse` reports anything left in it (unlike Nacos, which orphans it). */
export async function deleteNamespace(store: NamespaceStore, id: string | undefined, inUse: (id: string) => number): Promise<void> {
  const ns = id?.trim()
  if (!ns) throw fail.missing('namespaceId')
  if (normalizeNamespace(ns) === PUBLIC) throw fail.invalid('the public namespace cannot be deleted')
  if (!(await namespaceExists(store, ns))) throw fail.notFound(`namespace ${ns} does not exist`)
  const n = inUse(ns)
  if (n > 0) throw fail.conflict(`namespace ${ns} is not empty: it holds ${n} config(s); delete them first`)
  if (!(await store.delete(ns))) throw fail.notFound(`namespace ${ns} does not exist`)
}
