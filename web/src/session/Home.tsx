import { Link, Navigate } from 'react-router';
import { usePageTitle } from '../components/page';
import { PATHS } from '../paths';
import { CRISIS_READERS, ROLE_LABELS, useSession } from './session-queries';

/**
 * A role's home is its workspace: the crisis cell and the minister work from the crisis list (the
 * minister authorizes from an activation's page). A role without a workspace would be told so
 * plainly rather than shown anything that does not work.
 */
export function Home() {
  const session = useSession().data!;
  usePageTitle('Accueil');
  if (session.role === 'CRISIS_OPERATOR' || session.role === 'MINISTER') return <Navigate to={PATHS.crises} replace />;
  if (session.role === 'MEMBER') return <Navigate to={PATHS.memberRequests} replace />;
  if (session.role === 'ADMIN') return <Navigate to={PATHS.adminMembers} replace />;
  if (session.role === 'DIRECTORATE') return <Navigate to={PATHS.directorateConventions} replace />;
  if (session.role === 'AUDITOR') return <Navigate to={PATHS.auditActivations} replace />;
  return (
    <>
      <h1>Bienvenue sur Renfort</h1>
      <p>
        Vous êtes connecté en tant que <strong>{session.email}</strong> ({ROLE_LABELS[session.role]}).
      </p>
      <p>L’espace de travail de votre rôle arrive prochainement dans cette console. En attendant, l’API de Renfort vous donne accès à vos fonctions.</p>
      {CRISIS_READERS.includes(session.role) && (
        <p>
          Vous pouvez dès maintenant consulter <Link to={PATHS.crises}>la liste des crises</Link>.
        </p>
      )}
    </>
  );
}
