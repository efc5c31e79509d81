import { Button } from '@codegouvfr/react-dsfr/Button';
import { Select } from '@codegouvfr/react-dsfr/Select';
import { Tag } from '@codegouvfr/react-dsfr/Tag';
import { useState } from 'react';
import { DEPARTEMENTS, departementLabel } from './labels';

/** Choosing départements one at a time from the list, by code and name; each chosen one can be taken off. */
export function DepartementsPicker({
  label,
  listLabel,
  chosen,
  onChange,
}: {
  label: string;
  listLabel: string;
  chosen: string[];
  onChange: (departements: string[]) => void;
}) {
  const [choice, setChoice] = useState('');
  return (
    <>
      <Select label={label} nativeSelectProps={{ value: choice, onChange: (e) => setChoice(e.target.value) }}>
        <option value="">Ajouter un département</option>
        {DEPARTEMENTS.filter((departement) => !chosen.includes(departement.code)).map((departement) => (
          <option key={departement.code} value={departement.code}>
            {departementLabel(departement.code)}
          </option>
        ))}
      </Select>
      <Button
        type="button"
        priority="secondary"
        size="small"
        disabled={!choice}
        onClick={() => {
          if (choice) onChange([...chosen, choice]);
          setChoice('');
        }}
      >
        Ajouter ce département
      </Button>
      {chosen.length === 0 ? (
        <p className="fr-text--sm">Aucun département choisi.</p>
      ) : (
        <ul className="fr-tags-group fr-mt-1w" aria-label={listLabel}>
          {chosen.map((code) => (
            <li key={code}>
              <Tag dismissible nativeButtonProps={{ 'aria-label': `Retirer ${departementLabel(code)}`, onClick: () => onChange(chosen.filter((other) => other !== code)) }}>
                {departementLabel(code)}
              </Tag>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
