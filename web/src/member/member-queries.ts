import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, call, type Schemas } from '../api/client';

export type Mobilization = Schemas['MobilizationResponse'];
export type Asset = Schemas['AssetResponse'];
export type Contact = Schemas['ContactResponse'];
export type Convention = Schemas['ConventionResponse'];

const REQUESTS = ['mobilizations'] as const;
const ASSETS = ['assets'] as const;
const CONTACTS = ['contacts'] as const;
const CONVENTIONS = ['conventions'] as const;
const MEMBERS = ['members'] as const;

/**
 * There is no stream of a member's requests: the lists are read again whenever the window comes
 * back to the foreground (react-query's refetch on focus) and after each answer the member gives.
 */
export function useMyRequests() {
  return useQuery({
    queryKey: [...REQUESTS, 'mine'],
    queryFn: () => call(api.GET('/api/v1/mobilizations', { params: { query: { pageSize: 200 } } })),
    refetchOnWindowFocus: 'always',
  });
}

export function useRequest(id: string) {
  return useQuery({
    queryKey: [...REQUESTS, 'one', id],
    queryFn: () => call(api.GET('/api/v1/mobilizations/{id}', { params: { path: { id } } })),
    refetchOnWindowFocus: 'always',
  });
}

export type Response =
  | { action: 'acknowledge' }
  | { action: 'accept'; quantity?: number }
  | { action: 'decline'; reasonCode: Schemas['DeclineRequest']['reasonCode']; comment?: string }
  | { action: 'deploy'; arrivedAt?: string }
  | { action: 'release' };

/** One answer of the member to a request; the request and the member's assets are read again. */
export function useRespond(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (response: Response) => {
      const path = { params: { path: { id } } };
      switch (response.action) {
        case 'acknowledge':
          return call(api.POST('/api/v1/mobilizations/{id}/acknowledge', path));
        case 'accept':
          return call(api.POST('/api/v1/mobilizations/{id}/accept', { ...path, body: response.quantity ? { quantity: response.quantity } : {} }));
        case 'decline':
          return call(api.POST('/api/v1/mobilizations/{id}/decline', { ...path, body: { reasonCode: response.reasonCode, ...(response.comment ? { comment: response.comment } : {}) } }));
        case 'deploy':
          return call(api.POST('/api/v1/mobilizations/{id}/deploy', { ...path, body: response.arrivedAt ? { arrivedAt: response.arrivedAt } : {} }));
        case 'release':
          return call(api.POST('/api/v1/mobilizations/{id}/release', path));
      }
    },
    onSuccess: (request) => {
      queryClient.setQueryData([...REQUESTS, 'one', id], (old: Mobilization | undefined) => (old ? { ...old, ...request } : request));
      void queryClient.invalidateQueries({ queryKey: REQUESTS });
      void queryClient.invalidateQueries({ queryKey: ASSETS });
    },
  });
}

export function useAssets(memberId: string | null) {
  return useQuery({
    queryKey: [...ASSETS, memberId],
    queryFn: () => call(api.GET('/api/v1/assets', { params: { query: { pageSize: 200, sort: 'name', order: 'asc', ...(memberId ? { memberId } : {}) } } })),
  });
}

export function useAsset(id: string) {
  return useQuery({ queryKey: [...ASSETS, 'one', id], queryFn: () => call(api.GET('/api/v1/assets/{id}', { params: { path: { id } } })) });
}

export function useCategories() {
  return useQuery({ queryKey: ['categories'], queryFn: () => call(api.GET('/api/v1/categories')), staleTime: 60_000 });
}

/** A category as people read it: its label, else its code. */
export function useCategoryLabel(): (code: string) => string {
  const categories = useCategories().data ?? [];
  return (code) => categories.find((category) => category.code === code)?.label ?? code;
}

export function useDeclareAsset() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: Schemas['DeclareAssetRequest']) => call(api.POST('/api/v1/assets', { body })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ASSETS }),
  });
}

export function useEditAsset(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: Record<string, unknown>) => call(api.PATCH('/api/v1/assets/{id}', { params: { path: { id } }, body: body as never })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ASSETS }),
  });
}

