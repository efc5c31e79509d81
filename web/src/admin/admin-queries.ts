import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, call, type Schemas } from '../api/client';

export type Member = Schemas['MemberResponse'];
export type User = Schemas['UserAccountResponse'];
export type Offer = Schemas['OfferResponse'];

const MEMBERS = ['members'] as const;
const USERS = ['users'] as const;
const OFFERS = ['offers'] as const;

export function useMembers() {
  return useQuery({ queryKey: [...MEMBERS, 'list'], queryFn: () => call(api.GET('/api/v1/members', { params: { query: { pageSize: 200 } } })) });
}

export function useRegisterMember() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: Schemas['RegisterMemberRequest']) => call(api.POST('/api/v1/members', { body })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: MEMBERS }),
  });
}

export type MemberCommand = 'vet' | 'suspend' | 'reinstate' | 'withdraw';

/** The member status commands; each records the reason given with the new status. */
export function useMemberCommand(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ command, reason }: { command: MemberCommand; reason?: string }) => {
      const request = { params: { path: { id } }, body: reason ? { reason } : {} };
      switch (command) {
        case 'vet':
          return call(api.POST('/api/v1/members/{id}/vet', request));
        case 'suspend':
          return call(api.POST('/api/v1/members/{id}/suspend', request));
        case 'reinstate':
          return call(api.POST('/api/v1/members/{id}/reinstate', request));
        case 'withdraw':
          return call(api.POST('/api/v1/members/{id}/withdraw', request));
      }
    },
    onSuccess: () => queryClient.invalidateQueries({ queryKey: MEMBERS }),
  });
}

export function useUsers() {
  return useQuery({ queryKey: [...USERS, 'list'], queryFn: () => call(api.GET('/api/v1/users', { params: { query: { pageSize: 200 } } })) });
}

export function useCreateUser() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: Schemas['CreateUserRequest']) => call(api.POST('/api/v1/users', { body })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: USERS }),
  });
}

export type UserCommand = { command: 'disable' | 'enable' | 'reset-mfa' } | { command: 'reassign'; body: Schemas['ReassignUserRequest'] };

export function useUserCommand(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (command: UserCommand): Promise<unknown> => {
      const path = { params: { path: { id } } };
      switch (command.command) {
        case 'disable':
          return call(api.POST('/api/v1/users/{id}/disable', path));
        case 'enable':
          return call(api.POST('/api/v1/users/{id}/enable', path));
        case 'reset-mfa':
          return call(api.DELETE('/api/v1/users/{id}/mfa', path));
        case 'reassign':
          return call(api.PATCH('/api/v1/users/{id}', { ...path, body: command.body }));
      }
    },
    onSuccess: () => queryClient.invalidateQueries({ queryKey: USERS }),
  });
}

export function useCreateCategory() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: Schemas['CreateCategoryRequest']) => call(api.POST('/api/v1/categories', { body })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['categories'] }),
  });
}

export function useOffers(status: Offer['status']) {
  return useQuery({ queryKey: [...OFFERS, status], queryFn: () => call(api.GET('/api/v1/offers', { params: { query: { status, pageSize: 100 } } })) });
}

export function useTriageOffer(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (triage: { action: 'accept'; body: Schemas['AcceptOfferRequest'] } | { action: 'reject'; reason: string }) =>
      triage.action === 'accept'
        ? call(api.POST('/api/v1/offers/{id}/accept', { params: { path: { id } }, body: triage.body }))
        : call(api.POST('/api/v1/offers/{id}/reject', { params: { path: { id } }, body: { reason: triage.reason } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: OFFERS }),
  });
}
