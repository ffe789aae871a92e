// A TCP relay the cluster tests put in front of a node's cluster port, so they can block it (a partition of that
// port: connections cut and refused, as a firewall dropping it would) and open it again.
import { connect, createServer, type Socket } from 'node:net'

/** A relay from `listen` to `target` that can be blocked and healed. */
export interface TcpProxy {
  block(): void
  heal(): void
  stop(): Promise<void>
}

/** Starts relaying `host:listenPort` → `host:targetPort`; resolves once it listens. */
export async function startTcpProxy(host: string, listenPort: number, targetPort: number): Promise<TcpProxy> {
  let blocked = false
  const open = new Set<Socket>()
  const track = (s: Socket) => {
    open.add(s)
    s.on('close', () => open.delete(s))
    s.on('error', () => s.destroy())
  }
  const server = createServer((client) => {
    track(client)
    if (blocked) return void client.destroy()
    const upstream = connect(targetPort, host)
    track(upstream)
    // pipe() buffers and honours back-pressure; either side closing closes the other.
    client.pipe(upstream)
    upstream.pipe(client)
    client.on('close', () => upstream.destroy())
    upstream.on('close', () => client.destroy())
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(listenPort, host, () => resolve())
  })
  const block = () => {
    blocked = true
    for (const s of open) s.destroy()
    open.clear()
  }
  return {
    block,
    heal() {
      blocked = false
    },
    async stop() {
      block()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}
