import { errors, jwtVerify, SignJWT } from 'jose'

/** Issues and checks access tokens: HS256 JWTs `{sub, exp}` as Nacos's JwtTokenManager makes them. */
export class TokenService {
  constructor(
    private readonly key: Uint8Array,
    readonly ttlSeconds: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** A token for `username`, valid for the configured TTL. */
  issue(username: string): Promise<string> {
    const nowS = Math.floor(this.now() / 1000)
    return new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject(username).setIssuedAt(nowS).setExpirationTime(nowS + this.ttlSeconds).sign(this.key)
  }

  /**
   * The username a token names, or why it is refused. Only HS256 is accepted, so `alg: none` and algorithm
   * confusion are rejected by the library before the signature is even considered.
   */
  async verify(token: string): Promise<{ username: string } | { error: 'expired' | 'invalid' }> {
    try {
      const { payload } = await jwtVerify(token, this.key, { algorithms: ['HS256'], currentDate: new Date(this.now()) })
      if (typeof payload.sub !== 'string' || !payload.sub) return { error: 'invalid' }
      return { username: payload.sub }
    } catch (e) {
      return { error: e instanceof errors.JWTExpired ? 'expired' : 'invalid' }
    }
  }
}
