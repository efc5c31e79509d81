import { useQuery } from '@tanstack/react-query';
import { api, call, type Schemas } from '../api/client';

export type ActivationOverview = Schemas['ActivationOverviewResponse'];
export type Timeline = Schemas['TimelineResponse'];
export type TimelineEntry = Schemas['TimelineEntryResponse'];
export type HistoryReport = Schemas['HistoryReportResponse'];
export type ChainVerification = Schemas['ChainVerification'];

/** The activations to review, real ones and exercises apart. */
export function useActivationsToReview(exercise: boolean) {
  return useQuery({
    queryKey: ['reports', 'activations', exercise],
    queryFn: () => call(api.GET('/api/v1/reports/activations', { params: { query: { exercise: exercise ? 'true' : 'false', pageSize: 100 } } })),
  });
}

/** Every step of an activation (the largest page the API gives: an activation's timeline fits in it). */
export function useTimeline(activationId: string) {
  return useQuery({
    queryKey: ['timeline', activationId],
    queryFn: async () => (await call(api.GET('/api/v1/activations/{id}/timeline', { params: { path: { id: activationId }, query: { format: 'json', pageSize: 200 } } }))) as Timeline,
  });
}

export function useMembers() {
  return useQuery({ queryKey: ['members', 'visible'], queryFn: () => call(api.GET('/api/v1/members', { params: { query: { pageSize: 200 } } })) });
}

export function useDirectorates() {
  return useQuery({ queryKey: ['directorates'], queryFn: () => call(api.GET('/api/v1/directorates')) });
}

export function useMemberReport(memberId: string) {
  return useQuery({
    queryKey: ['reports', 'member', memberId],
    enabled: memberId !== '',
    queryFn: () => call(api.GET('/api/v1/reports/members/{id}', { params: { path: { id: memberId } } })),
  });
}

export function useDirectorateReport(code: string) {
  return useQuery({
    queryKey: ['reports', 'directorate', code],
    enabled: code !== '',
    queryFn: () => call(api.GET('/api/v1/reports/directorates/{code}', { params: { path: { code } } })),
  });
}

/** The chain recomputed by the service: read on demand, never cached as a verdict. */
export function useChainVerification() {
  return useQuery({ queryKey: ['audit', 'verify'], staleTime: 0, gcTime: 0, queryFn: () => call(api.GET('/api/v1/audit/verify')) });
}

export function useCheckpoints() {
  return useQuery({ queryKey: ['audit', 'checkpoints'], queryFn: () => call(api.GET('/api/v1/audit/checkpoints', { params: { query: { pageSize: 20 } } })) });
}

export function useCheckpointKey() {
  return useQuery({ queryKey: ['audit', 'checkpoints', 'key'], queryFn: () => call(api.GET('/api/v1/audit/checkpoints/key')) });
}

/** The CSV of the whole timeline, from the same route (a link the browser downloads with the session's cookie). */
export const timelineCsvUrl = (activationId: string) => `/api/v1/activations/${activationId}/timeline?format=csv`;
export const AUDIT_EXPORT_URL = '/api/v1/audit/export';
