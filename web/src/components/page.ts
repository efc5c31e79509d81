import { useEffect } from 'react';

/** Every page names itself in the browser's tab and history: « Crises – Renfort ». */
export function usePageTitle(title: string): void {
  useEffect(() => {
    document.title = `${title} – Renfort`;
  }, [title]);
}
