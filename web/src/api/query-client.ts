import { QueryCache, QueryClient } from '@tanstack/react-query';
import { ApiError, ApiUnreachableError } from './client';

/**
 * Server state: one hook per read (crisis/crisis-queries.ts, session/session-queries.ts).
 * A refusal of the API is an answer, not retried; an unreachable API is tried once more.
 */
export const queryClient: QueryClient = new QueryClient({
  // A read refused for want of a session (it ended, or was ended elsewhere): the session is read
  // again, and the pages behind it send the user to sign in.
  queryCache: new QueryCache({
    onError: (error, query) => {
      if (error instanceof ApiError && error.status === 401 && query.queryKey[0] !== 'session') void queryClient.invalidateQueries({ queryKey: ['session'] });
    },
  }),
  defaultOptions: {
    queries: {
      retry: (failures, error) => error instanceof ApiUnreachableError && failures < 1,
      staleTime: 0,
    },
    mutations: { retry: false },
  },
});
