import { MergeView } from '@codemirror/merge'
import { EditorState } from '@codemirror/state'
import { EditorView, lineNumbers } from '@codemirror/view'
import { useEffect, useRef } from 'react'
import { languageOf } from './code-editor'

/** A read-only side-by-side diff (CodeMirror's MergeView): `left` is the old text, `right` the new one. */
export function DiffView({ left, right, type, height = 480 }: { left: string; right: string; type: string; height?: number }) {
  const host = useRef<HTMLDivElement>(null)
  useEffect(() => {
    if (!host.current) return
    const ext = [lineNumbers(), EditorView.editable.of(false), EditorState.readOnly.of(true), EditorView.lineWrapping, ...languageOf(type)]
    const view = new MergeView({ a: { doc: left, extensions: ext }, b: { doc: right, extensions: ext }, parent: host.current, collapseUnchanged: { margin: 3, minSize: 6 }, gutter: true })
    return () => view.destroy()
  }, [left, right, type])
  return <div id="diff-view" ref={host} style={{ border: '1px solid #d9d9d9', borderRadius: 6, maxHeight: height, overflow: 'auto' }} />
}
