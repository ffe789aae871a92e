import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react'
import { getToken, setSignedOutHandler, setToken } from './api'

/** Who is signed in, as the login answer said. */
export interface Session {
  username: string
  isAdmin: boolean
  logout(): void
}

const USER_KEY = 'bnacos.user'

interface Stored {
  username: string
  isAdmin: boolean
}

function readStored(): Stored | null {
  if (!getToken()) return null
  try {
    const s = JSON.parse(localStorage.getItem(USER_KEY) ?? 'null') as Stored | null
    return s && typeof s.username === 'string' ? s : null
  } catch {
    return null
  }
}

interface SessionState {
  user: Stored | null
  signIn(token: string, user: Stored): void
  logout(): void
}

const SessionContext = createContext<SessionState>({ user: null, signIn: () => {}, logout: () => {} })

/** Keeps the signed-in user; the API layer calls back here when the server says the token is gone. */
export function SessionProvider({ children }: { children: ReactNode }) {
  const [user, setUser] = useState<Stored | null>(readStored)
  const logout = useCallback(() => {
    setToken('')
    localStorage.removeItem(USER_KEY)
    setUser(null)
    location.hash = '#/login'
  }, [])
  const signIn = useCallback((token: string, u: Stored) => {
    setToken(token)
    localStorage.setItem(USER_KEY, JSON.stringify(u))
    setUser(u)
  }, [])
  useEffect(() => {
    setSignedOutHandler(() => {
      localStorage.removeItem(USER_KEY)
      setUser(null)
      if (!location.hash.startsWith('#/login')) location.hash = '#/login'
    })
  }, [])
  return <SessionContext.Provider value={{ user, signIn, logout }}>{children}</SessionContext.Provider>
}

/** The signed-in user (username '' when signed out) and logout. */
export function useSession(): Session {
  const { user, logout } = useContext(SessionContext)
  return { username: user?.username ?? '', isAdmin: !!user?.isAdmin, logout }
}

/** For the login page and the route guard: the raw state and signIn. */
export function useSessionState(): SessionState {
  return useContext(SessionContext)
}
