import type { MethodDefinition } from 'nice-grpc'
import type { PeerMessage } from '../../shared/peer'
import { decodePayload, encodePayload, type Payload } from '../grpc/payload'

/** Path of the single peer method (package bnacos.cluster, service Peer). */
export const PEER_CALL_PATH = '/bnacos.cluster.Peer/call'

const method: MethodDefinition<Payload, Payload, Payload, Payload, false, false> = {
  path: PEER_CALL_PATH,
  requestStream: false,
  responseStream: false,
  requestSerialize: encodePayload,
  requestDeserialize: decodePayload,
  responseSerialize: encodePayload,
  responseDeserialize: decodePayload,
  options: {},
}

/** `service Peer` of proto/bnacos_cluster.proto. */
export const PeerService = { call: method } as const

/** Wire Payload → PeerMessage. */
export function toMessage(p: Payload): PeerMessage {
  return { type: p.type, headers: p.headers, body: p.json ?? p.body }
}

/** PeerMessage → wire Payload. */
export function toPayload(m: PeerMessage): Payload {
  return typeof m.body === 'string'
    ? { type: m.type, clientIp: '', headers: m.headers, body: new Uint8Array(0), json: m.body }
    : { type: m.type, clientIp: '', headers: m.headers, body: m.body }
}
