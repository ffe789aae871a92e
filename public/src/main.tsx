import { App as AntApp, ConfigProvider } from 'antd'
import enUS from 'antd/locale/en_US'
import zhCN from 'antd/locale/zh_CN'
import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { RouterProvider } from 'react-router'
import { LangProvider, useLang } from './i18n'
import { NamespaceProvider } from './namespace'
import { router } from './routes'
import { SessionProvider } from './session'

/** antd's locale follows the console's language switch. */
function Themed() {
  const [lang] = useLang()
  return (
    <ConfigProvider locale={lang === 'zh' ? zhCN : enUS} theme={{ token: { colorPrimary: '#1677ff', borderRadius: 6 } }}>
      <AntApp style={{ height: '100%' }}>
        <SessionProvider>
          <NamespaceProvider>
            <RouterProvider router={router} />
          </NamespaceProvider>
        </SessionProvider>
      </AntApp>
    </ConfigProvider>
  )
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <LangProvider>
      <Themed />
    </LangProvider>
  </StrictMode>,
)
