import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, call, type Schemas } from '../api/client';

const CRISES = ['crises'] as const;

/** Crises in one status, most recently opened first (the list shows the open ones first). */
export function useCrises(status: 'OPEN' | 'CLOSED') {
  return useQuery({
    queryKey: [...CRISES, 'list', status],
    queryFn: () => call(api.GET('/api/v1/crises', { params: { query: { status, pageSize: 100 } } })),
  });
}

/** One crisis and its activations. */
export function useCrisis(id: string) {
  return useQuery({ queryKey: [...CRISES, 'one', id], queryFn: () => call(api.GET('/api/v1/crises/{id}', { params: { path: { id } } })) });
}

export function useOpenCrisis() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: Schemas['OpenCrisisRequest']) => call(api.POST('/api/v1/crises', { body })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: CRISES }),
  });
}

export function useCloseCrisis(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => call(api.POST('/api/v1/crises/{id}/close', { params: { path: { id } } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: CRISES }),
  });
}
