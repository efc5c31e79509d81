import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Badge } from '@codegouvfr/react-dsfr/Badge';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { Select } from '@codegouvfr/react-dsfr/Select';
import { type FormEvent, useState } from 'react';
import { ApiError, type Schemas } from '../api/client';
import { describeError } from '../components/ApiProblem';
import { formatDateTime } from '../components/dates';
import { usePageTitle } from '../components/page';
import { QueryState } from '../components/QueryState';
import { useSession } from '../session/session-queries';
import { ASSET_STATUS_LABELS, CONTACT_ROLE_LABELS } from './labels';
import {
  type Asset,
  type Contact,
  type ContactStep,
  useAddContact,
  useAddUnavailability,
  useAssets,
  useAttest,
  useCategories,
  useCategoryLabel,
  useContactMethod,
  useContacts,
  useDeclareAsset,
  useEditAsset,
  useMember,
  useRotateSecret,
  useSetWebhook,
} from './member-queries';
import { parisLocalToIso } from './paris-time';
import { WebhookDeliveries } from './WebhookDeliveries';

/** The company's registry: its assets, its contacts and how they are reached, its webhook. */
export function MemberRegistry() {
  usePageTitle('Mes moyens et contacts');
  const memberId = useSession().data!.memberId!;
  return (
    <>
      <h1>Mes moyens et contacts</h1>
      <Assets memberId={memberId} />
      <Contacts memberId={memberId} />
      <Webhook memberId={memberId} />
    </>
  );
}

function Assets({ memberId }: { memberId: string }) {
  const assets = useAssets(memberId);
  const attest = useAttest();
  return (
    <section aria-labelledby="moyens" className="fr-mb-6w">
      <h2 id="moyens">Moyens déclarés</h2>
      <QueryState query={assets}>
        {(page) => {
          const stale = page.items.filter((asset) => asset.stale);
          return (
            <>
              {stale.length > 0 && (
                <Alert
                  className="fr-mb-3w"
                  severity="warning"
                  title={`${stale.length} moyen${stale.length > 1 ? 's' : ''} à attester de nouveau`}
                  description={
                    <>
                      <p>Attestez que ces moyens sont toujours prêts à être mobilisés.</p>
                      <Button size="small" disabled={attest.isPending} onClick={() => attest.mutate(stale.map((asset) => asset.id))}>
                        Tout attester
                      </Button>
                    </>
                  }
                />
              )}
              {attest.error && <Alert className="fr-mb-3w" severity="error" small description={describeError(attest.error)} />}
              {page.items.length === 0 ? (
                <p>Aucun moyen déclaré.</p>
              ) : (
                <ul className="fr-raw-list" aria-label="Moyens">
                  {page.items.map((asset) => (
                    <AssetItem key={asset.id} asset={asset} />
                  ))}
                </ul>
              )}
            </>
          );
        }}
      </QueryState>
      <DeclareAsset />
    </section>
  );
}

