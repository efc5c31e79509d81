import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Checkbox } from '@codegouvfr/react-dsfr/Checkbox';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { RadioButtons } from '@codegouvfr/react-dsfr/RadioButtons';
import { Select } from '@codegouvfr/react-dsfr/Select';
import { type FormEvent, useState } from 'react';
import { useNavigate } from 'react-router';
import { describeError } from '../components/ApiProblem';
import { usePageTitle } from '../components/page';
import { PATHS } from '../paths';
import { useOpenCrisis } from './crisis-queries';
import { DepartementsPicker } from './DepartementsPicker';
import { CRISIS_TYPE_LABELS, type CrisisType, SEVERITY_LABELS } from './labels';

/** Opening a crisis: its opening is T0, from which every timeline of it counts. */
export function OpenCrisis() {
  usePageTitle('Ouvrir une crise');
  const navigate = useNavigate();
  const openCrisis = useOpenCrisis();
  const [title, setTitle] = useState('');
  const [type, setType] = useState<CrisisType | ''>('');
  const [departements, setDepartements] = useState<string[]>([]);
  const [severity, setSeverity] = useState('');
  const [exercise, setExercise] = useState(false);
  const [missing, setMissing] = useState<string[]>([]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const absent = [
      ...(title.trim() ? [] : ['l’intitulé']),
      ...(type ? [] : ['le type']),
      ...(departements.length ? [] : ['au moins un département']),
      ...(severity ? [] : ['la gravité']),
    ];
    setMissing(absent);
    if (absent.length > 0 || !type) return;
    openCrisis.mutate(
      { title: title.trim(), type, departements, severity: Number(severity), exercise },
      { onSuccess: (crisis) => void navigate(PATHS.crisis(crisis.id)) },
    );
  };

  return (
    <>
      <h1>Ouvrir une crise</h1>
      <p>L’ouverture de la crise marque son heure zéro : tous ses délais comptent à partir de maintenant.</p>
      {missing.length > 0 && <Alert className="fr-mb-3w" severity="error" title="Il manque des informations" description={`Renseignez ${missing.join(', ')}.`} />}
      {openCrisis.error && <Alert className="fr-mb-3w" severity="error" title="La crise n’a pas été ouverte" description={describeError(openCrisis.error)} />}
      <form onSubmit={submit} noValidate>
        <Input label="Intitulé" hintText="Par exemple : Crues de la Vésubie et de la Roya" nativeInputProps={{ value: title, maxLength: 300, required: true, onChange: (e) => setTitle(e.target.value) }} />
        <Select
          label="Type de crise"
          nativeSelectProps={{ value: type, required: true, onChange: (e) => setType(e.target.value as CrisisType) }}
        >
          <option value="" disabled>
            Choisissez un type
          </option>
          {Object.entries(CRISIS_TYPE_LABELS).map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </Select>
        <fieldset className="fr-fieldset">
          <legend className="fr-fieldset__legend">Départements touchés</legend>
          <div className="fr-fieldset__element">
            <DepartementsPicker label="Département" listLabel="Départements choisis" chosen={departements} onChange={setDepartements} />
          </div>
        </fieldset>
        <RadioButtons
          legend="Gravité"
          orientation="horizontal"
          options={Object.entries(SEVERITY_LABELS).map(([value, label]) => ({
            label,
            nativeInputProps: { value, checked: severity === value, onChange: () => setSeverity(value) },
          }))}
        />
        <Checkbox
          legend="Exercice"
          options={[
            {
              label: 'Il s’agit d’un exercice',
              hintText: 'Un exercice est signalé « EXERCICE » partout où il apparaît, et compté à part des crises réelles.',
              nativeInputProps: { checked: exercise, onChange: (e) => setExercise(e.target.checked) },
            },
          ]}
        />
        <Button type="submit" disabled={openCrisis.isPending}>
          {exercise ? 'Ouvrir l’exercice' : 'Ouvrir la crise'}
        </Button>
      </form>
    </>
  );
}
