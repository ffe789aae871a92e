/** The id bnacos stores for the default namespace (Nacos 3.x spelling). */
export const PUBLIC = 'public'

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
