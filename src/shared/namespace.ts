import { fail } from './errors'

/** The id bnacos stores for the default namespace (Nacos 3.x spelling). */
export const PUBLIC = 'public'

/** Nacos ParamUtils.checkTenant: letters, digits and `_ - . :`, at most 128 characters. */
const VALID_NS = /^[\p{L}\p{N}_\-.:]+$/u

/** Normalises a namespace id and refuses malformed ones (`../etc`, spaces, over 128 characters). */
export function checkNamespace(ns: string | undefined | null): string {
  const n = normalizeNamespace(ns)
  if (n.length > 128) throw fail.invalid('invalid namespace (tenant/namespaceId): longer than 128 characters')
  if (!VALID_NS.test(n)) throw fail.invalid(`invalid namespace (tenant/namespaceId): ${n}`)
  return n
}

/**
 * Maps the spellings of the default namespace to one id. Nacos 2.x config clients send "" and 3.x send
 * "public" (NamespaceUtil.processNamespaceParameter also maps "null"); they must meet in one namespace.
 */
export function normalizeNamespace(ns: string | undefined | null): string {
  if (ns === undefined || ns === null) return PUBLIC
  const t = ns.trim()
  if (t === '' || t.toLowerCase() === PUBLIC || t === 'null') return PUBLIC
  return t
}
