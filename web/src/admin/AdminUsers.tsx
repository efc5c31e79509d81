import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Badge } from '@codegouvfr/react-dsfr/Badge';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { Select } from '@codegouvfr/react-dsfr/Select';
import { type FormEvent, useState } from 'react';
import { describeError } from '../components/ApiProblem';
import { usePageTitle } from '../components/page';
import { QueryState } from '../components/QueryState';
import { type Role, ROLE_LABELS, useSession } from '../session/session-queries';
import { type Member, type User, useCreateUser, useMembers, useUserCommand, useUsers } from './admin-queries';

const ROLES = Object.keys(ROLE_LABELS) as Role[];

/** The users: creating one, disabling or enabling it, its role and binding, resetting its second factor. */
export function AdminUsers() {
  usePageTitle('Utilisateurs');
  const users = useUsers();
  const members = useMembers();
  const memberList = members.data?.items ?? [];
  return (
    <>
      <h1>Utilisateurs</h1>
      <CreateUser members={memberList} />
      <QueryState query={users}>
        {(page) => (
          <ul className="fr-raw-list" aria-label="Utilisateurs">
            {page.items.map((user) => (
              <UserItem key={user.id} user={user} members={memberList} />
            ))}
          </ul>
        )}
      </QueryState>
    </>
  );
}

/** The role, and the member or the directorate the role acts for. */
function RoleFields({
  idPrefix,
  value,
  onChange,
  members,
}: {
  idPrefix: string;
  value: { role: Role | ''; memberId: string; directorateCode: string };
  onChange: (value: { role: Role | ''; memberId: string; directorateCode: string }) => void;
  members: Member[];
}) {
  return (
    <>
      <Select label={`Rôle${idPrefix}`} nativeSelectProps={{ value: value.role, onChange: (e) => onChange({ ...value, role: e.target.value as Role }) }}>
        <option value="" disabled>
          Choisissez un rôle
        </option>
        {ROLES.map((role) => (
          <option key={role} value={role}>
            {ROLE_LABELS[role]}
          </option>
        ))}
      </Select>
      {value.role === 'MEMBER' && (
        <Select label={`Membre représenté${idPrefix}`} nativeSelectProps={{ value: value.memberId, onChange: (e) => onChange({ ...value, memberId: e.target.value }) }}>
          <option value="" disabled>
            Choisissez un membre
          </option>
          {members.map((member) => (
            <option key={member.id} value={member.id}>
              {member.legalName}
            </option>
          ))}
        </Select>
      )}
      {value.role === 'DIRECTORATE' && (
        <Input label={`Code de la direction${idPrefix}`} hintText="Par exemple : DGSCGC" nativeInputProps={{ value: value.directorateCode, onChange: (e) => onChange({ ...value, directorateCode: e.target.value }) }} />
      )}
    </>
  );
}

function binding(value: { role: Role | ''; memberId: string; directorateCode: string }) {
  return {
    ...(value.role === 'MEMBER' ? { memberId: value.memberId } : {}),
    ...(value.role === 'DIRECTORATE' ? { directorateCode: value.directorateCode.trim() } : {}),
  };
}

function CreateUser({ members }: { members: Member[] }) {
  const create = useCreateUser();
  const [open, setOpen] = useState(false);
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [role, setRole] = useState<{ role: Role | ''; memberId: string; directorateCode: string }>({ role: '', memberId: '', directorateCode: '' });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!role.role) return;
    create.mutate({ email: email.trim(), password, role: role.role, ...binding(role) }, { onSuccess: () => setOpen(false) });
  };
  if (!open)
    return (
      <Button className="fr-mb-4w" iconId="fr-icon-add-line" onClick={() => setOpen(true)}>
        Créer un utilisateur
      </Button>
    );
  return (
    <form onSubmit={submit} noValidate className="fr-mb-6w">
      <h2>Créer un utilisateur</h2>
      {create.error && <Alert className="fr-mb-2w" severity="error" title="L’utilisateur n’a pas été créé" description={describeError(create.error)} />}
      <Input label="Adresse électronique" nativeInputProps={{ type: 'email', value: email, onChange: (e) => setEmail(e.target.value) }} />
      <Input label="Mot de passe initial" hintText="12 caractères au moins" nativeInputProps={{ type: 'password', autoComplete: 'new-password', value: password, onChange: (e) => setPassword(e.target.value) }} />
      <RoleFields idPrefix="" value={role} onChange={setRole} members={members} />
      <Button type="submit" className="fr-mr-2w" disabled={create.isPending || !role.role}>
        Créer
      </Button>
      <Button type="button" priority="secondary" onClick={() => setOpen(false)}>
        Annuler
      </Button>
    </form>
  );
}