export function useAttest() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (ids: string[]) => {
      for (const id of ids) await call(api.POST('/api/v1/assets/{id}/attest', { params: { path: { id } } }));
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey: ASSETS }),
  });
}

export function useAddUnavailability(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: Schemas['UnavailabilityRequest']) => call(api.POST('/api/v1/assets/{id}/unavailability', { params: { path: { id } }, body })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ASSETS }),
  });
}

export function useContacts(memberId: string) {
  return useQuery({
    queryKey: [...CONTACTS, memberId],
    queryFn: () => call(api.GET('/api/v1/members/{id}/contacts', { params: { path: { id: memberId } } })),
  });
}

export function useAddContact(memberId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: Schemas['ContactRequest']) => call(api.POST('/api/v1/members/{id}/contacts', { params: { path: { id: memberId } }, body })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: CONTACTS }),
  });
}

export type ContactStep = { step: 'verify' | 'test'; contactId: string; method: 'email' | 'sms' } | { step: 'confirm'; contactId: string; method: 'email' | 'sms'; code: string };

/** Sending a verification code, confirming it, sending a test alert. */
export function useContactMethod(memberId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (step: ContactStep): Promise<unknown> => {
      const path = { params: { path: { id: memberId, contactId: step.contactId } } };
      if (step.step === 'confirm') return call(api.POST('/api/v1/members/{id}/contacts/{contactId}/verify/confirm', { ...path, body: { method: step.method, code: step.code } }));
      if (step.step === 'verify') return call(api.POST('/api/v1/members/{id}/contacts/{contactId}/verify', { ...path, body: { method: step.method } }));
      return call(api.POST('/api/v1/members/{id}/contacts/{contactId}/test', { ...path, body: { method: step.method } }));
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey: CONTACTS }),
  });
}

export function useMember(id: string) {
  return useQuery({ queryKey: [...MEMBERS, 'one', id], queryFn: () => call(api.GET('/api/v1/members/{id}', { params: { path: { id } } })) });
}

export function useSetWebhook(member: Schemas['MemberResponse']) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (webhookUrl: string | null) => call(api.PATCH('/api/v1/members/{id}', { params: { path: { id: member.id } }, body: { webhookUrl, version: member.version } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: MEMBERS }),
  });
}

export function useRotateSecret(memberId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => call(api.POST('/api/v1/members/{id}/webhook-secret/rotate', { params: { path: { id: memberId } } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: MEMBERS }),
  });
}

/**
 * The webhook's latest delivery attempts, read again when the window comes back to the foreground
 * and on demand (no stream carries them).
 */
export function useWebhookDeliveries(memberId: string, failedOnly: boolean) {
  return useQuery({
    queryKey: [...MEMBERS, 'one', memberId, 'webhook-deliveries', failedOnly],
    queryFn: () =>
      call(api.GET('/api/v1/members/{id}/webhook/deliveries', { params: { path: { id: memberId }, query: { pageSize: 20, ...(failedOnly ? { ok: false } : {}) } } })),
    refetchOnWindowFocus: 'always',
  });
}

export function useConventions(memberId: string | null) {
  return useQuery({
    queryKey: [...CONVENTIONS, memberId],
    queryFn: () => call(api.GET('/api/v1/conventions', { params: { query: { pageSize: 100, ...(memberId ? { memberId } : {}) } } })),
  });
}

export function useConventionAction(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ action, reason }: { action: 'sign' | 'reject'; reason?: string }) =>
      action === 'sign'
        ? call(api.POST('/api/v1/conventions/{id}/sign', { params: { path: { id } }, body: {} as never }))
        : call(api.POST('/api/v1/conventions/{id}/reject', { params: { path: { id } }, body: (reason ? { reason } : {}) as never })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: CONVENTIONS }),
  });
}

/** The member's own record across activations: real ones and exercises apart. */
export function useMyReport(memberId: string) {
  return useQuery({
    queryKey: ['reports', 'members', memberId],
    queryFn: () => call(api.GET('/api/v1/reports/members/{id}', { params: { path: { id: memberId } } })),
  });
}
