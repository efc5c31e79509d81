import type { UseQueryResult } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { formatTime } from './dates';
import { ApiProblem } from './ApiProblem';

/**
 * A server read on screen: « Chargement… » while it comes, the problem in its place when it
 * fails (even when an earlier answer is in the cache), and the time of the answer shown.
 */
export function QueryState<T>({ query, children }: { query: UseQueryResult<T>; children: (data: T) => ReactNode }) {
  if (query.isError) return <ApiProblem error={query.error} retry={() => void query.refetch()} />;
  if (query.isPending) return <p role="status">Chargement…</p>;
  return (
    <>
      {children(query.data)}
      <p className="fr-text--xs fr-mt-2w" role="status">
        {query.isFetching ? 'Mise à jour…' : `À jour à ${formatTime(query.dataUpdatedAt)}`}
      </p>
    </>
  );
}
