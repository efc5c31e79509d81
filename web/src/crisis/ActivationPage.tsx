import { useParams } from 'react-router';
import { usePageTitle } from '../components/page';
import { QueryState } from '../components/QueryState';
import { useActivation } from './activation-queries';
import { ActivationBoard } from './ActivationBoard';
import { AuthorizeActivation } from './AuthorizeActivation';

/** An activation's one address: its authorization while it awaits the decision, its live board after. */
export function ActivationPage() {
  const { activationId } = useParams() as { activationId: string };
  const activation = useActivation(activationId);
  const pending = activation.data?.status === 'PENDING_AUTHORIZATION';
  usePageTitle(activation.data ? `${pending ? 'Autorisation' : 'Tableau de bord'} – ${activation.data.decisionReference}` : 'Activation');
  return (
    <QueryState query={activation}>
      {(data) => (data.status === 'PENDING_AUTHORIZATION' ? <AuthorizeActivation activation={data} /> : <ActivationBoard activation={data} />)}
    </QueryState>
  );
}
