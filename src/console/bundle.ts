import { readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'

/** One file of the built console: its path under /nacos/ (e.g. `assets/main-1a2b.js`) and its bytes. */
export interface ConsoleFile {
  path: string
  body: Blob
}

/** Where the console's source lives (public/ at the project root). */
export const consoleSourceDir = join(import.meta.dir, '..', '..', 'public')

/** The hashed-name pattern of built assets: long-cacheable, since a change gives a new name. */
const naming = 'assets/[name]-[hash].[ext]'

/**
 * Bundles the single-page app with Bun (minified, code-split per page) and writes index.html pointing at the
 * entry with relative URLs, so the console works under any path prefix. Throws with Bun's log on failure.
 */
export async function bundleConsole(): Promise<ConsoleFile[]> {
  const result = await Bun.build({
    entrypoints: [join(consoleSourceDir, 'src', 'main.tsx')],
    target: 'browser',
    format: 'esm',
    minify: true,
    splitting: true,
    sourcemap: 'none',
    naming: { entry: naming, chunk: naming, asset: naming },
    define: { 'process.env.NODE_ENV': '"production"' },
    tsconfig: join(consoleSourceDir, 'tsconfig.json'),
  } as Parameters<typeof Bun.build>[0])
  if (!result.success) throw new Error(`console build failed:\n${result.logs.map(String).join('\n')}`)
  const files: ConsoleFile[] = []
  const tags: string[] = []
  for (const out of result.outputs) {
    const path = out.path.replace(/^\.?\//, '')
    files.push({ path, body: out })
    if (out.kind === 'entry-point' && path.endsWith('.js')) tags.push(`<script type="module" src="./${path}"></script>`)
    else if (path.endsWith('.css')) tags.push(`<link rel="stylesheet" href="./${path}">`)
  }
  const template = await Bun.file(join(consoleSourceDir, 'index.html')).text()
  const html = template.replace('<!--bnacos:scripts-->', tags.join('\n    '))
  files.push({ path: 'index.html', body: new Blob([html], { type: 'text/html;charset=utf-8' }) })
  return files
}

/** The newest modification time under public/ (0 when it is absent): tells a running server its bundle is stale. */
export function consoleSourceStamp(): number {
  let newest = 0
  try {
    for (const name of readdirSync(consoleSourceDir, { recursive: true }) as string[]) newest = Math.max(newest, statSync(join(consoleSourceDir, name)).mtimeMs)
  } catch {
    return 0
  }
  return newest
}
