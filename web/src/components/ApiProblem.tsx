import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { ApiError, ApiUnreachableError } from '../api/client';

/**
 * Why a read failed, said plainly, in place of its data: the console never leaves data on screen
 * that it could not refresh, as if it were current.
 */
export function ApiProblem({ error, retry }: { error: unknown; retry?: () => void }) {
  const unreachable = error instanceof ApiUnreachableError;
  return (
    <Alert
      severity="error"
      title={unreachable ? 'Le service Renfort est injoignable' : 'Ces informations ne peuvent pas être affichées'}
      description={
        <>
          <p>
            {unreachable
              ? 'La console ne parvient pas à joindre le service. Les informations ne sont pas affichées tant qu’elles ne peuvent pas être mises à jour.'
              : describeError(error)}
          </p>
          {retry && (
            <Button priority="secondary" size="small" onClick={retry}>
              Réessayer
            </Button>
          )}
        </>
      }
    />
  );
}

/** An API refusal in French, from its code. */
export function describeError(error: unknown): string {
  if (error instanceof ApiUnreachableError) return 'Le service Renfort est injoignable. Vérifiez votre connexion, puis réessayez.';
  if (!(error instanceof ApiError)) return 'Une erreur inattendue est survenue.';
  switch (error.code) {
    case 'AUTH.TOKEN_MISSING':
    case 'AUTH.TOKEN_EXPIRED':
    case 'AUTH.TOKEN_INVALID':
      return 'Votre session a pris fin : reconnectez-vous.';
    case 'RATE_LIMIT.EXCEEDED':
      return `Trop de tentatives. Réessayez ${waitPhrase(error.retryAfterSeconds)}.`;
    case 'DATABASE.TIMEOUT':
    case 'DATABASE.UNAVAILABLE':
      return 'Le service est momentanément surchargé ; rien n’a été enregistré. Réessayez dans un instant.';
    default:
      if (error.status === 404) return 'Cet élément n’existe pas, ou vous n’y avez pas accès.';
      if (error.status === 403) return 'Votre rôle ne permet pas cette action.';
      return `Le service a refusé la demande (${error.code}).`;
  }
}

/** « dans 42 secondes », « dans 3 minutes », « dans quelques instants ». */
export function waitPhrase(seconds: number | null): string {
  if (!seconds) return 'dans quelques instants';
  if (seconds < 90) return `dans ${seconds} seconde${seconds > 1 ? 's' : ''}`;
  const minutes = Math.ceil(seconds / 60);
  return `dans ${minutes} minutes`;
}
