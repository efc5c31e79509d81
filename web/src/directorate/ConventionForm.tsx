import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Checkbox } from '@codegouvfr/react-dsfr/Checkbox';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { RadioButtons } from '@codegouvfr/react-dsfr/RadioButtons';
import { Select } from '@codegouvfr/react-dsfr/Select';
import { useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import { describeError } from '../components/ApiProblem';
import { usePageTitle } from '../components/page';
import { QueryState } from '../components/QueryState';
import { DepartementsPicker } from '../crisis/DepartementsPicker';
import { CRISIS_TYPE_LABELS, type CrisisType } from '../crisis/labels';
import { PATHS } from '../paths';
import { type Convention, useConvention, useDraftConvention, useMemberAssets, useUpdateConvention, useVisibleMembers } from './directorate-queries';

interface Terms {
  memberId: string;
  assetIds: string[];
  crisisTypes: CrisisType[];
  national: boolean;
  departements: string[];
  ackWithinMinutes: string;
  deployWithinMinutes: string;
  startsOn: string;
  endsOn: string;
  tacitRenewal: boolean;
}

function parisToday(): string {
  return new Date().toLocaleDateString('sv-SE', { timeZone: 'Europe/Paris' });
}

function termsOf(convention: Convention): Terms {
  const scope = convention.scope as { national?: boolean; departements?: string[] };
  return {
    memberId: convention.memberId,
    assetIds: convention.assetIds,
    crisisTypes: convention.crisisTypes,
    national: scope.national === true,
    departements: scope.departements ?? [],
    ackWithinMinutes: String(convention.ackWithinMinutes),
    deployWithinMinutes: String(convention.deployWithinMinutes),
    startsOn: convention.startsOn.slice(0, 10),
    endsOn: convention.endsOn.slice(0, 10),
    tacitRenewal: convention.tacitRenewal,
  };
}

/** Drafting a convention with a member. */
export function DraftConvention() {
  usePageTitle('Rédiger une convention');
  const draft = useDraftConvention();
  const navigate = useNavigate();
  const today = parisToday();
  const initial: Terms = {
    memberId: '',
    assetIds: [],
    crisisTypes: [],
    national: false,
    departements: [],
    ackWithinMinutes: '30',
    deployWithinMinutes: '240',
    startsOn: today,
    endsOn: '',
    tacitRenewal: false,
  };
  return (
    <>
      <h1>Rédiger une convention</h1>
      <ConventionTermsForm
        initial={initial}
        memberFixed={false}
        pending={draft.isPending}
        error={draft.error}
        submitLabel="Enregistrer le brouillon"
        onSubmit={(terms) =>
          draft.mutate(
            {
              memberId: terms.memberId,
              assetIds: terms.assetIds,
              crisisTypes: terms.crisisTypes,
              scope: terms.national ? { national: true } : { departements: terms.departements },
              ackWithinMinutes: Number(terms.ackWithinMinutes),
              deployWithinMinutes: Number(terms.deployWithinMinutes),
              startsOn: terms.startsOn,
              ...(terms.endsOn ? { endsOn: terms.endsOn } : {}),
              tacitRenewal: terms.tacitRenewal,
            },
            { onSuccess: (created) => void navigate(PATHS.directorateConvention(created.id)) },
          )
        }
      />
    </>
  );
}

/** Changing the terms of a draft, first version or amendment. */
export function EditConvention() {
  const id = useParams().conventionId!;
  usePageTitle('Modifier la convention');
  const convention = useConvention(id);
  const update = useUpdateConvention(id);
  const navigate = useNavigate();
  return (
    <>
      <h1>Modifier la convention</h1>
      <QueryState query={convention}>
        {(current) => (
          <ConventionTermsForm
            initial={termsOf(current)}
            memberFixed
            pending={update.isPending}
            error={update.error}
            submitLabel="Enregistrer les modifications"
            onSubmit={(terms) =>
              update.mutate(
                {
                  rowVersion: current.rowVersion,
                  assetIds: terms.assetIds,
                  crisisTypes: terms.crisisTypes,
                  scope: terms.national ? { national: true } : { departements: terms.departements },
                  ackWithinMinutes: Number(terms.ackWithinMinutes),
                  deployWithinMinutes: Number(terms.deployWithinMinutes),
                  ...(terms.endsOn ? { endsOn: terms.endsOn } : {}),
                },
                { onSuccess: () => void navigate(PATHS.directorateConvention(id)) },
              )
            }
          />
        )}
      </QueryState>
    </>
  );
}

function ConventionTermsForm({
  initial,
  memberFixed,
  pending,
  error,
  submitLabel,
  onSubmit,
}: {
  initial: Terms;
  memberFixed: boolean;
  pending: boolean;
  error: unknown;
  submitLabel: string;
  onSubmit: (terms: Terms) => void;
}) {
  const [terms, setTerms] = useState(initial);
  const set = (change: Partial<Terms>) => setTerms((old) => ({ ...old, ...change }));
  const members = useVisibleMembers();
  const assets = useMemberAssets(terms.memberId);
  const toggle = <T,>(list: T[], value: T) => (list.includes(value) ? list.filter((item) => item !== value) : [...list, value]);
  return (
    <form
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        onSubmit(terms);
      }}
    >
      {error ? <Alert className="fr-mb-2w" severity="error" small description={describeError(error)} /> : null}
      <fieldset className="fr-fieldset">
        <legend className="fr-fieldset__legend">1. Le membre et ses moyens</legend>
        <Select
          label="Membre"
          disabled={memberFixed}
          nativeSelectProps={{ value: terms.memberId, onChange: (e) => set({ memberId: e.target.value, assetIds: [] }) }}
        >
          <option value="">Choisir un membre</option>
          {(members.data?.items ?? []).map((member) => (
            <option key={member.id} value={member.id}>
              {member.legalName}
            </option>
          ))}
        </Select>
        {terms.memberId && (
          <Checkbox
            legend="Moyens couverts"
            options={(assets.data?.items ?? []).map((asset) => ({
              label: asset.name,
              nativeInputProps: { checked: terms.assetIds.includes(asset.id), onChange: () => set({ assetIds: toggle(terms.assetIds, asset.id) }) },
            }))}
          />
        )}
      </fieldset>
      <fieldset className="fr-fieldset">
        <legend className="fr-fieldset__legend">2. Crises et territoire</legend>
        <Checkbox
          legend="Types de crise"
          orientation="horizontal"
          options={(Object.keys(CRISIS_TYPE_LABELS) as CrisisType[]).map((type) => ({
            label: CRISIS_TYPE_LABELS[type],
            nativeInputProps: { checked: terms.crisisTypes.includes(type), onChange: () => set({ crisisTypes: toggle(terms.crisisTypes, type) }) },
          }))}
        />
        <RadioButtons
          legend="Territoire"
          orientation="horizontal"
          options={[
            { label: 'Tout le territoire', nativeInputProps: { checked: terms.national, onChange: () => set({ national: true }) } },
            { label: 'Des départements', nativeInputProps: { checked: !terms.national, onChange: () => set({ national: false }) } },
          ]}
        />
        {!terms.national && (
          <DepartementsPicker label="Départements couverts" listLabel="Départements retenus" chosen={terms.departements} onChange={(departements) => set({ departements })} />
        )}
      </fieldset>
      <fieldset className="fr-fieldset">
        <legend className="fr-fieldset__legend">3. Engagements et durée</legend>
        <Input
          label="Prise en compte sous (minutes)"
          nativeInputProps={{ type: 'number', min: 1, value: terms.ackWithinMinutes, onChange: (e) => set({ ackWithinMinutes: e.target.value }) }}
        />
        <Input
          label="Arrivée sur place sous (minutes)"
          nativeInputProps={{ type: 'number', min: 1, value: terms.deployWithinMinutes, onChange: (e) => set({ deployWithinMinutes: e.target.value }) }}
        />
        {!memberFixed && (
          <Input label="Début" nativeInputProps={{ type: 'date', value: terms.startsOn, onChange: (e) => set({ startsOn: e.target.value }) }} />
        )}
        <Input label="Fin" hintText="Laisser vide pour la durée par défaut" nativeInputProps={{ type: 'date', value: terms.endsOn, onChange: (e) => set({ endsOn: e.target.value }) }} />
        {!memberFixed && (
          <Checkbox
            options={[{ label: 'Tacite reconduction', nativeInputProps: { checked: terms.tacitRenewal, onChange: () => set({ tacitRenewal: !terms.tacitRenewal }) } }]}
          />
        )}
      </fieldset>
      <Button type="submit" disabled={pending}>
        {submitLabel}
      </Button>
    </form>
  );
}
