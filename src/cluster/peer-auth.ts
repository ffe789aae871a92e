import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto'

/** Headers that carry a peer call's proof of the shared secret (the secret itself never travels). */
export const AUTH_HEADERS = { ts: 'x-bnacos-ts', nonce: 'x-bnacos-nonce', from: 'x-bnacos-from', sig: 'x-bnacos-sig' } as const

/** Largest clock difference accepted between peers; also how long a nonce is remembered. */
export const MAX_SKEW_MS = 60_000

/** Why a peer call was refused. */
export class PeerAuthError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'PeerAuthError'
  }
}

const sha256 = (body: Uint8Array | string) => createHash('sha256').update(body).digest('hex')

/**
 * The signed text: direction, message type, sender, time, nonce and a hash of the body, so a captured call cannot
 * be replayed later, re-pointed at another type, or have its body swapped.
 */
function mac(secret: Uint8Array, dir: 'req' | 'res', type: string, from: string, ts: string, nonce: string, body: Uint8Array | string): Buffer {
  return createHmac('sha256', secret).update(`bnacos-peer-v1\n${dir}\n${type}\n${from}\n${ts}\n${nonce}\n${sha256(body)}`).digest()
}

/** Signs and checks peer messages with one cluster secret; remembers nonces to refuse replays. */
export class PeerAuth {
  private readonly seen = new Map<string, number>()

  constructor(
    private readonly secret: Uint8Array,
    private readonly now: () => number = Date.now,
  ) {}

  /** Headers for an outgoing request from `from`. */
  signRequest(type: string, from: string, body: string): Record<string, string> {
    const ts = String(this.now())
    const nonce = randomBytes(16).toString('base64url')
    return { [AUTH_HEADERS.ts]: ts, [AUTH_HEADERS.nonce]: nonce, [AUTH_HEADERS.from]: from, [AUTH_HEADERS.sig]: mac(this.secret, 'req', type, from, ts, nonce, body).toString('base64url') }
  }

  /** Checks an incoming request; returns the sender's address or throws PeerAuthError. */
  verifyRequest(type: string, headers: Record<string, string>, body: Uint8Array | string): string {
    const ts = headers[AUTH_HEADERS.ts] ?? ''
    const nonce = headers[AUTH_HEADERS.nonce] ?? ''
    const from = headers[AUTH_HEADERS.from] ?? ''
    const sig = headers[AUTH_HEADERS.sig] ?? ''
    if (!ts || !nonce || !sig) throw new PeerAuthError('peer call is not signed')
    const now = this.now()
    if (!/^\d{1,15}$/.test(ts) || Math.abs(now - Number(ts)) > MAX_SKEW_MS) throw new PeerAuthError('peer call timestamp is outside the allowed clock skew (60 s)')
    if (!safeEqual(sig, mac(this.secret, 'req', type, from, ts, nonce, body))) throw new PeerAuthError('peer call signature is invalid (different BNACOS_CLUSTER_SECRET?)')
    // Only a correctly signed call reaches the nonce cache, so strangers cannot fill it.
    this.forget(now)
    if (this.seen.has(nonce)) throw new PeerAuthError('peer call was replayed')
    this.seen.set(nonce, Number(ts))
    return from
  }

  /** Headers for the answer to a request that carried `nonce`. */
  signResponse(type: string, nonce: string, body: string): Record<string, string> {
    const ts = String(this.now())
    return { [AUTH_HEADERS.ts]: ts, [AUTH_HEADERS.sig]: mac(this.secret, 'res', type, '', ts, nonce, body).toString('base64url') }
  }

  /** Checks the answer to our request with `nonce`: proves the peer holds the secret too. */
  verifyResponse(type: string, nonce: string, headers: Record<string, string>, body: Uint8Array | string): void {
    const ts = headers[AUTH_HEADERS.ts] ?? ''
    if (!safeEqual(headers[AUTH_HEADERS.sig] ?? '', mac(this.secret, 'res', type, '', ts, nonce, body))) throw new PeerAuthError('peer answer signature is invalid (different BNACOS_CLUSTER_SECRET?)')
  }

  private forget(now: number) {
    if (this.seen.size < 1024) return
    for (const [n, t] of this.seen) if (now - t > 2 * MAX_SKEW_MS) this.seen.delete(n)
  }
}

function safeEqual(given: string, expected: Buffer): boolean {
  const g = Buffer.from(given, 'base64url')
  return g.length === expected.length && timingSafeEqual(g, expected)
}
