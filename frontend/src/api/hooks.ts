// A thin layer of TanStack Query hooks over the generated client: one hook per thing a screen
// reads or changes. Every call throws ApiError (see client.ts), which screens show as a sentence.
import {
  keepPreviousData,
  useInfiniteQuery,
  useMutation,
  useQuery,
  useQueryClient,
} from '@tanstack/react-query';
import {
  alertsAppAppIdAlertsGet,
  createApplicationAppPost,
  deleteApplicationAppAppIdDelete,
  getApplicationAppAppIdGet,
  getUploadAppAppIdUploadsUploadIdGet,
  issueKeyAppAppIdApiKeyPost,
  listApplicationsAppsGet,
  listKeysAppAppIdApiKeysGet,
  listUploadsAppAppIdUploadsGet,
  loginAuthLoginPost,
  logoutAuthLogoutPost,
  meAuthMeGet,
  metersAppAppIdMetersGet,
  registerAuthRegisterPost,
  replaceApplicationAppAppIdPut,
  revokeKeyAppAppIdApiKeyKeyIdDelete,
  usageSummaryAppAppIdUsageSummaryGet,
  type ApplicationBody,
  type KeyRequest,
  type MeterOut,
  type PageMeterOut,
  type UploadReport,
  type UsageSummaryAppAppIdUsageSummaryGetData,
} from '../client';
import './client';
import { navigate } from '../router';
import { setToken } from './session';

const PAGE = 50;

export type Credentials = { email: string; password: string };

// Signing in moves to `next` before the token is kept: the screen that signed in is unmounted
// at once, and the console opens on `next` rather than on the list of applications.
export function useSignIn(next: string) {
  return useMutation({
    mutationFn: async (body: Credentials) => {
      const { data } = await loginAuthLoginPost({ body, throwOnError: true });
      navigate(next, { replace: true });
      setToken(data.access_token);
    },
  });
}

export function useSignUp(next: string) {
  return useMutation({
    mutationFn: async (body: Credentials) => {
      const { data } = await registerAuthRegisterPost({ body, throwOnError: true });
      navigate(next, { replace: true });
      setToken(data.access_token);
    },
  });
}

export function useSignOut() {
  const queries = useQueryClient();
  return useMutation({
    mutationFn: () => logoutAuthLogoutPost({ throwOnError: true }),
    onSettled: () => {
      setToken(null);
      queries.clear();
    },
  });
}

export function useMe() {
  return useQuery({
    queryKey: ['me'],
    queryFn: async () => (await meAuthMeGet({ throwOnError: true })).data,
  });
}

export function useApplications() {
  return useQuery({
    queryKey: ['apps'],
    queryFn: async () => (await listApplicationsAppsGet({ throwOnError: true })).data,
  });
}

export function useApplication(appId: string) {
  return useQuery({
    queryKey: ['apps', appId],
    queryFn: async () =>
      (await getApplicationAppAppIdGet({ path: { app_id: appId }, throwOnError: true })).data,
  });
}

export function useCreateApplication() {
  const queries = useQueryClient();
  return useMutation({
    mutationFn: async (body: ApplicationBody) =>
      (await createApplicationAppPost({ body, throwOnError: true })).data,
    onSuccess: (app) => {
      queries.setQueryData(['apps', app.id], app);
      return queries.invalidateQueries({ queryKey: ['apps'], exact: true });
    },
  });
}

export function useReplaceApplication(appId: string) {
  const queries = useQueryClient();
  return useMutation({
    mutationFn: async (body: ApplicationBody) =>
      (await replaceApplicationAppAppIdPut({ path: { app_id: appId }, body, throwOnError: true }))
        .data,
    onSuccess: (app) => {
      queries.setQueryData(['apps', appId], app);
      return queries.invalidateQueries({ queryKey: ['apps'], exact: true });
    },
  });
}

export function useDeleteApplication(appId: string) {
  const queries = useQueryClient();
  return useMutation({
    mutationFn: () =>
      deleteApplicationAppAppIdDelete({ path: { app_id: appId }, throwOnError: true }),
    onSuccess: () => {
      queries.removeQueries({ queryKey: ['apps', appId] });
      return queries.invalidateQueries({ queryKey: ['apps'], exact: true });
    },
  });
}