function AssetItem({ asset }: { asset: Asset }) {
  const attest = useAttest();
  const categoryLabel = useCategoryLabel();
  const edit = useEditAsset(asset.id);
  const unavailability = useAddUnavailability(asset.id);
  const [editing, setEditing] = useState(false);
  const [quantity, setQuantity] = useState(String(asset.quantity));
  const [period, setPeriod] = useState({ from: '', to: '', reason: '' });
  const error = attest.error ?? edit.error ?? unavailability.error;
  return (
    <li className="fr-p-2w fr-mb-2w" style={{ border: '1px solid var(--border-default-grey)' }}>
      <h3 className="fr-h6 fr-mb-1w">{asset.name}</h3>
      <p className="fr-mb-1w">
        <Badge noIcon small>
          {ASSET_STATUS_LABELS[asset.status] ?? asset.status}
        </Badge>{' '}
        {asset.stale && (
          <Badge noIcon small severity="warning">
            À attester
          </Badge>
        )}
      </p>
      <p className="fr-mb-1w">
        {categoryLabel(asset.category)} · {asset.quantity} unité{asset.quantity > 1 ? 's' : ''} dont {asset.remainingQuantity} disponible{asset.remainingQuantity > 1 ? 's' : ''} · délai {asset.leadTimeMinutes} min ·
        attesté le {formatDateTime(asset.attestedAt)}
      </p>
      {asset.unavailability.length > 0 && (
        <ul aria-label={`Indisponibilités de ${asset.name}`}>
          {asset.unavailability.map((slot) => (
            <li key={slot.id}>
              Du {formatDateTime(slot.from)} au {formatDateTime(slot.to)} : {slot.reason}
            </li>
          ))}
        </ul>
      )}
      {error && <Alert className="fr-mb-2w" severity="error" small description={describeError(error)} />}
      <Button size="small" priority="secondary" className="fr-mr-1w fr-mb-1w" disabled={attest.isPending} onClick={() => attest.mutate([asset.id])}>
        Attester sa disponibilité
      </Button>
      <Button size="small" priority="tertiary" className="fr-mb-1w" onClick={() => setEditing(!editing)} nativeButtonProps={{ 'aria-expanded': editing }}>
        Modifier
      </Button>
      {editing && (
        <div className="fr-mt-2w">
          <form
            noValidate
            onSubmit={(event: FormEvent) => {
              event.preventDefault();
              edit.mutate({ quantity: Number(quantity), version: asset.version }, { onSuccess: () => setEditing(false) });
            }}
          >
            <Input label={`Quantité de ${asset.name}`} nativeInputProps={{ type: 'number', min: 1, value: quantity, onChange: (e) => setQuantity(e.target.value) }} />
            <Button type="submit" size="small" disabled={edit.isPending}>
              Enregistrer
            </Button>
          </form>
          <form
            className="fr-mt-3w"
            noValidate
            onSubmit={(event: FormEvent) => {
              event.preventDefault();
              unavailability.mutate({ from: parisLocalToIso(period.from), to: parisLocalToIso(period.to), reason: period.reason }, { onSuccess: () => setPeriod({ from: '', to: '', reason: '' }) });
            }}
          >
            <fieldset className="fr-fieldset">
              <legend className="fr-fieldset__legend">Période d’indisponibilité (heure de Paris)</legend>
              <Input label={`Du (${asset.name})`} nativeInputProps={{ type: 'datetime-local', value: period.from, onChange: (e) => setPeriod({ ...period, from: e.target.value }) }} />
              <Input label={`Au (${asset.name})`} nativeInputProps={{ type: 'datetime-local', value: period.to, onChange: (e) => setPeriod({ ...period, to: e.target.value }) }} />
              <Input label={`Motif de l’indisponibilité (${asset.name})`} nativeInputProps={{ value: period.reason, onChange: (e) => setPeriod({ ...period, reason: e.target.value }) }} />
            </fieldset>
            <Button type="submit" size="small" priority="secondary" disabled={unavailability.isPending || !period.from || !period.to || !period.reason}>
              Ajouter la période
            </Button>
          </form>
        </div>
      )}
    </li>
  );
}

function DeclareAsset() {
  const categories = useCategories();
  const declare = useDeclareAsset();
  const [open, setOpen] = useState(false);
  const [form, setForm] = useState({ name: '', category: '', quantity: '1', leadTimeMinutes: '60', departements: '' });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const departements = form.departements.split(/[\s,;]+/).filter(Boolean);
    declare.mutate(
      {
        name: form.name.trim(),
        category: form.category,
        quantity: Number(form.quantity),
        leadTimeMinutes: Number(form.leadTimeMinutes),
        coverage: departements.length ? { departements } : { national: true },
      },
      { onSuccess: () => setOpen(false) },
    );
  };
  if (!open)
    return (
      <Button iconId="fr-icon-add-line" onClick={() => setOpen(true)}>
        Déclarer un moyen
      </Button>
    );
  return (
    <form onSubmit={submit} noValidate className="fr-mt-3w">
      <h3 className="fr-h6">Déclarer un moyen</h3>
      {declare.error && <Alert className="fr-mb-2w" severity="error" small description={describeError(declare.error)} />}
      <Input label="Nom du moyen" nativeInputProps={{ value: form.name, onChange: (e) => setForm({ ...form, name: e.target.value }) }} />
      <Select label="Catégorie" nativeSelectProps={{ value: form.category, onChange: (e) => setForm({ ...form, category: e.target.value }) }}>
        <option value="" disabled>
          Choisissez une catégorie
        </option>
        {(categories.data ?? []).map((category: Schemas['CategoryResponse']) => (
          <option key={category.code} value={category.code}>
            {category.label}
          </option>
        ))}
      </Select>
      <Input label="Quantité" nativeInputProps={{ type: 'number', min: 1, value: form.quantity, onChange: (e) => setForm({ ...form, quantity: e.target.value }) }} />
      <Input label="Délai de mise en œuvre (minutes)" nativeInputProps={{ type: 'number', min: 0, value: form.leadTimeMinutes, onChange: (e) => setForm({ ...form, leadTimeMinutes: e.target.value }) }} />
      <Input
        label="Départements couverts"
        hintText="Codes séparés par des virgules (06, 83) ; laissez vide pour tout le territoire."
        nativeInputProps={{ value: form.departements, onChange: (e) => setForm({ ...form, departements: e.target.value }) }}
      />
      <Button type="submit" className="fr-mr-2w" disabled={declare.isPending}>
        Déclarer
      </Button>
      <Button type="button" priority="secondary" onClick={() => setOpen(false)}>
        Annuler
      </Button>
    </form>
  );
}

