import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { ButtonsGroup } from '@codegouvfr/react-dsfr/ButtonsGroup';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { Table } from '@codegouvfr/react-dsfr/Table';
import { type FormEvent, useState } from 'react';
import { isApiError } from '../api/client';
import { describeError } from '../components/ApiProblem';
import { formatDateTime } from '../components/dates';
import { QueryState } from '../components/QueryState';
import { useSession } from '../session/session-queries';
import { type Activation, type Preview, useAuthorizeActivation, useCategoryName, usePreview, useStepUp } from './activation-queries';
import { EndActivation } from './EndActivation';
import { departementLabel } from './labels';

/**
 * An activation awaiting its decision: what authorizing it would ask of whom (the dry run), who
 * prepared it, and, for a minister who did not, the authorization, with the second factor asked
 * again in the page when the decision needs a recent one.
 */
export function AuthorizeActivation({ activation }: { activation: Activation }) {
  const session = useSession().data!;
  const mayPreview = session.role === 'MINISTER' || session.role === 'CRISIS_OPERATOR';
  const preview = usePreview(activation.id, mayPreview);
  const preparedByMe = activation.preparedBy === session.userId;
  return (
    <>
      <h1>Autorisation de l’activation « {activation.decisionReference} »</h1>
      <section aria-labelledby="quatre-yeux" className="fr-mb-4w">
        <h2 id="quatre-yeux" className="fr-h4">
          Règle des quatre yeux
        </h2>
        <p>
          Préparée le {formatDateTime(activation.preparedAt)} par l’agent <code>{activation.preparedBy}</code> de la cellule de crise. Elle doit être autorisée
          par un membre du cabinet du ministre qui n’est pas cette personne.
        </p>
        {session.role === 'MINISTER' &&
          (preparedByMe ? (
            <Alert severity="error" small description="Vous avez préparé cette activation : une autre personne du cabinet doit l’autoriser." />
          ) : (
            <Alert severity="info" small description={`Vous (${session.email}) n’êtes pas la personne qui l’a préparée : vous pouvez l’autoriser.`} />
          ))}
      </section>

      {mayPreview ? (
        <section aria-labelledby="ce-qui-sera-demande" className="fr-mb-4w">
          <h2 id="ce-qui-sera-demande">Ce qui sera demandé, et à qui</h2>
          <QueryState query={preview}>{(data) => <PreviewTables preview={data} />}</QueryState>
        </section>
      ) : (
        <p>Elle attend l’autorisation du cabinet du ministre.</p>
      )}

      {session.role === 'MINISTER' && !preparedByMe && <AuthorizeControl activation={activation} />}
      {session.role === 'CRISIS_OPERATOR' && <EndActivation activation={activation} action="cancel" />}
    </>
  );
}

function PreviewTables({ preview }: { preview: Preview }) {
  const categoryName = useCategoryName();
  return (
    <>
      <p>
        Autoriser maintenant enverrait <strong>{preview.assetCount}</strong> demande{preview.assetCount > 1 ? 's' : ''} de mobilisation.
      </p>
      {preview.requirements.map((requirement) => {
        const members = requirement.members.length;
        const assets = requirement.members.reduce((sum, member) => sum + member.assets.length, 0);
        const short = requirement.eligibleQuantity < requirement.quantity;
        return (
          <section key={requirement.requirementId} aria-label={`Besoin ${requirement.position} : ${categoryName(requirement.category)}`} className="fr-mb-3w">
            <h3 className="fr-h5">
              Besoin {requirement.position} : {requirement.quantity} × {categoryName(requirement.category)}
            </h3>
            <p>Départements : {requirement.departements.map(departementLabel).join(', ')}</p>
            <Alert
              small
              severity={short ? 'warning' : 'success'}
              description={
                `${requirement.eligibleQuantity} unité${requirement.eligibleQuantity > 1 ? 's' : ''} mobilisable${requirement.eligibleQuantity > 1 ? 's' : ''} : ` +
                `${assets} moyen${assets > 1 ? 's' : ''} de ${members} membre${members > 1 ? 's' : ''}` +
                (short ? `. Ce besoin ne peut pas être couvert : il manque ${requirement.quantity - requirement.eligibleQuantity} unité(s).` : '.')
              }
            />
            {assets > 0 && (
              <Table
                caption={`Moyens sollicités pour le besoin ${requirement.position}`}
                headers={['Membre', 'Moyen', 'Unités', 'Direction', 'Accusé de réception sous']}
                data={requirement.members.flatMap((member) =>
                  member.assets.map((asset) => [member.memberName, asset.assetName, String(asset.quantity), asset.directorateCode, `${asset.ackWithinMinutes} min`]),
                )}
              />
            )}
          </section>
        );
      })}
    </>
  );
}

