/** The console's addresses, in French as the user reads them in the address bar. */
export const PATHS = {
  home: '/',
  signIn: '/connexion',
  enrolment: '/double-authentification',
  crises: '/crises',
  openCrisis: '/crises/ouvrir',
  crisis: (id: string) => `/crises/${id}`,
  prepareActivation: (crisisId: string) => `/crises/${crisisId}/activations/preparer`,
  activation: (id: string) => `/activations/${id}`,
  activationReport: (id: string) => `/activations/${id}/bilan`,
  memberRequests: '/demandes',
  memberRequest: (id: string) => `/demandes/${id}`,
  memberRegistry: '/mes-moyens',
  memberConventions: '/mes-conventions',
  adminMembers: '/administration/membres',
  adminUsers: '/administration/utilisateurs',
  adminCategories: '/administration/categories',
  adminOffers: '/administration/offres',
  /** The queue dashboard, served by the service itself (not a page of the console). */
  adminQueues: '/admin/queues',
} as const;
