import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { ButtonsGroup } from '@codegouvfr/react-dsfr/ButtonsGroup';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { useState } from 'react';
import { isApiError } from '../api/client';
import { describeError } from '../components/ApiProblem';
import { type Activation, useEndActivation } from './activation-queries';

/** The statuses from which the API lets an activation be cancelled or closed (its lifecycle). */
export const ENDABLE_FROM: Record<'cancel' | 'close', string[]> = {
  cancel: ['PENDING_AUTHORIZATION', 'AUTHORIZED', 'IN_PROGRESS'],
  close: ['AUTHORIZED', 'IN_PROGRESS', 'FULFILLED'],
};

const WORDS = {
  cancel: {
    heading: 'Annulation',
    offer: 'Annuler l’activation',
    confirm: 'Confirmer l’annulation',
    warning: 'L’annulation est définitive : les demandes encore ouvertes sont désengagées et les membres prévenus.',
    failed: 'L’activation n’a pas été annulée',
  },
  close: {
    heading: 'Clôture',
    offer: 'Clôturer l’activation',
    confirm: 'Confirmer la clôture',
    warning: 'La clôture est définitive : les demandes encore ouvertes sont désengagées ; les moyens sur place restent à libérer par leurs membres.',
    failed: 'L’activation n’a pas été clôturée',
  },
};

/** Cancelling or closing, offered only from a status the API allows it from, with a reason and one confirmation. */
export function EndActivation({ activation, action }: { activation: Pick<Activation, 'id' | 'status'>; action: 'cancel' | 'close' }) {
  const end = useEndActivation(activation.id, action);
  const [confirming, setConfirming] = useState(false);
  const [reason, setReason] = useState('');
  if (!ENDABLE_FROM[action].includes(activation.status)) return null;
  const words = WORDS[action];
  return (
    <section aria-labelledby={`fin-${action}`} className="fr-mt-4w">
      <h2 id={`fin-${action}`} className="fr-h4">
        {words.heading}
      </h2>
      {end.error && (
        <Alert
          className="fr-mb-3w"
          severity="error"
          title={words.failed}
          description={isApiError(end.error, 'ACTIVATION.ILLEGAL_TRANSITION') ? 'Son état ne le permet plus : la page se met à jour.' : describeError(end.error)}
        />
      )}
      {!confirming ? (
        <Button priority="secondary" onClick={() => setConfirming(true)}>
          {words.offer}
        </Button>
      ) : (
        <>
          <p>{words.warning}</p>
          <Input label="Motif (facultatif)" nativeInputProps={{ value: reason, maxLength: 500, onChange: (e) => setReason(e.target.value) }} />
          <ButtonsGroup
            inlineLayoutWhen="always"
            buttons={[
              { children: words.confirm, onClick: () => end.mutate(reason.trim(), { onSettled: () => setConfirming(false) }), disabled: end.isPending },
              { children: 'Revenir', priority: 'secondary', onClick: () => setConfirming(false) },
            ]}
          />
        </>
      )}
    </section>
  );
}
