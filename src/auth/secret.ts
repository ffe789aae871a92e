import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fail } from '../shared/errors'

/**
 * The JWT signing key: BNACOS_AUTH_TOKEN_SECRET when given (base64, at least 32 bytes, like Nacos's
 * token.secret.key), otherwise a random key generated at first start and kept in the data dir. There is never a
 * built-in default: Nacos ≤ 2.2.0 shipped one and anyone could forge tokens.
 */
export function loadTokenSecret(dataDir: string | ':memory:', configured?: string): Uint8Array {
  if (configured) {
    const key = Buffer.from(configured, 'base64')
    if (key.length < 32) throw fail.invalid('BNACOS_AUTH_TOKEN_SECRET must be base64 of at least 32 bytes')
    return new Uint8Array(key)
  }
  if (dataDir === ':memory:') return crypto.getRandomValues(new Uint8Array(32))
  const file = join(dataDir, 'token.secret')
  if (existsSync(file)) return new Uint8Array(Buffer.from(readFileSync(file, 'utf8').trim(), 'base64'))
  const key = crypto.getRandomValues(new Uint8Array(32))
  writeFileSync(file, Buffer.from(key).toString('base64') + '\n', { mode: 0o600 })
  chmodSync(file, 0o600)
  return key
}
