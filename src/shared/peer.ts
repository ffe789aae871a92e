/**
 * The contract between the cluster feature and the node-to-node gRPC transport (src/transport/peer). The
 * feature signs, checks and interprets messages; the transport only moves them. Features never import it.
 */

/** One message between nodes: a type name, string headers (the auth proof) and a JSON body. */
export interface PeerMessage {
  type: string
  headers: Record<string, string>
  /** JSON text when built here, raw bytes when received. */
  body: string | Uint8Array
}

/** Answers one incoming peer message; `remote` is the TCP peer as the transport sees it. */
export type PeerHandler = (message: PeerMessage, remote: string) => Promise<PeerMessage>

/** Sends messages to other nodes' peer ports (`host:port`). */
export interface PeerWire {
  /**
   * One request/answer; rejects on timeout or transport failure (the error message names the cause). With
   * `waitForReady` a call to a peer that is (re)connecting waits for the connection until the timeout instead of
   * failing at once.
   */
  call(target: string, message: PeerMessage, timeoutMs: number, waitForReady?: boolean): Promise<PeerMessage>
  /** Closes every channel. */
  close(): void
}

/** A listening peer server. */
export interface PeerServer {
  port: number
  stop(): Promise<void>
}

/** Type of the answer that reports a failure: body `{ errorCode, message }`. */
export const PEER_ERROR = 'ErrorResponse'
