import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { Select } from '@codegouvfr/react-dsfr/Select';
import { Table } from '@codegouvfr/react-dsfr/Table';
import { type FormEvent, useState } from 'react';
import { describeError } from '../components/ApiProblem';
import { formatDateTime } from '../components/dates';
import { usePageTitle } from '../components/page';
import { QueryState } from '../components/QueryState';
import { useCategories } from '../member/member-queries';
import { type Offer, useCreateCategory, useMembers, useOffers, useTriageOffer } from './admin-queries';

/** The asset categories. */
export function AdminCategories() {
  usePageTitle('Catégories de moyens');
  const categories = useCategories();
  const create = useCreateCategory();
  const [code, setCode] = useState('');
  const [label, setLabel] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate({ code: code.trim().toUpperCase(), label: label.trim() }, { onSuccess: () => (setCode(''), setLabel('')) });
  };
  return (
    <>
      <h1>Catégories de moyens</h1>
      <QueryState query={categories}>
        {(list) => <Table caption="Catégories" noCaption headers={['Code', 'Libellé']} data={list.map((category) => [category.code, category.label])} />}
      </QueryState>
      <form onSubmit={submit} noValidate className="fr-mt-4w">
        <h2>Ajouter une catégorie</h2>
        {create.error && <Alert className="fr-mb-2w" severity="error" small description={describeError(create.error)} />}
        <Input label="Code" hintText="Majuscules et soulignés : DRONE_THERMIQUE" nativeInputProps={{ value: code, onChange: (e) => setCode(e.target.value) }} />
        <Input label="Libellé" nativeInputProps={{ value: label, onChange: (e) => setLabel(e.target.value) }} />
        <Button type="submit" disabled={create.isPending || !code.trim() || !label.trim()}>
          Ajouter
        </Button>
      </form>
    </>
  );
}

/** Offers of help that came unsolicited: held in quarantine until the administration triages them. */
export function AdminOffers() {
  usePageTitle('Offres spontanées');
  const quarantined = useOffers('QUARANTINED');
  return (
    <>
      <h1>Offres spontanées en quarantaine</h1>
      <QueryState query={quarantined}>
        {(page) =>
          page.items.length === 0 ? (
            <p>Aucune offre en attente de tri.</p>
          ) : (
            <ul className="fr-raw-list" aria-label="Offres en quarantaine">
              {page.items.map((offer) => (
                <OfferItem key={offer.id} offer={offer} />
              ))}
            </ul>
          )
        }
      </QueryState>
    </>
  );
}

function OfferItem({ offer }: { offer: Offer }) {
  const triage = useTriageOffer(offer.id);
  const members = useMembers();
  const [memberId, setMemberId] = useState(offer.memberId ?? '');
  const [reason, setReason] = useState('');
  return (
    <li className="fr-p-2w fr-mb-2w" style={{ border: '1px solid var(--border-default-grey)' }}>
      <h2 className="fr-h6 fr-mb-1w">Offre de {offer.offeredBy}</h2>
      <p className="fr-mb-1w">{offer.description}</p>
      <p className="fr-text--sm">
        Reçue le {formatDateTime(offer.createdAt)}
        {offer.category ? ` · ${offer.category}` : ''}
        {offer.contactName ? ` · ${offer.contactName}` : ''}
        {offer.contactEmail ? ` · ${offer.contactEmail}` : ''}
        {offer.contactPhone ? ` · ${offer.contactPhone}` : ''}
      </p>
      {triage.error && <Alert className="fr-mb-2w" severity="error" small description={describeError(triage.error)} />}
      {offer.allowedActions.includes('accept') && (
        <form
          noValidate
          onSubmit={(event) => {
            event.preventDefault();
            triage.mutate({ action: 'accept', body: { memberId, ...(reason.trim() ? { reason: reason.trim() } : {}) } });
          }}
        >
          <Select label={`Membre auquel rattacher l’offre de ${offer.offeredBy}`} nativeSelectProps={{ value: memberId, onChange: (e) => setMemberId(e.target.value) }}>
            <option value="" disabled>
              Choisissez un membre
            </option>
            {(members.data?.items ?? []).map((member) => (
              <option key={member.id} value={member.id}>
                {member.legalName}
              </option>
            ))}
          </Select>
          <Input label={`Motif de la décision (offre de ${offer.offeredBy})`} nativeInputProps={{ value: reason, onChange: (e) => setReason(e.target.value) }} />
          <Button type="submit" size="small" className="fr-mr-1w" disabled={triage.isPending || !memberId}>
            Accepter l’offre
          </Button>
          {offer.allowedActions.includes('reject') && (
            <Button type="button" size="small" priority="secondary" disabled={triage.isPending || !reason.trim()} onClick={() => triage.mutate({ action: 'reject', reason: reason.trim() })}>
              Rejeter l’offre
            </Button>
          )}
        </form>
      )}
    </li>
  );
}
