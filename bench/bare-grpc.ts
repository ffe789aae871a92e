// The gRPC baseline: a minimal @grpc/grpc-js server on Bun serving /Request/request with a constant Payload (the bytes
// bnacos answered a ConfigQueryRequest with), and no bi-stream service. Usage: bun bench/bare-grpc.ts <port> <payload-file>
import * as grpc from '@grpc/grpc-js'

const [port, payloadFile] = process.argv.slice(2)
const payload = Buffer.from(await Bun.file(payloadFile).bytes())
const same = (b: Buffer) => b
const service: grpc.ServiceDefinition = {
  request: { path: '/Request/request', requestStream: false, responseStream: false, requestSerialize: same, requestDeserialize: same, responseSerialize: same, responseDeserialize: same },
}
const server = new grpc.Server()
server.addService(service, { request: (_call: unknown, cb: grpc.sendUnaryData<Buffer>) => cb(null, payload) })
server.bindAsync(`127.0.0.1:${port}`, grpc.ServerCredentials.createInsecure(), (err) => {
  if (err) {
    console.error(err)
    process.exit(1)
  }
})
for (const s of ['SIGINT', 'SIGTERM'] as const) process.on(s, () => process.exit(0))
