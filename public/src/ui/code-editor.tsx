import { html } from '@codemirror/lang-html'
import { json } from '@codemirror/lang-json'
import { xml } from '@codemirror/lang-xml'
import { yaml } from '@codemirror/lang-yaml'
import { StreamLanguage } from '@codemirror/language'
import { properties } from '@codemirror/legacy-modes/mode/properties'
import { toml } from '@codemirror/legacy-modes/mode/toml'
import { linter, lintGutter, type Diagnostic } from '@codemirror/lint'
import type { Extension } from '@codemirror/state'
import CodeMirror, { type EditorView } from '@uiw/react-codemirror'
import { useMemo } from 'react'
import { validateContent } from './validate'

/** CodeMirror's language support for a config type (none for text). */
export function languageOf(type: string): Extension[] {
  switch (type) {
    case 'json':
      return [json()]
    case 'yaml':
      return [yaml()]
    case 'xml':
      return [xml()]
    case 'html':
      return [html()]
    case 'properties':
      return [StreamLanguage.define(properties)]
    case 'toml':
      return [StreamLanguage.define(toml)]
    default:
      return []
  }
}

/** Marks the first problem validateContent finds, so the editor shows it as the user types. */
function contentLinter(type: string): Extension {
  return linter((view) => {
    const text = view.state.doc.toString()
    const problem = validateContent(type, text)
    if (!problem) return []
    const line = view.state.doc.line(Math.min(Math.max(problem.line, 1), view.state.doc.lines))
    const from = Math.min(line.from + Math.max(problem.column - 1, 0), line.to)
    const d: Diagnostic = { from, to: Math.max(from, line.to), severity: 'error', message: problem.message }
    return [d]
  }, { delay: 400 })
}

/** A CodeMirror 6 editor with highlighting and live validation for a config type. */
export function CodeEditor({ value, onChange, onView, type, height = '420px', readOnly }: { value: string; onChange?(v: string): void; onView?(view: EditorView): void; type: string; height?: string; readOnly?: boolean }) {
  const extensions = useMemo(() => [...languageOf(type), ...(readOnly ? [] : [contentLinter(type), lintGutter()])], [type, readOnly])
  return (
    <div className="config-editor" style={{ border: '1px solid #d9d9d9', borderRadius: 6, overflow: 'hidden' }}>
      <CodeMirror value={value} onChange={onChange} height={height} extensions={extensions} readOnly={readOnly} onCreateEditor={onView} basicSetup={{ foldGutter: true, highlightActiveLine: !readOnly }} />
    </div>
  )
}
