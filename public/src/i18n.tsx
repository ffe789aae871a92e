import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react'

/** The console's languages. */
export type Lang = 'en' | 'zh'

const LANG_KEY = 'bnacos.lang'

function initialLang(): Lang {
  const saved = localStorage.getItem(LANG_KEY)
  if (saved === 'en' || saved === 'zh') return saved
  return navigator.language?.toLowerCase().startsWith('zh') ? 'zh' : 'en'
}

const LangContext = createContext<[Lang, (lang: Lang) => void]>(['en', () => {}])

/** Holds the chosen language (remembered in localStorage). */
export function LangProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(initialLang)
  const setLang = useCallback((l: Lang) => {
    localStorage.setItem(LANG_KEY, l)
    setLangState(l)
  }, [])
  useEffect(() => {
    document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en'
    document.title = lang === 'zh' ? 'bnacos 控制台' : 'bnacos console'
  }, [lang])
  return <LangContext.Provider value={[lang, setLang]}>{children}</LangContext.Provider>
}

/** The current language and its setter. */
export function useLang(): ['en' | 'zh', (lang: 'en' | 'zh') => void] {
  return useContext(LangContext)
}

/** Fills `{name}` placeholders. */
export function format(text: string, vars?: Record<string, string | number>): string {
  if (!vars) return text
  return text.replace(/\{(\w+)\}/g, (m, k: string) => (k in vars ? String(vars[k]) : m))
}

/** A translator over a page's own messages; falls back to English, then to the key. */
export function useT<M extends Record<string, string>>(messages: { en: M; zh: M }): (key: keyof M & string, vars?: Record<string, string | number>) => string {
  const [lang] = useLang()
  return useCallback(
    (key: keyof M & string, vars?: Record<string, string | number>) => format(messages[lang]?.[key] ?? messages.en[key] ?? key, vars),
    [lang, messages],
  )
}
