import { useQuery } from '@tanstack/react-query';
import { api, call, isApiError, type Schemas } from '../api/client';

export type Session = Schemas['SessionResponse'];
export type Role = Session['role'];

export const SESSION_KEY = ['session'] as const;

/** Who is signed in on this browser; null when nobody is (the API answers 401). */
export function useSession() {
  return useQuery({
    queryKey: SESSION_KEY,
    queryFn: async (): Promise<Session | null> => {
      try {
        return await call(api.GET('/api/v1/auth/session'));
      } catch (error) {
        if (isApiError(error) && error.status === 401) return null;
        throw error;
      }
    },
  });
}

/** The ways to sign in this service offers (ProConnect when configured). */
export function useSignInProviders() {
  return useQuery({ queryKey: ['sign-in-providers'], queryFn: () => call(api.GET('/api/v1/auth/providers')), staleTime: Infinity });
}

/** The roles that follow crises (those the API lets read GET /crises). */
export const CRISIS_READERS: Role[] = ['CRISIS_OPERATOR', 'MINISTER', 'AUDITOR', 'ADMIN'];

/** The role as the interface names it. */
export const ROLE_LABELS: Record<Role, string> = {
  ADMIN: 'Administration',
  MEMBER: 'Membre de la charte',
  DIRECTORATE: 'Direction',
  CRISIS_OPERATOR: 'Cellule de crise',
  MINISTER: 'Cabinet du ministre',
  AUDITOR: 'Contrôle',
};
