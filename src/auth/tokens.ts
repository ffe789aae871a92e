import { errors, jwtVerify, SignJWT } from 'jose'

/**
 * Issues and checks access tokens: HS256 JWTs `{sub, exp}` as Nacos's JwtTokenManager makes them, plus `pwv`, a
 * fingerprint of the password hash at issue time, so a password change revokes every token issued before it
 * (Nacos's tokens stay valid until they expire).
 */
export class TokenService {
  constructor(
    private readonly key: Uint8Array,
    readonly ttlSeconds: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** A token for `username` whose password hash has fingerprint `pwv`, valid for the configured TTL. */
  issue(username: string, pwv: string): Promise<string> {
    const nowS = Math.floor(this.now() / 1000)
    return new SignJWT({ pwv }).setProtectedHeader({ alg: 'HS256' }).setSubject(username).setIssuedAt(nowS).setExpirationTime(nowS + this.ttlSeconds).sign(this.key)
  }

  /**
   * The username a token names, or why it is refused. Only HS256 is accepted, so `alg: none` and algorithm
   * confusion are rejected by the library before the signature is even considered.
   */
  async verify(token: string): Promise<{ username: string; pwv?: string } | { error: 'expired' | 'invalid' }> {
    try {
      const { payload } = await jwtVerify(token, this.key, { algorithms: ['HS256'], currentDate: new Date(this.now()) })
      if (typeof payload.sub !== 'string' || !payload.sub) return { error: 'invalid' }
      return { username: payload.sub, pwv: typeof payload.pwv === 'string' ? payload.pwv : undefined }
    } catch (e) {
      return { error: e instanceof errors.JWTExpired ? 'expired' : 'invalid' }
    }
  }
}

/** The fingerprint of a stored password hash that tokens carry: changes whenever the password does. */
export function passwordVersion(hash: string): string {
  return new Bun.CryptoHasher('sha256').update(hash).digest('hex').slice(0, 16)
}