export function useKeys(appId: string) {
  return useQuery({
    queryKey: ['apps', appId, 'keys'],
    queryFn: async () =>
      (await listKeysAppAppIdApiKeysGet({ path: { app_id: appId }, throwOnError: true })).data,
  });
}

export function useIssueKey(appId: string) {
  const queries = useQueryClient();
  return useMutation({
    mutationFn: async (body: KeyRequest) =>
      (await issueKeyAppAppIdApiKeyPost({ path: { app_id: appId }, body, throwOnError: true }))
        .data,
    onSuccess: () => queries.invalidateQueries({ queryKey: ['apps', appId, 'keys'] }),
  });
}

export function useRevokeKey(appId: string) {
  const queries = useQueryClient();
  return useMutation({
    mutationFn: (keyId: string) =>
      revokeKeyAppAppIdApiKeyKeyIdDelete({
        path: { app_id: appId, key_id: keyId },
        throwOnError: true,
      }),
    onSuccess: () => queries.invalidateQueries({ queryKey: ['apps', appId, 'keys'] }),
  });
}

const isFinished = (report: UploadReport) =>
  report.status === 'completed' || report.status === 'failed';

/** One upload's report, asked again every second until it is completed or failed. */
export function useUploadReport(appId: string, first: UploadReport) {
  return useQuery({
    queryKey: ['apps', appId, 'uploads', first.upload_id],
    queryFn: async () =>
      (
        await getUploadAppAppIdUploadsUploadIdGet({
          path: { app_id: appId, upload_id: first.upload_id },
          throwOnError: true,
        })
      ).data,
    initialData: first,
    refetchInterval: (query) => (query.state.data && isFinished(query.state.data) ? false : 1000),
  });
}

/** A list the API pages with `next_cursor`, fetched a page at a time. */
function usePages<Page extends { next_cursor: string | null }>(
  queryKey: readonly unknown[],
  fetchPage: (cursor: string | null) => Promise<Page>,
) {
  return useInfiniteQuery({
    queryKey,
    queryFn: ({ pageParam }) => fetchPage(pageParam),
    initialPageParam: null as string | null,
    getNextPageParam: (page: Page) => page.next_cursor,
  });
}

export function useUploads(appId: string) {
  return usePages(['apps', appId, 'uploads'], async (cursor) => {
    const options = { path: { app_id: appId }, query: { limit: PAGE, cursor } };
    return (await listUploadsAppAppIdUploadsGet({ ...options, throwOnError: true })).data;
  });
}

export function useAlerts(appId: string) {
  return usePages(['apps', appId, 'alerts'], async (cursor) => {
    const options = { path: { app_id: appId }, query: { limit: PAGE, cursor } };
    return (await alertsAppAppIdAlertsGet({ ...options, throwOnError: true })).data;
  });
}

export type Interval = UsageSummaryAppAppIdUsageSummaryGetData['query']['interval'];
type SummaryQuery = UsageSummaryAppAppIdUsageSummaryGetData['query'];

/** Every meter of the application, by meter_id (all pages). */
export function useMeters(appId: string) {
  return useQuery({
    queryKey: ['apps', appId, 'meters'],
    queryFn: async () => {
      const meters: MeterOut[] = [];
      let cursor: string | null = null;
      do {
        const { data }: { data: PageMeterOut } = await metersAppAppIdMetersGet({
          path: { app_id: appId },
          query: { limit: 1000, cursor },
          throwOnError: true,
        });
        meters.push(...data.items);
        cursor = data.next_cursor;
      } while (cursor);
      return meters;
    },
  });
}

export function useUsageSummary(appId: string, query: SummaryQuery) {
  return useQuery({
    queryKey: ['apps', appId, 'summary', query],
    queryFn: async () =>
      (
        await usageSummaryAppAppIdUsageSummaryGet({
          path: { app_id: appId },
          query,
          throwOnError: true,
        })
      ).data,
    placeholderData: keepPreviousData,
  });
}
