import * as grpc from '@grpc/grpc-js'
import type { PeerMessage, PeerWire } from '../../shared/peer'
import { decodePayload, encodePayload, type Payload } from '../grpc/payload'
import { PEER_CALL_PATH, toMessage, toPayload } from './definitions'

/**
 * One grpc-js channel per target, kept open. Reconnect backoff is capped at 1 s: grpc-js would otherwise wait up
 * to 120 s between attempts, and a restarted or healed peer would stay unreachable that long.
 */
export function createPeerWire(): PeerWire {
  const clients = new Map<string, grpc.Client>()
  const clientOf = (target: string) => {
    let c = clients.get(target)
    if (!c) {
      c = new grpc.Client(target, grpc.credentials.createInsecure(), {
        'grpc.initial_reconnect_backoff_ms': 500,
        'grpc.min_reconnect_backoff_ms': 500,
        'grpc.max_reconnect_backoff_ms': 1000,
        'grpc.max_receive_message_length': 64 * 1024 * 1024,
        'grpc.max_send_message_length': 64 * 1024 * 1024,
        'grpc.keepalive_time_ms': 10_000,
        'grpc.keepalive_timeout_ms': 5000,
        'grpc.keepalive_permit_without_calls': 1,
      })
      clients.set(target, c)
    }
    return c
  }
  return {
    call(target, message, timeoutMs, waitForReady = false) {
      const metadata = new grpc.Metadata({ waitForReady })
      return new Promise<PeerMessage>((resolve, reject) => {
        clientOf(target).makeUnaryRequest<Payload, Payload>(PEER_CALL_PATH, encodePayload, (b: Buffer) => decodePayload(b), toPayload(message), metadata, { deadline: Date.now() + timeoutMs }, (err, res) => {
          if (err || !res) return reject(err ?? new Error('no answer'))
          resolve(toMessage(res))
        })
      })
    },
    close() {
      for (const c of clients.values()) c.close()
      clients.clear()
    },
  }
}
