import { useMutation, useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, call, type Schemas } from '../api/client';
import { SESSION_KEY } from '../session/session-queries';

export type Activation = Schemas['ActivationProgressResponse'];
export type Preview = Schemas['ActivationPreviewResponse'];
export type Board = Schemas['ActivationBoardResponse'];
export type Report = Schemas['ActivationReportResponse'];
export type EligibleAsset = Schemas['EligibleAssetResponse'];

const ACTIVATIONS = ['activations'] as const;

/** One activation, its requirements and its progress. */
export function useActivation(id: string) {
  return useQuery({ queryKey: [...ACTIVATIONS, id], queryFn: () => call(api.GET('/api/v1/activations/{id}', { params: { path: { id } } })) });
}

/** The dry run of the fan-out: what authorizing now would ask of whom. */
export function usePreview(id: string, enabled = true) {
  return useQuery({
    queryKey: [...ACTIVATIONS, id, 'preview'],
    queryFn: () => call(api.GET('/api/v1/activations/{id}/preview', { params: { path: { id } } })),
    enabled,
  });
}

/** The board's read model; `asOfSequence` says where its event stream resumes. */
export function useBoard(id: string) {
  return useQuery({ queryKey: [...ACTIVATIONS, id, 'board'], queryFn: () => call(api.GET('/api/v1/activations/{id}/board', { params: { path: { id } } })) });
}

export function useReport(id: string) {
  // JSON unless CSV is asked for: the console asks for JSON.
  return useQuery({
    queryKey: [...ACTIVATIONS, id, 'report'],
    queryFn: async () => (await call(api.GET('/api/v1/activations/{id}/report', { params: { path: { id }, query: { format: 'json' } } }))) as Report,
  });
}

export function useEdxlRmMessages(id: string) {
  return useQuery({
    queryKey: [...ACTIVATIONS, id, 'edxl-rm'],
    queryFn: () => call(api.GET('/api/v1/activations/{id}/edxl-rm/messages', { params: { path: { id } } })),
  });
}

/** The categories of means (drones, secure telecoms...), which change rarely. */
export function useCategories() {
  return useQuery({ queryKey: ['categories'], queryFn: () => call(api.GET('/api/v1/categories')), staleTime: 5 * 60_000 });
}

/** A category's name as the registry gives it (its code until the categories are read). */
export function useCategoryName(): (code: string) => string {
  const categories = useCategories().data;
  return (code) => categories?.find((category) => category.code === code)?.label ?? code;
}

export interface EligibilityAsked {
  category: string;
  departements: string[];
}

/**
 * Before the activation exists, what each requirement would find: the assets mobilizable now for
 * the crisis's type, in its départements (the same rule the dry run of a prepared activation applies).
 */
export function useEligibility(crisisType: Schemas['CrisisResponse']['type'], asked: EligibilityAsked[]) {
  return useQueries({
    queries: asked.map(({ category, departements }) => ({
      queryKey: ['eligible-assets', crisisType, category, [...departements].sort().join(',')],
      queryFn: () =>
        call(api.GET('/api/v1/eligible-assets', { params: { query: { crisisType, categories: category, departements: departements.join(',') } } })),
      enabled: category !== '' && departements.length > 0,
    })),
  });
}

export function usePrepareActivation(crisisId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: Schemas['PrepareActivationRequest']) => call(api.POST('/api/v1/crises/{id}/activations', { params: { path: { id: crisisId } }, body })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['crises'] }),
  });
}

export function useAuthorizeActivation(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => call(api.POST('/api/v1/activations/{id}/authorize', { params: { path: { id } } })),
    onSuccess: () => Promise.all([queryClient.invalidateQueries({ queryKey: ACTIVATIONS }), queryClient.invalidateQueries({ queryKey: ['crises'] })]),
  });
}

/** Proves the second factor again: the session cookie is set again with a fresh `mfaAt`. */
export function useStepUp() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (otp: string) => call(api.POST('/api/v1/auth/step-up', { body: { otp } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: SESSION_KEY }),
  });
}

/** Cancel or close, with the reason recorded with the event. */
export function useEndActivation(id: string, action: 'cancel' | 'close') {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (reason: string) =>
      call(
        action === 'cancel'
          ? api.POST('/api/v1/activations/{id}/cancel', { params: { path: { id } }, body: reason ? { reason } : {} })
          : api.POST('/api/v1/activations/{id}/close', { params: { path: { id } }, body: reason ? { reason } : {} }),
      ),
    onSuccess: () => Promise.all([queryClient.invalidateQueries({ queryKey: ACTIVATIONS }), queryClient.invalidateQueries({ queryKey: ['crises'] })]),
  });
}
