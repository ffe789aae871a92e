// Builds the single `bnacos` executable with `bun build --compile`: migrations and the web console are
// embedded, so the binary runs from an empty directory. `--target` picks another platform, e.g.
// `bun scripts/build.ts --target bun-linux-arm64` or `bun-darwin-arm64`.
import { $ } from 'bun'

const args = process.argv.slice(2)
const ti = args.indexOf('--target')
const target = ti >= 0 ? args[ti + 1] : undefined
const out = target ? `dist/bnacos-${target.replace(/^bun-/, '')}` : 'dist/bnacos'
await $`bun scripts/embed-migrations.ts`
// The console is bundled to dist/console and src/console/embedded.ts temporarily imports each file.
await $`bun scripts/build-console.ts --embed`
try {
  // No identifier mangling (plain --minify): Elysia reads its handlers' source to decide what each route parses,
  // and with renamed parameters it parses query, headers and body for every request — 33k vs 48k config reads/s.
  await $`bun build src/main.ts --compile --minify-syntax --minify-whitespace ${target ? ['--target', target] : []} --outfile ${out}`
} finally {
  await $`bun scripts/build-console.ts --restore`
}
console.log(`built ${out}`)
