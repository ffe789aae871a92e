/** Which database a database URL names. */
export type Dialect = 'sqlite' | 'mysql' | 'postgres'

/** A parsed database URL: the dialect and the URL to hand its driver. */
export interface DbTarget {
  dialect: Dialect
  url: string
}

/**
 * Reads the database URL setting (a prototype for issue 8: the setting is not in the catalog until a repo uses it;
 * `name` is what error messages call it): `mysql://` or `mariadb://` → MySQL/MariaDB, `postgres://` or
 * `postgresql://` → PostgreSQL, absent → the embedded SQLite.
 */
export function parseDbUrl(text: string | undefined, name = 'the database URL'): DbTarget {
  if (text === undefined || text.trim() === '') return { dialect: 'sqlite', url: '' }
  let u: URL
  try {
    u = new URL(text.trim())
  } catch {
    throw new Error(`${name} must be a URL such as mysql://user:pass@host:3306/nacos or postgres://user:pass@host:5432/nacos`)
  }
  const scheme = u.protocol.replace(/:$/, '')
  const dialect: Dialect | undefined = scheme === 'mysql' || scheme === 'mariadb' ? 'mysql' : scheme === 'postgres' || scheme === 'postgresql' ? 'postgres' : undefined
  if (!dialect) throw new Error(`${name}: unsupported scheme "${scheme}" (mysql, mariadb, postgres, postgresql)`)
  if (!u.hostname || u.pathname.length < 2) throw new Error(`${name} must name a host and a database (…@host:port/database)`)
  if (scheme === 'mariadb') u.protocol = 'mysql:'
  return { dialect, url: u.toString() }
}
