import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { toDataURL } from 'qrcode';
import { type FormEvent, useEffect, useState } from 'react';
import { useNavigate } from 'react-router';
import { api, call } from '../api/client';
import { describeError } from '../components/ApiProblem';
import { usePageTitle } from '../components/page';
import { PATHS } from '../paths';
import { SESSION_KEY } from './session-queries';

/**
 * Enrolling the second factor, which some roles must do before anything else: a secret for an
 * authenticator app (its otpauth URI as text and as a QR code drawn here, in the browser), a first
 * code to confirm it, then the recovery codes, shown this once.
 */
export function Enrolment() {
  usePageTitle('Double authentification');
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [code, setCode] = useState('');
  const begin = useMutation({ mutationFn: () => call(api.POST('/api/v1/users/me/mfa/totp')) });
  const confirm = useMutation({ mutationFn: () => call(api.POST('/api/v1/users/me/mfa/totp/confirm', { body: { code: code.trim() } })) });

  if (confirm.data) {
    return (
      <>
        <h1>Double authentification activée</h1>
        <Alert
          className="fr-mb-3w"
          severity="warning"
          title="Conservez ces codes de secours maintenant : ils ne seront plus jamais affichés"
          description="Chaque code remplace une seule fois le code de votre application, si vous perdez votre téléphone. Gardez-les en lieu sûr, hors de ce poste."
        />
        <ul aria-label="Codes de secours" className="fr-text--lg">
          {confirm.data.recoveryCodes.map((recoveryCode) => (
            <li key={recoveryCode}>
              <code>{recoveryCode}</code>
            </li>
          ))}
        </ul>
        <Button
          onClick={() => {
            void queryClient.invalidateQueries({ queryKey: SESSION_KEY }).then(() => navigate(PATHS.home, { replace: true }));
          }}
        >
          J’ai conservé mes codes de secours, continuer
        </Button>
      </>
    );
  }

  const submit = (event: FormEvent) => {
    event.preventDefault();
    confirm.mutate();
  };

  return (
    <>
      <h1>Activer la double authentification</h1>
      <p>Votre rôle demande un second facteur : un code à six chiffres, donné par une application d’authentification sur votre téléphone, en plus de votre mot de passe. Activez-le avant de continuer.</p>
      {!begin.data ? (
        <>
          {begin.error && <Alert className="fr-mb-3w" severity="error" title="Impossible de commencer" description={describeError(begin.error)} />}
          <Button onClick={() => begin.mutate()} disabled={begin.isPending}>
            Commencer
          </Button>
        </>
      ) : (
        <>
          <h2 className="fr-h4">1. Ajoutez Renfort à votre application d’authentification</h2>
          <p>Scannez ce QR code avec l’application, ou saisissez-y la clé à la main.</p>
          <OtpauthQrCode uri={begin.data.otpauthUri} />
          <p>
            Clé à saisir : <code aria-label="Clé secrète">{begin.data.secret}</code>
          </p>
          <p className="fr-text--sm">
            Adresse de configuration : <code>{begin.data.otpauthUri}</code>
          </p>
          <h2 className="fr-h4">2. Saisissez le code affiché par l’application</h2>
          {confirm.error && <Alert className="fr-mb-3w" severity="error" title="Code refusé" description={enrolmentProblem(confirm.error)} />}
          <form onSubmit={submit} noValidate>
            <Input
              label="Code à six chiffres"
              nativeInputProps={{ inputMode: 'numeric', autoComplete: 'one-time-code', pattern: '[0-9]{6}', required: true, value: code, onChange: (e) => setCode(e.target.value) }}
            />
            <Button type="submit" disabled={confirm.isPending}>
              Activer
            </Button>
          </form>
        </>
      )}
    </>
  );
}

/** The QR code is drawn in the browser: the secret is never sent to another service. */
function OtpauthQrCode({ uri }: { uri: string }) {
  const [image, setImage] = useState<string | null>(null);
  useEffect(() => {
    let current = true;
    void toDataURL(uri, { margin: 2, width: 220 }).then((url) => current && setImage(url));
    return () => {
      current = false;
    };
  }, [uri]);
  return image ? <img src={image} width={220} height={220} alt="QR code de configuration de l’application d’authentification" /> : null;
}

function enrolmentProblem(error: Error): string {
  const code = (error as { code?: string }).code;
  if (code === 'MFA.CODE_INVALID' || code === 'REQUEST.VALIDATION_FAILED') return 'Ce code ne correspond pas. Saisissez les six chiffres affichés maintenant par l’application.';
  return describeError(error);
}
