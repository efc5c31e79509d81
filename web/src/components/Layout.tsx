import { Footer } from '@codegouvfr/react-dsfr/Footer';
import { Header } from '@codegouvfr/react-dsfr/Header';
import { SkipLinks } from '@codegouvfr/react-dsfr/SkipLinks';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Outlet, useLocation, useNavigate } from 'react-router';
import { api, call } from '../api/client';
import { PATHS } from '../paths';
import { CRISIS_READERS, ROLE_LABELS, useSession } from '../session/session-queries';

const BRAND_TOP = (
  <>
    Ministère
    <br />
    de l’Intérieur
  </>
);
const HOME = { to: PATHS.home, title: 'Accueil – Renfort' };

/** The DSFR page: skip links, header (who is signed in, signing out, the role's navigation), content, footer. */
export function Layout() {
  const session = useSession().data ?? null;
  const location = useLocation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const signOut = useMutation({
    mutationFn: () => call(api.POST('/api/v1/auth/logout')),
    // Signed out or not (the session may have ended already), nothing of it stays in this browser.
    onSettled: () => {
      queryClient.clear();
      void navigate(PATHS.signIn);
    },
  });
  const federated = session?.amr.includes('fed') ?? false;

  const navigation =
    session && !session.enrolmentPending
      ? [
          { text: 'Accueil', linkProps: { to: PATHS.home }, isActive: location.pathname === PATHS.home },
          ...(CRISIS_READERS.includes(session.role)
            ? [{ text: 'Crises', linkProps: { to: PATHS.crises }, isActive: location.pathname.startsWith(PATHS.crises) }]
            : []),
          ...(session.role === 'MEMBER'
            ? [
                { text: 'Demandes', linkProps: { to: PATHS.memberRequests }, isActive: location.pathname.startsWith(PATHS.memberRequests) },
                { text: 'Moyens et contacts', linkProps: { to: PATHS.memberRegistry }, isActive: location.pathname === PATHS.memberRegistry },
                { text: 'Conventions', linkProps: { to: PATHS.memberConventions }, isActive: location.pathname === PATHS.memberConventions },
                { text: 'Bilan', linkProps: { to: PATHS.memberReport }, isActive: location.pathname === PATHS.memberReport },
              ]
            : []),
          ...(session.role === 'DIRECTORATE'
            ? [
                { text: 'Conventions', linkProps: { to: PATHS.directorateConventions }, isActive: location.pathname.startsWith(PATHS.directorateConventions) && !location.pathname.startsWith(PATHS.directorateCalendar) && !location.pathname.startsWith(PATHS.directorateReport) },
                { text: 'Échéancier', linkProps: { to: PATHS.directorateCalendar }, isActive: location.pathname === PATHS.directorateCalendar },
                { text: 'Bilan', linkProps: { to: PATHS.directorateReport }, isActive: location.pathname === PATHS.directorateReport },
              ]
            : []),
          ...(session.role === 'AUDITOR'
            ? [
                { text: 'Activations', linkProps: { to: PATHS.auditActivations }, isActive: location.pathname.startsWith(PATHS.auditActivations) },
                { text: 'Bilans', linkProps: { to: PATHS.auditReports }, isActive: location.pathname === PATHS.auditReports },
                { text: 'Journal d’audit', linkProps: { to: PATHS.auditLog }, isActive: location.pathname === PATHS.auditLog },
              ]
            : []),
          ...(session.role === 'ADMIN'
            ? [
                { text: 'Membres', linkProps: { to: PATHS.adminMembers }, isActive: location.pathname === PATHS.adminMembers },
                { text: 'Utilisateurs', linkProps: { to: PATHS.adminUsers }, isActive: location.pathname === PATHS.adminUsers },
                { text: 'Catégories', linkProps: { to: PATHS.adminCategories }, isActive: location.pathname === PATHS.adminCategories },
                { text: 'Offres spontanées', linkProps: { to: PATHS.adminOffers }, isActive: location.pathname === PATHS.adminOffers },
                // The dashboard is the service's own page, opened with this browser's session.
                { text: 'Files de traitement', linkProps: { to: PATHS.adminQueues, reloadDocument: true } },
              ]
            : []),
        ]
      : undefined;

  return (
    <>
      <SkipLinks
        links={[
          { label: 'Contenu', anchor: '#contenu' },
          { label: 'Pied de page', anchor: '#pied-de-page' },
        ]}
      />
      <Header
        brandTop={BRAND_TOP}
        serviceTitle="Renfort"
        serviceTagline="Mobilisation des moyens de la charte de solidarité en cas de crise"
        homeLinkProps={HOME}
        navigation={navigation}
        quickAccessItems={
          session
            ? [
                { iconId: 'fr-icon-account-circle-line', text: `${session.email} (${ROLE_LABELS[session.role]})`, linkProps: { to: PATHS.home } },
                federated
                  ? {
                      iconId: 'fr-icon-logout-box-r-line',
                      text: 'Se déconnecter',
                      buttonProps: { type: 'submit', form: 'se-deconnecter-proconnect' },
                    }
                  : { iconId: 'fr-icon-logout-box-r-line', text: 'Se déconnecter', buttonProps: { onClick: () => signOut.mutate(), disabled: signOut.isPending } },
              ]
            : []
        }
      />
      {federated && (
        // A redirect to the provider cannot be followed by a script: signing out of ProConnect is a form's navigation.
        <form id="se-deconnecter-proconnect" method="post" action="/api/v1/auth/oidc/logout" hidden />
      )}
      <main id="contenu" tabIndex={-1} className="fr-container fr-py-6w">
        <Outlet />
      </main>
      <Footer
        id="pied-de-page"
        brandTop={BRAND_TOP}
        homeLinkProps={HOME}
        accessibility="partially compliant"
        contentDescription="Renfort recense les moyens que les membres de la charte de solidarité mettent gratuitement à disposition de l’État en cas de crise, et conduit leur mobilisation."
      />
    </>
  );
}
