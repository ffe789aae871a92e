/**
 * Password hashing. bcrypt rather than Bun's default argon2id so the `users` table moves between Java Nacos and
 * bnacos in both directions (Nacos verifies with Spring's BCryptPasswordEncoder; Bun verifies its `$2a$` hashes).
 */
export function hashPassword(password: string): Promise<string> {
  return Bun.password.hash(password, { algorithm: 'bcrypt', cost: 10 })
}

/** Checks a password against a stored hash; a malformed hash is a mismatch, never an exception. */
export async function verifyPassword(password: string, hash: string): Promise<boolean> {
  try {
    return await Bun.password.verify(password, hash)
  } catch {
    return false
  }
}

/** A random password for the bootstrap admin: 18 bytes, base64url. */
export function randomPassword(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(18))).toString('base64url')
}
