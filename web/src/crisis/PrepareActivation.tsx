import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { Select } from '@codegouvfr/react-dsfr/Select';
import { type FormEvent, useEffect, useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import { describeError } from '../components/ApiProblem';
import { usePageTitle } from '../components/page';
import { QueryState } from '../components/QueryState';
import { PATHS } from '../paths';
import { type EligibleAsset, useCategories, useEligibility, usePrepareActivation } from './activation-queries';
import { useCrisis } from './crisis-queries';
import { DepartementsPicker } from './DepartementsPicker';
import type { Crisis } from './labels';

interface RequirementDraft {
  key: number;
  category: string;
  quantity: string;
  departements: string[];
  /** « 2026-11-22T18:00 », Paris time as the field shows it; empty when not said. */
  neededBy: string;
}

const DEBOUNCE_MS = 400;

/** Preparing an activation: what is needed, where and by when, and the decision that orders it, with what it would find now. */
export function PrepareActivation() {
  const { crisisId } = useParams() as { crisisId: string };
  const crisis = useCrisis(crisisId);
  usePageTitle('Préparer une activation');
  return <QueryState query={crisis}>{(data) => <PrepareActivationForm crisis={data} />}</QueryState>;
}

let nextKey = 1;
const emptyRequirement = (departements: string[]): RequirementDraft => ({ key: nextKey++, category: '', quantity: '1', departements, neededBy: '' });

function PrepareActivationForm({ crisis }: { crisis: Crisis }) {
  const navigate = useNavigate();
  const categories = useCategories();
  const prepare = usePrepareActivation(crisis.id);
  const [decisionReference, setDecisionReference] = useState('');
  const [requirements, setRequirements] = useState<RequirementDraft[]>(() => [emptyRequirement(crisis.departements)]);
  const [missing, setMissing] = useState<string[]>([]);
  // The dry run follows the form once it has stopped changing for a moment.
  const debounced = useDebounced(requirements, DEBOUNCE_MS);
  const eligibility = useEligibility(
    crisis.type,
    debounced.map((requirement) => ({ category: requirement.category, departements: requirement.departements })),
  );

  const update = (key: number, change: Partial<RequirementDraft>) =>
    setRequirements((current) => current.map((requirement) => (requirement.key === key ? { ...requirement, ...change } : requirement)));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const absent = [
      ...(decisionReference.trim() ? [] : ['la référence de la décision']),
      ...requirements.flatMap((requirement, index) => [
        ...(requirement.category ? [] : [`la catégorie du besoin ${index + 1}`]),
        ...(Number(requirement.quantity) >= 1 ? [] : [`une quantité d’au moins 1 pour le besoin ${index + 1}`]),
        ...(requirement.departements.length ? [] : [`au moins un département pour le besoin ${index + 1}`]),
      ]),
    ];
    setMissing(absent);
    if (absent.length > 0) return;
    prepare.mutate(
      {
        decisionReference: decisionReference.trim(),
        requirements: requirements.map((requirement) => ({
          category: requirement.category,
          quantity: Number(requirement.quantity),
          departements: requirement.departements,
          ...(requirement.neededBy ? { neededBy: parisLocalToIso(requirement.neededBy) } : {}),
        })),
      },
      { onSuccess: (activation) => void navigate(PATHS.activation(activation.id)) },
    );
  };

  return (
    <>
      <h1>Préparer une activation</h1>
      <p>
        Crise : <strong>{crisis.title}</strong>. L’activation préparée attend l’autorisation d’un membre du cabinet du ministre, qui ne peut pas être la
        personne qui la prépare.
      </p>
      {missing.length > 0 && <Alert className="fr-mb-3w" severity="error" title="Il manque des informations" description={`Renseignez ${missing.join(', ')}.`} />}
      {prepare.error && <Alert className="fr-mb-3w" severity="error" title="L’activation n’a pas été préparée" description={describeError(prepare.error)} />}
      <form onSubmit={submit} noValidate>
        <Input
          label="Référence de la décision"
          hintText="Par exemple : Décision ministérielle 2026-117"
          nativeInputProps={{ value: decisionReference, maxLength: 200, required: true, onChange: (e) => setDecisionReference(e.target.value) }}
        />
        {requirements.map((requirement, index) => (
          <fieldset key={requirement.key} className="fr-fieldset fr-mb-4w" aria-labelledby={`besoin-${requirement.key}`}>
            <legend className="fr-fieldset__legend" id={`besoin-${requirement.key}`}>
              Besoin {index + 1}
            </legend>
            <div className="fr-fieldset__element">
              <Select
                label={`Catégorie du besoin ${index + 1}`}
                nativeSelectProps={{ value: requirement.category, required: true, onChange: (e) => update(requirement.key, { category: e.target.value }) }}
              >
                <option value="" disabled>
                  {categories.data ? 'Choisissez une catégorie' : 'Chargement des catégories…'}
                </option>
                {categories.data?.map((category) => (
                  <option key={category.code} value={category.code}>
                    {category.label} ({category.code})
                  </option>
                ))}
              </Select>
            </div>
            <div className="fr-fieldset__element">
              <Input
                label={`Quantité du besoin ${index + 1}`}
                hintText="Nombre d’unités nécessaires"
                nativeInputProps={{ type: 'number', min: 1, value: requirement.quantity, onChange: (e) => update(requirement.key, { quantity: e.target.value }) }}
              />
            </div>
            <div className="fr-fieldset__element">
              <DepartementsPicker
                label={`Départements du besoin ${index + 1}`}
                listLabel={`Départements du besoin ${index + 1} choisis`}
                chosen={requirement.departements}
                onChange={(departements) => update(requirement.key, { departements })}
              />
            </div>
            <div className="fr-fieldset__element">
              <Input
                label={`Nécessaire avant (besoin ${index + 1})`}
                hintText="Heure de Paris ; facultatif"
                nativeInputProps={{ type: 'datetime-local', value: requirement.neededBy, onChange: (e) => update(requirement.key, { neededBy: e.target.value }) }}
              />
            </div>
            <div className="fr-fieldset__element">
              <RequirementEligibility
                index={index}
                quantity={Number(debounced[index]?.quantity ?? 0)}
                asked={debounced[index]?.category ? eligibility[index] : undefined}
              />
            </div>
            {requirements.length > 1 && (
              <div className="fr-fieldset__element">
                <Button type="button" priority="tertiary" size="small" onClick={() => setRequirements(requirements.filter((other) => other.key !== requirement.key))}>
                  Retirer le besoin {index + 1}
                </Button>
              </div>
            )}
          </fieldset>
        ))}
        <Button type="button" priority="secondary" iconId="fr-icon-add-line" className="fr-mb-4w" onClick={() => setRequirements([...requirements, emptyRequirement(crisis.departements)])}>
          Ajouter un besoin
        </Button>
        <div>
          <Button type="submit" disabled={prepare.isPending}>
            Préparer l’activation
          </Button>
        </div>
      </form>
    </>
  );
}

