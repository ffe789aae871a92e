import { Spin } from 'antd'
import { lazy, Suspense, type ComponentType, type LazyExoticComponent } from 'react'
import { createHashRouter, Navigate, useLocation, type RouteObject } from 'react-router'
import LoginPage from './pages/login'
import { Shell } from './shell'

/** Each page is its own chunk, loaded when first opened. */
const pages: Record<string, LazyExoticComponent<ComponentType>> = {
  configs: lazy(() => import('./pages/configs')),
  'configs/edit': lazy(() => import('./pages/config-edit')),
  'configs/history': lazy(() => import('./pages/config-history')),
  'configs/listeners': lazy(() => import('./pages/config-listeners')),
  namespaces: lazy(() => import('./pages/namespaces')),
  services: lazy(() => import('./pages/services')),
  'services/detail': lazy(() => import('./pages/service-detail')),
  'services/subscribers': lazy(() => import('./pages/subscribers')),
  cluster: lazy(() => import('./pages/cluster')),
  users: lazy(() => import('./pages/users')),
  roles: lazy(() => import('./pages/roles')),
  permissions: lazy(() => import('./pages/permissions')),
  audit: lazy(() => import('./pages/audit')),
}

function Loading() {
  return <Spin style={{ display: 'block', margin: '64px auto' }} />
}

/** A page starts afresh when its query changes (e.g. from editing one config to creating a new one). */
function Fresh({ Page }: { Page: LazyExoticComponent<ComponentType> }) {
  const { search } = useLocation()
  return <Page key={search} />
}

const children: RouteObject[] = Object.entries(pages).map(([path, Page]) => ({
  path,
  element: (
    <Suspense fallback={<Loading />}>
      <Fresh Page={Page} />
    </Suspense>
  ),
}))

/** The console's routes (hash routing, so it works behind a proxy on any sub-path). */
export const router = createHashRouter([
  { path: '/login', element: <LoginPage /> },
  { path: '/', element: <Shell />, children: [{ index: true, element: <Navigate to="/configs" replace /> }, ...children, { path: '*', element: <Navigate to="/configs" replace /> }] },
])
