/** `bnacos health`: exit 0 when the local server's readiness answers 200 (container health checks). */
export async function probeReadiness(port: number): Promise<number> {
  try {
    const r = await fetch(`http://127.0.0.1:${port}/nacos/v1/console/health/readiness`, { signal: AbortSignal.timeout(2000) })
    console.log(r.status === 200 ? 'ready' : `not ready: ${await r.text()}`)
    return r.status === 200 ? 0 : 1
  } catch (e) {
    console.log(`not reachable: ${e instanceof Error ? e.message : String(e)}`)
    return 1
  }
}