/** One confirmation; the second factor asked here when the API says the last one is too old. */
function AuthorizeControl({ activation }: { activation: Activation }) {
  const authorize = useAuthorizeActivation(activation.id);
  const stepUp = useStepUp();
  const [confirming, setConfirming] = useState(false);
  const [code, setCode] = useState('');
  const codeAsked = isApiError(authorize.error, 'AUTH.MFA_REQUIRED');

  const proveThenAuthorize = (event: FormEvent) => {
    event.preventDefault();
    stepUp.mutate(code.trim(), {
      onSuccess: () => {
        setCode('');
        authorize.mutate();
      },
    });
  };

  return (
    <section aria-labelledby="decision" className="fr-mt-6w">
      <h2 id="decision">Décision</h2>
      {authorize.error && !codeAsked && <Alert className="fr-mb-3w" severity="error" title="L’activation n’a pas été autorisée" description={authorizeProblem(authorize.error)} />}
      {codeAsked ? (
        <form onSubmit={proveThenAuthorize} noValidate>
          <Alert
            className="fr-mb-3w"
            severity="info"
            title="Confirmez votre identité"
            description="Cette décision demande un second facteur vérifié récemment : saisissez le code affiché par votre application d’authentification."
          />
          {stepUp.error && <Alert className="fr-mb-3w" severity="error" small description={stepUpProblem(stepUp.error)} />}
          <Input
            label="Code de vérification"
            hintText="Les 6 chiffres affichés par votre application d’authentification, ou un de vos codes de secours"
            nativeInputProps={{ autoComplete: 'one-time-code', required: true, autoFocus: true, value: code, onChange: (e) => setCode(e.target.value) }}
          />
          <Button type="submit" disabled={stepUp.isPending || authorize.isPending}>
            Vérifier et autoriser
          </Button>
        </form>
      ) : !confirming ? (
        <Button onClick={() => setConfirming(true)}>Autoriser l’activation</Button>
      ) : (
        <>
          <p>
            L’autorisation est définitive : les demandes de mobilisation partent aussitôt vers les membres, au titre de la décision «{' '}
            {activation.decisionReference} ».
          </p>
          <ButtonsGroup
            inlineLayoutWhen="always"
            buttons={[
              { children: 'Confirmer l’autorisation', onClick: () => authorize.mutate(), disabled: authorize.isPending },
              { children: 'Revenir', priority: 'secondary', onClick: () => setConfirming(false) },
            ]}
          />
        </>
      )}
    </section>
  );
}

function authorizeProblem(error: Error): string {
  if (isApiError(error, 'ACTIVATION.FOUR_EYES')) return 'Vous avez préparé cette activation : une autre personne du cabinet doit l’autoriser.';
  if (isApiError(error, 'ACTIVATION.ALREADY_DECIDED')) return 'Cette activation a déjà été autorisée ou close.';
  if (isApiError(error, 'CRISIS.CLOSED')) return 'La crise est clôturée : l’activation ne peut plus être autorisée.';
  return describeError(error);
}

function stepUpProblem(error: Error): string {
  if (isApiError(error, 'AUTH.OTP_INVALID') || isApiError(error, 'MFA.CODE_INVALID') || isApiError(error, 'REQUEST.VALIDATION_FAILED')) {
    return 'Ce code n’est pas valide ou a déjà servi. Saisissez le code affiché maintenant par votre application.';
  }
  return describeError(error);
}
