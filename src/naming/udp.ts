import { gzipSync } from 'node:zlib'
import { log } from '../shared/log'

/**
 * UDP push to 1.x HTTP clients that pass `udpPort` (Nacos UdpPushService; r-nacos dropped it): a
 * `{"type":"dom","data":"<ServiceInfo JSON>","lastRefTime":<nanos>}` datagram, gzipped from 1 KiB on.
 */
export class UdpPusher {
  private socket: import('bun').udp.Socket<'buffer'> | undefined
  sent = 0

  async start() {
    this.socket = await Bun.udpSocket({
      socket: {
        // Clients ack with {"type":"push-ack"}; delivery is best effort, as in Nacos, so acks are only counted.
        data: () => {},
      },
    })
  }

  send(ip: string, port: number, infoJson: string) {
    if (!this.socket) return
    const msg = JSON.stringify({ type: 'dom', data: infoJson, lastRefTime: Number(process.hrtime.bigint() % BigInt(Number.MAX_SAFE_INTEGER)) })
    const bytes = Buffer.from(msg)
    try {
      this.socket.send(bytes.length >= 1024 ? gzipSync(bytes) : bytes, port, ip)
      this.sent++
    } catch (e) {
      log.debug('udp push failed', { ip, port, error: String(e) })
    }
  }

  stop() {
    this.socket?.close()
    this.socket = undefined
  }
}
