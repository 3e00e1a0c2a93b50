// The console's screens by URL, under /console (the server answers every /console/... path with
// index.html). The screens past sign-in need a session: without one, or with a token the API no
// longer takes, the console opens sign-in and comes back to the page asked for.
import type { QueryClient } from '@tanstack/react-query';
import {
  createRootRouteWithContext,
  createRoute,
  createRouter,
  redirect,
} from '@tanstack/react-router';
import type { ReactNode } from 'react';
import { App, RouteProblem } from './App';
import { getToken } from './api/session';
import { appsGetOptions, authMeOptions } from './client/@tanstack/react-query.gen';
import { Alerts } from './screens/Alerts';
import { Application, ApplicationProblem } from './screens/Application';
import { Applications } from './screens/Applications';
import { Audit } from './screens/Audit';
import { Keys } from './screens/Keys';
import { NewApplication } from './screens/NewApplication';
import { NotFound } from './screens/NotFound';
import { Settings } from './screens/Settings';
import { SignIn, SignUp } from './screens/SignIn';
import { Upload } from './screens/Upload';
import { Uploads } from './screens/Uploads';
import { Usage, usageSearch } from './screens/Usage';

const root = createRootRouteWithContext<{ queries: QueryClient }>()({
  component: App,
  notFoundComponent: NotFound,
  errorComponent: RouteProblem,
});

const home = createRoute({
  getParentRoute: () => root,
  path: '/',
  beforeLoad: () => {
    throw redirect({ to: '/apps' });
  },
});

/** A path of this console to return to; never another site's (`//elsewhere.example`). */
function internalPath(value: unknown): string | undefined {
  return typeof value === 'string' && /^\/(?![/\\])/.test(value) ? value : undefined;
}

const signIn = createRoute({
  getParentRoute: () => root,
  path: 'sign-in',
  // Said even when undefined: a key left out would keep the URL's value.
  validateSearch: (search: Record<string, unknown>): { redirect?: string } => ({
    redirect: internalPath(search.redirect),
  }),
  beforeLoad: ({ search }) => {
    if (getToken()) throw redirect({ href: search.redirect ?? '/apps' });
  },
  component: SignIn,
});

const signUp = createRoute({
  getParentRoute: () => root,
  path: 'sign-up',
  beforeLoad: () => {
    if (getToken()) throw redirect({ to: '/apps' });
  },
  component: SignUp,
});

const signedIn = createRoute({
  getParentRoute: () => root,
  id: 'signed-in',
  beforeLoad: async ({ context, location }) => {
    const toSignIn = redirect({ to: '/sign-in', search: { redirect: location.href } });
    if (!getToken()) throw toSignIn;
    // A forged or expired token ends the session here (api/client.ts), before a screen asks.
    await context.queries.ensureQueryData(authMeOptions()).catch((error: unknown) => {
      throw getToken() ? error : toSignIn;
    });
  },
});

const applications = createRoute({
  getParentRoute: () => signedIn,
  path: 'apps',
  component: Applications,
});

const newApplication = createRoute({
  getParentRoute: () => signedIn,
  path: 'apps/new',
  component: NewApplication,
});

const application = createRoute({
  getParentRoute: () => signedIn,
  path: 'apps/$appId',
  loader: ({ context, params }) =>
    context.queries.ensureQueryData(appsGetOptions({ path: { app_id: params.appId } })),
  component: Application,
  errorComponent: ApplicationProblem,
});

const tab = <Path extends string>(path: Path, component: () => ReactNode) =>
  createRoute({ getParentRoute: () => application, path, component });

const applicationTabs = [
  createRoute({
    getParentRoute: () => application,
    path: '/',
    beforeLoad: ({ params }) => {
      throw redirect({ to: '/apps/$appId/keys', params });
    },
  }),
  tab('keys', Keys),
  tab('audit', Audit),
  tab('upload', Upload),
  createRoute({
    getParentRoute: () => application,
    path: 'usage',
    validateSearch: usageSearch,
    component: Usage,
  }),
  tab('alerts', Alerts),
  tab('uploads', Uploads),
  tab('settings', Settings),
] as const;

const routeTree = root.addChildren([
  home,
  signIn,
  signUp,
  signedIn.addChildren([applications, newApplication, application.addChildren(applicationTabs)]),
]);

export function createConsoleRouter(queries: QueryClient) {
  const basepath = import.meta.env.BASE_URL.replace(/\/$/, ''); // vite.config.ts: /console/
  return createRouter({ routeTree, basepath, context: { queries } });
}

declare module '@tanstack/react-router' {
  interface Register {
    router: ReturnType<typeof createConsoleRouter>;
  }
}
