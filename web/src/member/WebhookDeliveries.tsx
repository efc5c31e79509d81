import { Badge } from '@codegouvfr/react-dsfr/Badge';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Checkbox } from '@codegouvfr/react-dsfr/Checkbox';
import { Table } from '@codegouvfr/react-dsfr/Table';
import { useState } from 'react';
import type { Schemas } from '../api/client';
import { QueryState } from '../components/QueryState';
import { WEBHOOK_EVENT_LABELS } from './labels';
import { useWebhookDeliveries } from './member-queries';

type Attempt = Schemas['WebhookDeliveryAttemptResponse'];

/** To the second, at Paris time: retries follow one another within seconds. « 22/11/2026 07:12:30 » */
const SENT_AT = new Intl.DateTimeFormat('fr-FR', { dateStyle: 'short', timeStyle: 'medium', timeZone: 'Europe/Paris' });

/** What the webhook was sent lately and what it answered: each attempt, each retry its own row. */
export function WebhookDeliveries({ memberId }: { memberId: string }) {
  const [failedOnly, setFailedOnly] = useState(false);
  const deliveries = useWebhookDeliveries(memberId, failedOnly);
  return (
    <section aria-labelledby="livraisons" className="fr-mt-4w">
      <h3 id="livraisons">Dernières livraisons</h3>
      <p className="fr-text--sm">Chaque envoi à votre webhook et sa réponse, conservés 30 jours. Un envoi en échec est retenté plusieurs fois.</p>
      <Checkbox
        small
        legend="Filtrer les livraisons"
        options={[{ label: 'Échecs seulement', nativeInputProps: { checked: failedOnly, onChange: () => setFailedOnly(!failedOnly) } }]}
      />
      <QueryState query={deliveries}>
        {(page) =>
          page.items.length === 0 ? (
            <p>{failedOnly ? 'Aucune livraison en échec.' : 'Aucune livraison pour l’instant.'}</p>
          ) : (
            <Table
              caption={`${page.items.length} dernière${page.items.length > 1 ? 's' : ''} tentative${page.items.length > 1 ? 's' : ''}${failedOnly ? ' en échec' : ''} sur ${page.total}`}
              headers={['Date (heure de Paris)', 'Événement', 'Statut HTTP / erreur', 'Durée', 'Tentative']}
              data={page.items.map((attempt) => [
                SENT_AT.format(new Date(attempt.attemptedAt)),
                WEBHOOK_EVENT_LABELS[attempt.eventType] ?? attempt.eventType,
                <Outcome key="outcome" attempt={attempt} />,
                `${attempt.durationMs} ms`,
                `n° ${attempt.attempt}`,
              ])}
            />
          )
        }
      </QueryState>
      <Button size="small" priority="secondary" disabled={deliveries.isFetching} onClick={() => void deliveries.refetch()}>
        Actualiser les livraisons
      </Button>
    </section>
  );
}

function Outcome({ attempt }: { attempt: Attempt }) {
  if (attempt.ok)
    return (
      <>
        <Badge small severity="success">
          Livré
        </Badge>{' '}
        HTTP {attempt.httpStatus}
      </>
    );
  return (
    <>
      <Badge small severity="error">
        Échec
      </Badge>{' '}
      {attempt.httpStatus !== null ? `HTTP ${attempt.httpStatus}` : 'Aucune réponse de votre serveur'}
    </>
  );
}