function Contacts({ memberId }: { memberId: string }) {
  const contacts = useContacts(memberId);
  const add = useAddContact(memberId);
  const [form, setForm] = useState({ name: '', email: '', phone: '', escalationOrder: '1' });
  return (
    <section aria-labelledby="contacts" className="fr-mb-6w">
      <h2 id="contacts">Contacts, par ordre d’escalade</h2>
      <QueryState query={contacts}>
        {(list) =>
          list.length === 0 ? (
            <p>Aucun contact.</p>
          ) : (
            <ol aria-label="Contacts">
              {[...list]
                .sort((a, b) => a.escalationOrder - b.escalationOrder)
                .map((contact) => (
                  <ContactItem key={contact.id} memberId={memberId} contact={contact} />
                ))}
            </ol>
          )
        }
      </QueryState>
      <form
        noValidate
        className="fr-mt-3w"
        onSubmit={(event: FormEvent) => {
          event.preventDefault();
          add.mutate(
            { name: form.name.trim(), email: form.email.trim(), phone: form.phone.trim(), escalationOrder: Number(form.escalationOrder), role: 'DUTY_OFFICER', available24x7: true },
            { onSuccess: () => setForm({ name: '', email: '', phone: '', escalationOrder: '1' }) },
          );
        }}
      >
        <h3 className="fr-h6">Ajouter un contact d’astreinte</h3>
        {add.error && <Alert className="fr-mb-2w" severity="error" small description={describeError(add.error)} />}
        <Input label="Nom" nativeInputProps={{ value: form.name, onChange: (e) => setForm({ ...form, name: e.target.value }) }} />
        <Input label="Adresse électronique du contact" nativeInputProps={{ type: 'email', value: form.email, onChange: (e) => setForm({ ...form, email: e.target.value }) }} />
        <Input label="Téléphone mobile" hintText="Au format international : +33612345678" nativeInputProps={{ type: 'tel', value: form.phone, onChange: (e) => setForm({ ...form, phone: e.target.value }) }} />
        <Input label="Rang dans l’escalade" nativeInputProps={{ type: 'number', min: 1, value: form.escalationOrder, onChange: (e) => setForm({ ...form, escalationOrder: e.target.value }) }} />
        <Button type="submit" disabled={add.isPending}>
          Ajouter le contact
        </Button>
      </form>
    </section>
  );
}

function ContactItem({ memberId, contact }: { memberId: string; contact: Contact }) {
  const step = useContactMethod(memberId);
  const [codes, setCodes] = useState<Record<string, string>>({});
  const [sent, setSent] = useState('');
  const run = (action: ContactStep, done: string) => {
    setSent('');
    step.mutate(action, { onSuccess: () => setSent(done) });
  };
  return (
    <li className="fr-mb-3w">
      <p className="fr-mb-1w">
        <strong>{contact.name}</strong> ({CONTACT_ROLE_LABELS[contact.role] ?? contact.role}
        {contact.available24x7 ? ', 24 h/24' : ''})
      </p>
      {step.error && <Alert className="fr-mb-2w" severity="error" small description={describeMethodError(step.error, step.variables?.step)} />}
      {sent && <Alert className="fr-mb-2w" severity="success" small description={sent} />}
      {(['email', 'sms'] as const).map((method) => {
        const state = contact.methods[method];
        const label = method === 'email' ? 'Courriel' : 'SMS';
        return (
          <div key={method} className="fr-mb-2w">
            <p className="fr-mb-1w">
              {label} : {state.address}{' '}
              {state.verified ? (
                <Badge small severity="success">
                  Vérifié
                </Badge>
              ) : (
                <Badge small severity="warning">
                  Non vérifié
                </Badge>
              )}{' '}
              {state.failing && (
                <Badge small severity="error">
                  En échec
                </Badge>
              )}
            </p>
            {!state.verified && (
              <Button
                size="small"
                priority="secondary"
                className="fr-mr-1w"
                disabled={step.isPending}
                onClick={() => run({ step: 'verify', contactId: contact.id, method }, `Code envoyé par ${label.toLowerCase()} à ${state.address}.`)}
              >
                {`Envoyer un code (${label})`}
              </Button>
            )}
            {!state.verified && state.codeExpiresAt && (
              <form
                noValidate
                onSubmit={(event: FormEvent) => {
                  event.preventDefault();
                  run({ step: 'confirm', contactId: contact.id, method, code: (codes[method] ?? '').trim() }, `${label} vérifié.`);
                }}
              >
                <Input
                  label={`Code reçu (${label}, ${contact.name})`}
                  nativeInputProps={{ inputMode: 'numeric', autoComplete: 'one-time-code', value: codes[method] ?? '', onChange: (e) => setCodes({ ...codes, [method]: e.target.value }) }}
                />
                <Button type="submit" size="small" disabled={step.isPending}>
                  Confirmer le code
                </Button>
              </form>
            )}
            {state.verified && (
              <Button
                size="small"
                priority="tertiary"
                disabled={step.isPending}
                onClick={() => run({ step: 'test', contactId: contact.id, method }, `Alerte de test envoyée par ${label.toLowerCase()}.`)}
              >
                {`Envoyer une alerte de test (${label})`}
              </Button>
            )}
          </div>
        );
      })}
    </li>
  );
}

