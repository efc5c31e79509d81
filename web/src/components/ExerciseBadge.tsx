import { Badge } from '@codegouvfr/react-dsfr/Badge';

/** An exercise is marked wherever it shows, so that nobody takes it for a real crisis. */
export function ExerciseBadge() {
  return (
    <Badge severity="warning">
      EXERCICE
    </Badge>
  );
}
