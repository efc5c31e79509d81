import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { ProConnectButton } from '@codegouvfr/react-dsfr/ProConnectButton';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Navigate, useLocation, useNavigate } from 'react-router';
import { api, ApiError, call } from '../api/client';
import { describeError, waitPhrase } from '../components/ApiProblem';
import { usePageTitle } from '../components/page';
import { PATHS } from '../paths';
import { SESSION_KEY, useSession, useSignInProviders } from './session-queries';

/**
 * Sign-in: an email and a password, then, for a user who has enrolled a second factor, the code
 * of the authenticator app (the API answers AUTH.OTP_REQUIRED); ProConnect where it is configured.
 */
export function SignIn() {
  usePageTitle('Connexion');
  const session = useSession();
  const providers = useSignInProviders();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const from = (useLocation().state as { from?: string } | null)?.from ?? PATHS.home;
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [otp, setOtp] = useState('');
  const [codeAsked, setCodeAsked] = useState(false);

  const signIn = useMutation({
    mutationFn: () => call(api.POST('/api/v1/auth/session', { body: { email, password, ...(codeAsked ? { otp: otp.trim() } : {}) } })),
    onSuccess: (signedIn) => {
      queryClient.setQueryData(SESSION_KEY, signedIn);
      void navigate(signedIn.enrolmentPending ? PATHS.enrolment : from, { replace: true });
    },
    onError: (error) => {
      if (error instanceof ApiError && error.code === 'AUTH.OTP_REQUIRED') setCodeAsked(true);
    },
  });

  if (session.data && !signIn.isPending && !signIn.isSuccess) return <Navigate to={PATHS.home} replace />;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    signIn.mutate();
  };
  const problem = signIn.error && !(signIn.error instanceof ApiError && signIn.error.code === 'AUTH.OTP_REQUIRED' && !otp) ? signIn.error : null;

  return (
    <div className="fr-grid-row fr-grid-row--center">
      <div className="fr-col-12 fr-col-md-8 fr-col-lg-6">
        <h1>Connexion à Renfort</h1>
        {problem && <Alert className="fr-mb-3w" severity="error" title="Connexion impossible" description={signInProblem(problem)} />}
        {providers.data?.oidc && (
          <div className="fr-mb-4w">
            <h2 className="fr-h5">Avec ProConnect</h2>
            <ProConnectButton url="/api/v1/auth/oidc/login" />
            <p className="fr-hr-or">ou</p>
          </div>
        )}
        <form onSubmit={submit} noValidate>
          <fieldset className="fr-fieldset">
            <legend className="fr-fieldset__legend">
              <h2 className="fr-h5 fr-mb-0">Avec votre adresse électronique</h2>
            </legend>
            <div className="fr-fieldset__element">
              <Input
                label="Adresse électronique"
                hintText="Format attendu : nom@domaine.fr"
                nativeInputProps={{ type: 'email', autoComplete: 'username', required: true, value: email, onChange: (e) => setEmail(e.target.value), readOnly: codeAsked }}
              />
            </div>
            <div className="fr-fieldset__element">
              <Input
                label="Mot de passe"
                nativeInputProps={{
                  type: 'password',
                  autoComplete: 'current-password',
                  required: true,
                  value: password,
                  onChange: (e) => setPassword(e.target.value),
                  readOnly: codeAsked,
                }}
              />
            </div>
            {codeAsked && (
              <div className="fr-fieldset__element">
                <Input
                  label="Code de vérification"
                  hintText="Les 6 chiffres affichés par votre application d’authentification, ou un de vos codes de secours"
                  nativeInputProps={{
                    autoComplete: 'one-time-code',
                    inputMode: 'text',
                    required: true,
                    autoFocus: true,
                    value: otp,
                    onChange: (e) => setOtp(e.target.value),
                  }}
                />
              </div>
            )}
            <div className="fr-fieldset__element">
              <Button type="submit" disabled={signIn.isPending}>
                {signIn.isPending ? 'Connexion…' : 'Se connecter'}
              </Button>
            </div>
          </fieldset>
        </form>
      </div>
    </div>
  );
}

function signInProblem(error: Error): string {
  if (!(error instanceof ApiError)) return describeError(error);
  switch (error.code) {
    case 'AUTH.INVALID_CREDENTIALS':
      return 'Adresse électronique ou mot de passe incorrect.';
    case 'AUTH.OTP_REQUIRED':
    case 'AUTH.OTP_INVALID':
      return 'Ce code n’est pas valide ou a déjà servi. Saisissez le code affiché maintenant par votre application.';
    case 'RATE_LIMIT.EXCEEDED':
      return `Trop de tentatives de connexion. Réessayez ${waitPhrase(error.retryAfterSeconds)}.`;
    case 'AUTH.BUSY':
      return `Le service vérifie beaucoup de connexions en ce moment. Réessayez ${waitPhrase(error.retryAfterSeconds)}.`;
    case 'REQUEST.VALIDATION_FAILED':
      return 'Saisissez une adresse électronique valide, votre mot de passe et, s’il est demandé, le code de vérification.';
    default:
      return describeError(error);
  }
}
