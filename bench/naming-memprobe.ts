// Preloaded into bnacos by bench/naming.ts (`bun --preload bench/naming-memprobe.ts src/main.ts`) to see where its
// memory goes without touching src/: on SIGUSR2 it writes, to the file named by BNACOS_BENCH_MEMPROBE, the process's
// memory use before and after a full GC and the JavaScriptCore heap statistics (largest object types by count), and
// with BNACOS_BENCH_HEAPSNAP=1 a V8-format heap snapshot to `<file>.heapsnapshot`.
import { heapStats } from 'bun:jsc'

const file = process.env.BNACOS_BENCH_MEMPROBE
if (file) {
  process.on('SIGUSR2', () => {
    const mb = (n: number) => Math.round((n / 2 ** 20) * 10) / 10
    const usage = () => Object.fromEntries(Object.entries(process.memoryUsage()).map(([k, v]) => [k, mb(v)]))
    const before = usage()
    Bun.gc(true)
    const after = usage()
    const h = heapStats()
    const top = Object.entries(h.objectTypeCounts).sort((a, b) => b[1] - a[1]).slice(0, 25)
    // Optional: a V8-format heap snapshot next to it, for finding what retains memory (`BNACOS_BENCH_HEAPSNAP=1`).
    if (process.env.BNACOS_BENCH_HEAPSNAP) Bun.write(`${file}.heapsnapshot`, Bun.generateHeapSnapshot('v8'))
    Bun.write(file, JSON.stringify({ before, afterFullGc: after, heapSizeMB: mb(h.heapSize), heapCapacityMB: mb(h.heapCapacity), extraMemoryMB: mb(h.extraMemorySize), objectCount: h.objectCount, protectedObjectCount: h.protectedObjectCount, top }))
  })
}
