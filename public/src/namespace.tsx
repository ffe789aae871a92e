import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react'
import { api } from './api'
import { useSessionState } from './session'

/** One namespace as the header's selector lists it. */
export interface NamespaceOption {
  id: string
  name: string
}

/** The namespace chosen in the header ('' = public) and the known namespaces. */
export interface NamespaceState {
  namespace: string
  namespaces: NamespaceOption[]
  setNamespace(id: string): void
  reload(): void
}

const NS_KEY = 'bnacos.namespace'

const NamespaceContext = createContext<NamespaceState>({ namespace: '', namespaces: [], setNamespace: () => {}, reload: () => {} })

/** Loads the namespaces once signed in and remembers the chosen one. */
export function NamespaceProvider({ children }: { children: ReactNode }) {
  const { user } = useSessionState()
  const [namespace, setNs] = useState(() => localStorage.getItem(NS_KEY) ?? '')
  const [namespaces, setNamespaces] = useState<NamespaceOption[]>([{ id: '', name: 'public' }])
  const [tick, setTick] = useState(0)
  const reload = useCallback(() => setTick((t) => t + 1), [])
  const setNamespace = useCallback((id: string) => {
    localStorage.setItem(NS_KEY, id)
    setNs(id)
  }, [])
  useEffect(() => {
    if (!user) return
    let live = true
    api
      .get<{ data?: { namespace: string; namespaceShowName: string }[] }>('v1/console/namespaces')
      .then((r) => {
        if (!live) return
        const list = (r.data ?? []).map((n) => ({ id: n.namespace ?? '', name: n.namespaceShowName || n.namespace || 'public' }))
        setNamespaces(list.length ? list : [{ id: '', name: 'public' }])
        if (!list.some((n) => n.id === namespace)) setNamespace('')
      })
      .catch(() => {})
    return () => {
      live = false
    }
  }, [user, tick])
  return <NamespaceContext.Provider value={{ namespace, namespaces, setNamespace, reload }}>{children}</NamespaceContext.Provider>
}

/** The namespace chosen in the shell header and the list of namespaces. */
export function useNamespace(): NamespaceState {
  return useContext(NamespaceContext)
}
