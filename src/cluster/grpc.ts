import { log } from '../shared/log'
import { PEER_ERROR, type PeerHandler, type PeerMessage } from '../shared/peer'
import { AUTH_HEADERS, PeerAuth, PeerAuthError } from './peer-auth'
import { bodyObject } from './peers'

/** Handles one verified peer message type; `from` is the signed sender address. */
export type PeerRequestHandler = (body: Record<string, unknown>, from: string) => Record<string, unknown> | Promise<Record<string, unknown>>

const failure = (errorCode: number, message: string): PeerMessage => ({ type: PEER_ERROR, headers: {}, body: JSON.stringify({ errorCode, message }) })

/**
 * The cluster port's dispatcher: refuses anything not signed with the cluster secret (401), then routes by type.
 * Answers are signed over the request's nonce, so the caller knows a member answered.
 */
export function createPeerHandler(auth: PeerAuth, handlers: Record<string, PeerRequestHandler>): PeerHandler {
  let lastWarn = 0
  return async (msg, remote) => {
    let from: string
    try {
      from = auth.verifyRequest(msg.type, msg.headers, msg.body)
    } catch (e) {
      if (!(e instanceof PeerAuthError)) throw e
      // Once a minute at most: a misconfigured node pings every 2 s.
      if (Date.now() - lastWarn > 60_000) {
        lastWarn = Date.now()
        log.warn('refused a peer call', { remote, type: msg.type, reason: e.message })
      }
      return failure(401, e.message)
    }
    const handler = Object.hasOwn(handlers, msg.type) ? handlers[msg.type] : undefined
    if (!handler) return failure(404, `unknown peer message type ${msg.type}`)
    let body: Record<string, unknown>
    try {
      body = bodyObject(msg.body)
    } catch {
      return failure(400, 'peer message body is not a JSON object')
    }
    const answer = JSON.stringify(await handler(body, from))
    const type = `${msg.type.replace(/Request$/, '')}Response`
    return { type, headers: auth.signResponse(type, msg.headers[AUTH_HEADERS.nonce], answer), body: answer }
  }
}
