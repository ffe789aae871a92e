import { log } from '../shared/log'
import { PEER_ERROR, type PeerHandler, type PeerMessage } from '../shared/peer'
import { AUTH_HEADERS, PeerAuth, PeerAuthError } from './peer-auth'
import { bodyObject } from './peers'
import { bodyBytes, OTHER_TYPE, type IncomingOutcome, type PeerTraffic } from './traffic'

/** Handles one verified peer message type; `from` is the signed sender address. */
export type PeerRequestHandler = (body: Record<string, unknown>, from: string) => Record<string, unknown> | Promise<Record<string, unknown>>

const failure = (errorCode: number, message: string): PeerMessage => ({ type: PEER_ERROR, headers: {}, body: JSON.stringify({ errorCode, message }) })

/**
 * The cluster port's dispatcher: refuses anything not signed with the cluster secret (401), then routes by type.
 * Answers are signed over the request's nonce, so the caller knows a member answered. `traffic` counts every
 * message by type and outcome.
 */
export function createPeerHandler(auth: PeerAuth, handlers: Record<string, PeerRequestHandler>, traffic?: PeerTraffic): PeerHandler {
  let lastWarn = 0
  const dispatch = async (msg: PeerMessage, remote: string): Promise<[IncomingOutcome, PeerMessage]> => {
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
      return ['refused', failure(401, e.message)]
    }
    const handler = Object.hasOwn(handlers, msg.type) ? handlers[msg.type] : undefined
    if (!handler) return ['unknown', failure(404, `unknown peer message type ${msg.type}`)]
    let body: Record<string, unknown>
    try {
      body = bodyObject(msg.body)
    } catch {
      return ['bad_request', failure(400, 'peer message body is not a JSON object')]
    }
    const answer = JSON.stringify(await handler(body, from))
    const type = `${msg.type.replace(/Request$/, '')}Response`
    return ['ok', { type, headers: auth.signResponse(type, msg.headers[AUTH_HEADERS.nonce], answer), body: answer }]
  }
  if (!traffic) return async (msg, remote) => (await dispatch(msg, remote))[1]
  return async (msg, remote) => {
    // Only types this node handles become labels: anyone reaching the port could otherwise invent new ones.
    const type = Object.hasOwn(handlers, msg.type) ? msg.type : OTHER_TYPE
    try {
      const [outcome, answer] = await dispatch(msg, remote)
      traffic.received(type, outcome, bodyBytes(msg.body), bodyBytes(answer.body))
      return answer
    } catch (e) {
      traffic.received(type, 'error', bodyBytes(msg.body), 0)
      throw e
    }
  }
}
