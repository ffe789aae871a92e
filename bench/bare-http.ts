// The HTTP baseline: a bare Bun.serve answering every request with a constant body (the same bytes bnacos serves for
// the benchmarked config), through a fetch handler as an application would. Usage: bun bench/bare-http.ts <port> <body-file>
export {}
const [port, bodyFile] = process.argv.slice(2)
const body = await Bun.file(bodyFile).bytes()
Bun.serve({
  hostname: '127.0.0.1',
  port: Number(port),
  fetch: () => new Response(body, { headers: { 'Content-Type': 'text/plain;charset=UTF-8' } }),
})
for (const s of ['SIGINT', 'SIGTERM'] as const) process.on(s, () => process.exit(0))
