import { Navigate, Outlet, useLocation } from 'react-router';
import { ApiProblem } from '../components/ApiProblem';
import { usePageTitle } from '../components/page';
import { PATHS } from '../paths';
import { type Role, useSession } from './session-queries';

/**
 * The pages behind it need a signed-in user (else the sign-in page), one who has enrolled its
 * second factor when it must (else the enrolment page), and, when `roles` is given, one of them.
 */
export function RequireSession({ roles }: { roles?: Role[] }) {
  const session = useSession();
  const location = useLocation();
  if (session.isError) return <ApiProblem error={session.error} retry={() => void session.refetch()} />;
  if (session.isPending) return <p role="status">Chargement…</p>;
  if (!session.data) return <Navigate to={PATHS.signIn} replace state={{ from: location.pathname }} />;
  if (session.data.enrolmentPending && location.pathname !== PATHS.enrolment) return <Navigate to={PATHS.enrolment} replace />;
  if (!session.data.enrolmentPending && location.pathname === PATHS.enrolment) return <Navigate to={PATHS.home} replace />;
  if (roles && !roles.includes(session.data.role)) return <NotForThisRole />;
  return <Outlet />;
}

function NotForThisRole() {
  usePageTitle('Accès non autorisé');
  return (
    <>
      <h1>Accès non autorisé</h1>
      <p>Cette page n’est pas ouverte à votre rôle.</p>
    </>
  );
}
