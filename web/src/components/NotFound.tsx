import { usePageTitle } from './page';

export function NotFound() {
  usePageTitle('Page introuvable');
  return (
    <>
      <h1>Page introuvable</h1>
      <p>Cette adresse ne correspond à aucune page de la console. Vérifiez l’adresse, ou revenez à l’accueil.</p>
    </>
  );
}