/** A refusal of a verification or a test alert, as the person who asked can act on it. */
function describeMethodError(error: unknown, step: ContactStep['step'] | undefined): string {
  if (!(error instanceof ApiError)) return describeError(error);
  switch (error.code) {
    case 'CONTACT.CODE_INVALID':
    case 'REQUEST.VALIDATION_FAILED':
      return 'Ce code ne correspond pas à celui envoyé. Vérifiez les six chiffres reçus et saisissez-les de nouveau ; au bout de cinq erreurs, il faudra demander un nouveau code.';
    case 'CONTACT.CODE_EXPIRED':
      return 'Ce code a expiré (il est valable 15 minutes) : demandez un nouveau code.';
    case 'CONTACT.TOO_MANY_ATTEMPTS':
      return step === 'confirm'
        ? 'Cinq codes erronés : ce code ne peut plus servir. Demandez un nouveau code.'
        : 'Un code vient d’être envoyé : attendez une minute avant d’en demander un autre.';
    case 'CHANNEL.NOT_CONFIGURED':
      return 'Ce canal n’est pas configuré sur le service : aucun message ne peut être envoyé par ce moyen.';
    case 'CONTACT.METHOD_NOT_VERIFIED':
      return 'Ce moyen de contact n’est pas vérifié : vérifiez-le avant d’y envoyer une alerte de test.';
    default:
      return describeError(error);
  }
}

function Webhook({ memberId }: { memberId: string }) {
  const member = useMember(memberId);
  return (
    <section aria-labelledby="webhook">
      <h2 id="webhook">Webhook</h2>
      <p>Renfort envoie aussi chaque demande, signée, à l’adresse de votre système d’alerte.</p>
      <QueryState query={member}>{(data) => <WebhookForm member={data} />}</QueryState>
      <WebhookDeliveries memberId={memberId} />
    </section>
  );
}

function WebhookForm({ member }: { member: Schemas['MemberResponse'] }) {
  const set = useSetWebhook(member);
  const rotate = useRotateSecret(member.id);
  const [url, setUrl] = useState(member.webhookUrl ?? '');
  const error = set.error ?? rotate.error;
  return (
    <>
      {error && <Alert className="fr-mb-2w" severity="error" small description={describeError(error)} />}
      <form
        noValidate
        onSubmit={(event: FormEvent) => {
          event.preventDefault();
          set.mutate(url.trim() || null);
        }}
      >
        <Input label="Adresse du webhook" hintText="https://…" nativeInputProps={{ type: 'url', value: url, onChange: (e) => setUrl(e.target.value) }} />
        <Button type="submit" className="fr-mr-2w fr-mb-2w" disabled={set.isPending}>
          Enregistrer l’adresse
        </Button>
        {member.webhookUrl && (
          <Button type="button" priority="secondary" className="fr-mb-2w" disabled={rotate.isPending} onClick={() => rotate.mutate()}>
            Renouveler le secret de signature
          </Button>
        )}
      </form>
      {rotate.data?.webhookSecret && (
        <Alert
          severity="info"
          title="Nouveau secret de signature"
          description={
            <>
              <p>Il n’est affiché qu’une fois : copiez-le maintenant dans votre système.</p>
              <p>
                <code>{rotate.data.webhookSecret}</code>
              </p>
            </>
          }
        />
      )}
      <p className="fr-text--sm">L’état de chaque envoi (tentatives, échec) figure sur la page de chaque demande.</p>
    </>
  );
}