/** What a requirement would find now: units, assets and members, and a warning when it cannot be met. */
function RequirementEligibility({
  index,
  quantity,
  asked,
}: {
  index: number;
  quantity: number;
  asked: { data?: EligibleAsset[]; isPending: boolean; isError: boolean; error: unknown } | undefined;
}) {
  const title = `Ce que trouverait le besoin ${index + 1}`;
  if (!asked) return <p className="fr-text--sm">Choisissez une catégorie pour voir les moyens mobilisables.</p>;
  return (
    <section aria-label={title} aria-live="polite">
      {asked.isError ? (
        <Alert small severity="error" description={describeError(asked.error)} />
      ) : !asked.data ? (
        <p className="fr-text--sm">Recherche des moyens mobilisables…</p>
      ) : (
        <EligibilitySummary assets={asked.data} quantity={quantity} />
      )}
    </section>
  );
}

export function EligibilitySummary({ assets, quantity }: { assets: { quantity: number; memberId: string }[]; quantity: number }) {
  const units = assets.reduce((sum, asset) => sum + asset.quantity, 0);
  const members = new Set(assets.map((asset) => asset.memberId)).size;
  const summary = `${units} unité${units > 1 ? 's' : ''} mobilisable${units > 1 ? 's' : ''} : ${assets.length} moyen${assets.length > 1 ? 's' : ''} de ${members} membre${members > 1 ? 's' : ''}`;
  if (units < quantity) {
    return (
      <Alert
        small
        severity="warning"
        description={`${summary}. Ce besoin ne peut pas être couvert : il manque ${quantity - units} unité${quantity - units > 1 ? 's' : ''} sur ${quantity}.`}
      />
    );
  }
  return <Alert small severity="success" description={`${summary}, pour ${quantity} demandée${quantity > 1 ? 's' : ''}.`} />;
}

function useDebounced<T>(value: T, delayMs: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), delayMs);
    return () => clearTimeout(timer);
  }, [value, delayMs]);
  return settled;
}

/** A « datetime-local » value read as Paris time, whatever the browser's own zone, to an ISO instant. */
export function parisLocalToIso(local: string): string {
  const asUtc = new Date(`${local}:00Z`);
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Paris', hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' })
    .formatToParts(asUtc)
    .reduce<Record<string, string>>((all, part) => ({ ...all, [part.type]: part.value }), {});
  const parisOfUtc = new Date(`${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}:00Z`);
  return new Date(asUtc.getTime() - (parisOfUtc.getTime() - asUtc.getTime())).toISOString();
}