function UserItem({ user, members }: { user: User; members: Member[] }) {
  const me = useSession().data!;
  const command = useUserCommand(user.id);
  const [editing, setEditing] = useState(false);
  const [role, setRole] = useState<{ role: Role | ''; memberId: string; directorateCode: string }>({
    role: user.role,
    memberId: user.memberId ?? '',
    directorateCode: user.directorateCode ?? '',
  });
  const [done, setDone] = useState('');
  const member = members.find((candidate) => candidate.id === user.memberId);
  const self = user.email === me.email;
  return (
    <li className="fr-p-2w fr-mb-2w" style={{ border: '1px solid var(--border-default-grey)' }}>
      <h2 className="fr-h6 fr-mb-1w">{user.email}</h2>
      <p className="fr-mb-1w">
        {ROLE_LABELS[user.role]}
        {member ? ` · ${member.legalName}` : ''}
        {user.directorateCode ? ` · ${user.directorateCode}` : ''}{' '}
        {user.disabled && (
          <Badge small severity="error">
            Désactivé
          </Badge>
        )}{' '}
        {user.mfaEnrolled ? (
          <Badge small severity="success">
            Double authentification activée
          </Badge>
        ) : (
          <Badge small>Sans double authentification</Badge>
        )}
      </p>
      {command.error && <Alert className="fr-mb-2w" severity="error" small description={describeError(command.error)} />}
      {done && <Alert className="fr-mb-2w" severity="success" small description={done} />}
      {!self &&
        (user.disabled ? (
          <Button size="small" className="fr-mr-1w fr-mb-1w" disabled={command.isPending} onClick={() => command.mutate({ command: 'enable' }, { onSuccess: () => setDone('Compte réactivé.') })}>
            {`Réactiver ${user.email}`}
          </Button>
        ) : (
          <Button
            size="small"
            priority="secondary"
            className="fr-mr-1w fr-mb-1w"
            disabled={command.isPending}
            onClick={() => command.mutate({ command: 'disable' }, { onSuccess: () => setDone('Compte désactivé : ses sessions sont fermées.') })}
          >
            {`Désactiver ${user.email}`}
          </Button>
        ))}
      <Button size="small" priority="tertiary" className="fr-mr-1w fr-mb-1w" onClick={() => setEditing(!editing)} nativeButtonProps={{ 'aria-expanded': editing }}>
        {`Changer le rôle de ${user.email}`}
      </Button>
      {user.mfaEnrolled && !self && (
      <Button
        size="small"
        priority="tertiary"
        className="fr-mb-1w"
        disabled={command.isPending}
        onClick={() => command.mutate({ command: 'reset-mfa' }, { onSuccess: () => setDone('Double authentification réinitialisée : elle sera de nouveau demandée à la connexion.') })}
      >
        {`Réinitialiser la double authentification de ${user.email}`}
      </Button>
      )}
      {editing && (
        <form
          noValidate
          className="fr-mt-2w"
          onSubmit={(event) => {
            event.preventDefault();
            if (!role.role) return;
            command.mutate({ command: 'reassign', body: { role: role.role, ...binding(role) } }, { onSuccess: () => setEditing(false) });
          }}
        >
          <RoleFields idPrefix={` (${user.email})`} value={role} onChange={setRole} members={members} />
          <Button type="submit" size="small" disabled={command.isPending}>
            Enregistrer le rôle
          </Button>
        </form>
      )}
    </li>
  );
}
