// The connection-cost baseline of the naming benchmark: a minimal @grpc/grpc-js server on Bun that does only the Nacos
// connection part — answers every unary request with `<Type minus Request>Response` {resultCode: 200}, and on the
// bi-stream answers the ConnectionSetupRequest with a SetupAckRequest and then holds the stream open. Its RSS with the
// same 2,001 connections as the naming run is the floor for bnacos's. Usage: bun bench/naming-bare-grpc.ts <port>
import * as grpc from '@grpc/grpc-js'
import { decodePayload, encodePayload, jsonPayload } from '../src/transport/grpc/payload'

const [port] = process.argv.slice(2)
const same = (b: Buffer) => b
const service: grpc.ServiceDefinition = {
  request: { path: '/Request/request', requestStream: false, responseStream: false, requestSerialize: same, requestDeserialize: same, responseSerialize: same, responseDeserialize: same },
}
const stream: grpc.ServiceDefinition = {
  requestBiStream: { path: '/BiRequestStream/requestBiStream', requestStream: true, responseStream: true, requestSerialize: same, requestDeserialize: same, responseSerialize: same, responseDeserialize: same },
}
const answer = (type: string) => encodePayload(jsonPayload(type.replace(/Request$/, 'Response'), { resultCode: 200, errorCode: 0, success: true, connectionId: 'bare', supportAbilityNegotiation: true }, '127.0.0.1'))
const server = new grpc.Server()
server.addService(service, { request: (call: grpc.ServerUnaryCall<Buffer, Buffer>, cb: grpc.sendUnaryData<Buffer>) => cb(null, answer(decodePayload(call.request).type)) })
server.addService(stream, {
  requestBiStream: (call: grpc.ServerDuplexStream<Buffer, Buffer>) => {
    call.on('data', (b: Buffer) => {
      if (decodePayload(b).type === 'ConnectionSetupRequest') call.write(encodePayload(jsonPayload('SetupAckRequest', { headers: {}, abilityTable: {} }, '127.0.0.1')))
    })
    call.on('end', () => call.end())
    call.on('error', () => {})
  },
})
server.bindAsync(`127.0.0.1:${port}`, grpc.ServerCredentials.createInsecure(), (err) => {
  if (err) {
    console.error(err)
    process.exit(1)
  }
})
for (const s of ['SIGINT', 'SIGTERM'] as const) process.on(s, () => process.exit(0))
