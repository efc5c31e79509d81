import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Badge } from '@codegouvfr/react-dsfr/Badge';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { type FormEvent, useState } from 'react';
import { describeError } from '../components/ApiProblem';
import { formatDateTime } from '../components/dates';
import { usePageTitle } from '../components/page';
import { QueryState } from '../components/QueryState';
import { type Member, type MemberCommand, useMemberCommand, useMembers, useRegisterMember } from './admin-queries';
import { MEMBER_COMMAND_LABELS, MEMBER_STATUS_LABELS } from './labels';

/** The members of the charter: registering one once it signed, and the status commands the API allows. */
export function AdminMembers() {
  usePageTitle('Membres');
  const members = useMembers();
  return (
    <>
      <h1>Membres de la charte</h1>
      <RegisterMember />
      <QueryState query={members}>
        {(page) =>
          page.items.length === 0 ? (
            <p>Aucun membre.</p>
          ) : (
            <ul className="fr-raw-list" aria-label="Membres">
              {page.items.map((member) => (
                <MemberItem key={member.id} member={member} />
              ))}
            </ul>
          )
        }
      </QueryState>
    </>
  );
}

function RegisterMember() {
  const register = useRegisterMember();
  const [open, setOpen] = useState(false);
  const [form, setForm] = useState({ legalName: '', siren: '', charterSignedAt: '', charterSignatory: '' });
  const [missing, setMissing] = useState(false);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const values = { legalName: form.legalName.trim(), siren: form.siren.replace(/\s/g, ''), charterSignedAt: form.charterSignedAt, charterSignatory: form.charterSignatory.trim() };
    if (Object.values(values).some((value) => !value)) {
      setMissing(true);
      return;
    }
    setMissing(false);
    register.mutate(values, {
      onSuccess: () => {
        setOpen(false);
        setForm({ legalName: '', siren: '', charterSignedAt: '', charterSignatory: '' });
      },
    });
  };
  if (!open)
    return (
      <Button className="fr-mb-4w" iconId="fr-icon-add-line" onClick={() => setOpen(true)}>
        Enregistrer un membre
      </Button>
    );
  return (
    <form onSubmit={submit} noValidate className="fr-mb-6w">
      <h2>Enregistrer un membre</h2>
      <p>Un membre est enregistré une fois la charte signée ; il est ensuite validé avant de pouvoir être mobilisé.</p>
      {missing && <Alert className="fr-mb-2w" severity="error" small description="Renseignez tous les champs." />}
      {register.error && <Alert className="fr-mb-2w" severity="error" title="Le membre n’a pas été enregistré" description={describeError(register.error)} />}
      <Input label="Raison sociale" nativeInputProps={{ value: form.legalName, onChange: (e) => setForm({ ...form, legalName: e.target.value }) }} />
      <Input label="SIREN" hintText="9 chiffres" nativeInputProps={{ inputMode: 'numeric', value: form.siren, onChange: (e) => setForm({ ...form, siren: e.target.value }) }} />
      <Input label="Date de signature de la charte" nativeInputProps={{ type: 'date', value: form.charterSignedAt, onChange: (e) => setForm({ ...form, charterSignedAt: e.target.value }) }} />
      <Input label="Signataire de la charte" hintText="Nom et qualité" nativeInputProps={{ value: form.charterSignatory, onChange: (e) => setForm({ ...form, charterSignatory: e.target.value }) }} />
      <Button type="submit" className="fr-mr-2w" disabled={register.isPending}>
        Enregistrer
      </Button>
      <Button type="button" priority="secondary" onClick={() => setOpen(false)}>
        Annuler
      </Button>
    </form>
  );
}

function MemberItem({ member }: { member: Member }) {
  const command = useMemberCommand(member.id);
  const [pending, setPending] = useState<MemberCommand | null>(null);
  const [reason, setReason] = useState('');
  const offered = (Object.keys(MEMBER_COMMAND_LABELS) as MemberCommand[]).filter((action) => member.allowedActions.includes(action));
  return (
    <li className="fr-p-2w fr-mb-2w" style={{ border: '1px solid var(--border-default-grey)' }}>
      <h2 className="fr-h6 fr-mb-1w">{member.legalName}</h2>
      <p className="fr-mb-1w">
        <Badge noIcon small severity={member.status === 'ACTIVE' ? 'success' : member.status === 'PENDING' ? 'new' : 'warning'}>
          {MEMBER_STATUS_LABELS[member.status]}
        </Badge>
      </p>
      <p className="fr-mb-1w">
        SIREN {member.siren} · charte signée le {new Date(member.charterSignedAt).toLocaleDateString('fr-FR', { timeZone: 'Europe/Paris' })} par {member.charterSignatory} · enregistré le{' '}
        {formatDateTime(member.createdAt)}
        {member.statusReason ? ` · motif : ${member.statusReason}` : ''}
      </p>
      {command.error && <Alert className="fr-mb-2w" severity="error" small description={describeError(command.error)} />}
      {pending ? (
        <form
          noValidate
          onSubmit={(event) => {
            event.preventDefault();
            command.mutate({ command: pending, reason: reason.trim() || undefined }, { onSuccess: () => setPending(null) });
          }}
        >
          <Input label={`Motif (${MEMBER_COMMAND_LABELS[pending].toLowerCase()} ${member.legalName})`} nativeInputProps={{ value: reason, onChange: (e) => setReason(e.target.value) }} />
          <Button type="submit" className="fr-mr-2w" disabled={command.isPending}>
            {`Confirmer : ${MEMBER_COMMAND_LABELS[pending]}`}
          </Button>
          <Button type="button" priority="secondary" onClick={() => setPending(null)}>
            Annuler
          </Button>
        </form>
      ) : (
        offered.map((action) => (
          <Button
            key={action}
            size="small"
            priority={action === 'vet' || action === 'reinstate' ? 'primary' : 'secondary'}
            className="fr-mr-1w"
            onClick={() => {
              setReason('');
              setPending(action);
            }}
          >
            {MEMBER_COMMAND_LABELS[action]}
          </Button>
        ))
      )}
    </li>
  );
}
