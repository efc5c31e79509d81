import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Table } from '@codegouvfr/react-dsfr/Table';
import { formatDateTime } from '../components/dates';
import { usePageTitle } from '../components/page';
import { QueryState } from '../components/QueryState';
import { AUDIT_EXPORT_URL, type ChainVerification, useChainVerification, useCheckpointKey, useCheckpoints } from './audit-queries';
import { CHAIN_BREAK_LABELS } from './labels';

const SOURCE_LABELS: Record<string, string> = { database: 'la base de données', file: 'le fichier de points de contrôle', 'database and file': 'la base de données et le fichier' };

/** The audit log: the chain verified, its signed checkpoints and key, the export to check offline. */
export function AuditLog() {
  usePageTitle('Journal d’audit');
  const verification = useChainVerification();
  const checkpoints = useCheckpoints();
  const key = useCheckpointKey();
  return (
    <>
      <h1>Journal d’audit</h1>
      <section className="fr-mb-6w">
        <h2>Vérification de la chaîne</h2>
        <QueryState query={verification}>{(data) => <Verdict verification={data} />}</QueryState>
        <Button priority="secondary" disabled={verification.isFetching} onClick={() => void verification.refetch()}>
          Vérifier de nouveau
        </Button>
      </section>
      <section className="fr-mb-6w">
        <h2>Points de contrôle signés</h2>
        <QueryState query={checkpoints}>
          {(page) =>
            page.items.length === 0 ? (
              <p>Aucun point de contrôle signé pour l’instant.</p>
            ) : (
              <Table
                caption={`Derniers points de contrôle (${page.total} au total)`}
                headers={['Signé le', 'Séquence', 'Empreinte', 'Clé']}
                data={page.items.map((checkpoint) => [formatDateTime(checkpoint.signedAt), String(checkpoint.sequence), <code key="hash">{checkpoint.hash}</code>, checkpoint.keyId])}
              />
            )
          }
        </QueryState>
        <h3>Clé publique de signature</h3>
        <QueryState query={key}>
          {(data) => (
            <>
              <p>
                Algorithme {data.algorithm}, identifiant <code>{data.keyId}</code>. Conservez-en une copie hors du service.
              </p>
              <pre className="fr-text--xs" style={{ whiteSpace: 'pre-wrap' }}>
                {data.publicKeyPem}
              </pre>
            </>
          )}
        </QueryState>
      </section>
      <section>
        <h2>Vérifier hors ligne</h2>
        <p>
          <a className="fr-link fr-link--download" href={AUDIT_EXPORT_URL} download>
            Télécharger le journal
          </a>
        </p>
        <ol>
          <li>Téléchargez le journal (un événement par ligne) et enregistrez les points de contrôle ci-dessus (réponse de GET /api/v1/audit/checkpoints) ainsi que la clé publique dans un fichier public.pem.</li>
          <li>
            Sur un poste disposant du code de Renfort, sans service ni base de données, lancez <code>npm run audit:verify -- journal.ndjson points-de-controle.json --key public.pem</code>.
          </li>
          <li>La commande recalcule chaque empreinte, vérifie la signature de chaque point de contrôle et que le journal y aboutit avec l’empreinte signée : elle se termine par 0 si tout concorde, sinon elle nomme la séquence et le point de contrôle en défaut.</li>
        </ol>
      </section>
    </>
  );
}

function Verdict({ verification }: { verification: ChainVerification }) {
  if (verification.valid) {
    return (
      <Alert
        severity="success"
        small
        description={`La chaîne est intègre : ${verification.checked} événement(s) vérifié(s)${verification.headSequence !== undefined ? `, jusqu’à la séquence ${verification.headSequence}` : ''}${verification.checkpoints ? ` ; ${verification.checkpoints.checked} point(s) de contrôle concordent` : ''}.`}
      />
    );
  }
  const contradicted = verification.contradictedCheckpoint;
  return (
    <Alert
      severity="error"
      title="La chaîne est rompue"
      description={
        <>
          <p>
            {verification.reason ? CHAIN_BREAK_LABELS[verification.reason] ?? verification.reason : 'Rupture de la chaîne'}
            {verification.firstBrokenSequence !== undefined && <> : première séquence en défaut {verification.firstBrokenSequence}</>}.
          </p>
          {contradicted && (
            <p>
              Point de contrôle contredit : séquence {contradicted.sequence}, signé le {formatDateTime(contradicted.signedAt)} (clé {contradicted.keyId}), lu dans {SOURCE_LABELS[contradicted.source] ?? contradicted.source}, empreinte <code>{contradicted.hash}</code>.
            </p>
          )}
        </>
      }
    />
  );
}
