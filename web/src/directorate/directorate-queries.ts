import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, call, type Schemas } from '../api/client';

export type Convention = Schemas['ConventionResponse'];
export type ConventionVersion = Schemas['ConventionVersionResponse'];
export type DraftConvention = Schemas['DraftConventionRequest'];
export type ConventionTerms = Schemas['UpdateConventionRequest'];
export type HistoryFigures = Schemas['HistoryFiguresResponse'];

const CONVENTIONS = ['conventions'] as const;

export function useDirectorateConventions(directorateCode: string | null) {
  return useQuery({
    queryKey: [...CONVENTIONS, 'directorate', directorateCode],
    queryFn: () => call(api.GET('/api/v1/conventions', { params: { query: { pageSize: 100, ...(directorateCode ? { directorateCode } : {}) } } })),
  });
}

export function useConvention(id: string) {
  return useQuery({ queryKey: [...CONVENTIONS, 'one', id], queryFn: () => call(api.GET('/api/v1/conventions/{id}', { params: { path: { id } } })) });
}

export function useConventionVersions(id: string) {
  return useQuery({
    queryKey: [...CONVENTIONS, 'versions', id],
    queryFn: () => call(api.GET('/api/v1/conventions/{id}/versions', { params: { path: { id } } })),
  });
}

export function useConventionCalendar(days: number) {
  return useQuery({
    queryKey: [...CONVENTIONS, 'calendar', days],
    queryFn: () => call(api.GET('/api/v1/conventions/calendar', { params: { query: { days } } })),
  });
}

export function useDirectorateReport(code: string) {
  return useQuery({
    queryKey: ['reports', 'directorate', code],
    queryFn: () => call(api.GET('/api/v1/reports/directorates/{code}', { params: { path: { code } } })),
  });
}

/** The members a directorate may see, to draft a convention with one of them. */
export function useVisibleMembers() {
  return useQuery({ queryKey: ['members', 'visible'], queryFn: () => call(api.GET('/api/v1/members', { params: { query: { pageSize: 200 } } })) });
}

export function useMemberAssets(memberId: string) {
  return useQuery({
    queryKey: ['assets', memberId],
    enabled: memberId !== '',
    queryFn: () => call(api.GET('/api/v1/assets', { params: { query: { pageSize: 200, sort: 'name', order: 'asc', memberId } } })),
  });
}

export function useDraftConvention() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: DraftConvention) => call(api.POST('/api/v1/conventions', { body })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: CONVENTIONS }),
  });
}

export function useUpdateConvention(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: ConventionTerms) => call(api.PATCH('/api/v1/conventions/{id}', { params: { path: { id } }, body })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: CONVENTIONS }),
  });
}

export type ConventionAction = 'propose' | 'countersign' | 'suspend' | 'resume' | 'renew' | 'amend' | 'terminate';

/** One of the directorate's actions on a convention; amending answers the new draft version. */
export function useDirectorateAction(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ action, reason }: { action: ConventionAction; reason?: string }): Promise<Convention> => {
      const path = { params: { path: { id } } };
      const body = (reason ? { reason } : {}) as never;
      switch (action) {
        case 'propose':
          return call(api.POST('/api/v1/conventions/{id}/propose', { ...path, body })) as Promise<Convention>;
        case 'countersign':
          return call(api.POST('/api/v1/conventions/{id}/countersign', { ...path, body })) as Promise<Convention>;
        case 'suspend':
          return call(api.POST('/api/v1/conventions/{id}/suspend', { ...path, body })) as Promise<Convention>;
        case 'resume':
          return call(api.POST('/api/v1/conventions/{id}/resume', { ...path, body })) as Promise<Convention>;
        case 'renew':
          return call(api.POST('/api/v1/conventions/{id}/renew', path)) as Promise<Convention>;
        case 'amend':
          return call(api.POST('/api/v1/conventions/{id}/amend', path)) as Promise<Convention>;
        case 'terminate':
          return call(api.POST('/api/v1/conventions/{id}/terminate', { ...path, body })) as Promise<Convention>;
      }
    },
    onSuccess: () => queryClient.invalidateQueries({ queryKey: CONVENTIONS }),
  });
}
