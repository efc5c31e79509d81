import { createBrowserRouter } from 'react-router';
import { Layout } from './components/Layout';
import { AdminMembers } from './admin/AdminMembers';
import { AdminCategories, AdminOffers } from './admin/AdminReference';
import { AdminUsers } from './admin/AdminUsers';
import { NotFound } from './components/NotFound';
import { ActivationPage } from './crisis/ActivationPage';
import { ActivationReport } from './crisis/ActivationReport';
import { CrisisList } from './crisis/CrisisList';
import { CrisisPage } from './crisis/CrisisPage';
import { OpenCrisis } from './crisis/OpenCrisis';
import { PrepareActivation } from './crisis/PrepareActivation';
import { MemberConventions } from './member/MemberConventions';
import { MemberReport } from './member/MemberReport';
import { DirectorateCalendar } from './directorate/DirectorateCalendar';
import { DirectorateConvention } from './directorate/DirectorateConvention';
import { DirectorateConventions } from './directorate/DirectorateConventions';
import { DirectorateReport } from './directorate/DirectorateReport';
import { DraftConvention, EditConvention } from './directorate/ConventionForm';
import { MemberRegistry } from './member/MemberRegistry';
import { MemberRequest } from './member/MemberRequest';
import { MemberRequests } from './member/MemberRequests';
import { ActivationTimeline } from './audit/ActivationTimeline';
import { AuditActivations } from './audit/AuditActivations';
import { AuditLog } from './audit/AuditLog';
import { AuditReports } from './audit/AuditReports';
import { Enrolment } from './session/Enrolment';
import { Home } from './session/Home';
import { RequireSession } from './session/RequireSession';
import { CRISIS_READERS } from './session/session-queries';
import { SignIn } from './session/SignIn';
import { PATHS } from './paths';

/**
 * A page is a task (`OpenCrisis`), one component in its workspace's folder, its address in
 * paths.ts. The pages of a workspace sit behind `RequireSession` with the roles the API lets
 * call them: a signed-in user, enrolled when it must be, of one of these roles.
 */
export const router = createBrowserRouter([
  {
    element: <Layout />,
    children: [
      { path: PATHS.signIn, element: <SignIn /> },
      {
        element: <RequireSession />,
        children: [
          { path: PATHS.enrolment, element: <Enrolment /> },
          { path: PATHS.home, element: <Home /> },
          {
            element: <RequireSession roles={CRISIS_READERS} />,
            children: [
              { path: PATHS.crises, element: <CrisisList /> },
              { path: PATHS.crisis(':crisisId'), element: <CrisisPage /> },
              { path: PATHS.activation(':activationId'), element: <ActivationPage /> },
              { path: PATHS.activationReport(':activationId'), element: <ActivationReport /> },
            ],
          },
          {
            element: <RequireSession roles={['CRISIS_OPERATOR']} />,
            children: [
              { path: PATHS.openCrisis, element: <OpenCrisis /> },
              { path: PATHS.prepareActivation(':crisisId'), element: <PrepareActivation /> },
            ],
          },
          {
            element: <RequireSession roles={['MEMBER']} />,
            children: [
              { path: PATHS.memberRequests, element: <MemberRequests /> },
              { path: PATHS.memberRequest(':requestId'), element: <MemberRequest /> },
              { path: PATHS.memberRegistry, element: <MemberRegistry /> },
              { path: PATHS.memberConventions, element: <MemberConventions /> },
              { path: PATHS.memberReport, element: <MemberReport /> },
            ],
          },
          {
            element: <RequireSession roles={['DIRECTORATE']} />,
            children: [
              { path: PATHS.directorateConventions, element: <DirectorateConventions /> },
              { path: PATHS.directorateDraft, element: <DraftConvention /> },
              { path: PATHS.directorateCalendar, element: <DirectorateCalendar /> },
              { path: PATHS.directorateReport, element: <DirectorateReport /> },
              { path: PATHS.directorateConvention(':conventionId'), element: <DirectorateConvention /> },
              { path: PATHS.directorateEdit(':conventionId'), element: <EditConvention /> },
            ],
          },
          {
            element: <RequireSession roles={['AUDITOR']} />,
            children: [
              { path: PATHS.auditActivations, element: <AuditActivations /> },
              { path: PATHS.auditTimeline(':activationId'), element: <ActivationTimeline /> },
              { path: PATHS.auditReports, element: <AuditReports /> },
              { path: PATHS.auditLog, element: <AuditLog /> },
            ],
          },
          {
            element: <RequireSession roles={['ADMIN']} />,
            children: [
              { path: PATHS.adminMembers, element: <AdminMembers /> },
              { path: PATHS.adminUsers, element: <AdminUsers /> },
              { path: PATHS.adminCategories, element: <AdminCategories /> },
              { path: PATHS.adminOffers, element: <AdminOffers /> },
            ],
          },
        ],
      },
      { path: '*', element: <NotFound /> },
    ],
  },
]);
