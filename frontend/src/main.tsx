import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { RouterProvider } from '@tanstack/react-router';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import './api/client';
import { ApiError, codeOf } from './api/errors';
import { getToken, onSessionChange, sessionEndedBecause } from './api/session';
import { createConsoleRouter } from './router';
import './styles.css';

const queries = new QueryClient({
  defaultOptions: {
    queries: {
      // Asking again helps only without an answer or while the server is briefly short of
      // capacity; a refusal is the same the second time.
      retry: (failures, error) => {
        const code = codeOf(error);
        return failures < 2 && (code === null || code === 'busy' || code === 'storage_unavailable');
      },
      refetchOnWindowFocus: false,
    },
  },
});
const router = createConsoleRouter(queries);

// A session that ends opens sign-in: after a log out afresh, after a token the API refused
// back on this page once signed in again. The old operator's data goes once off screen.
onSessionChange(() => {
  if (getToken()) return;
  const here = sessionEndedBecause() ? router.latestLocation.href : undefined;
  void router
    .navigate({ to: '/sign-in', search: { redirect: here }, replace: true })
    .then(() => queries.clear());
});

// A screen that did not open shows the request's sentence (RouteProblem): that is no fault of
// the console's to log, unlike every other error a boundary catches.
const root = createRoot(document.getElementById('root')!, {
  onCaughtError: (error, { componentStack }) => {
    if (!(error instanceof ApiError)) console.error(error, componentStack);
  },
});
root.render(
  <StrictMode>
    <QueryClientProvider client={queries}>
      <RouterProvider router={router} />
    </QueryClientProvider>
  </StrictMode>,
);
