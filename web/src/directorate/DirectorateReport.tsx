import { HistoryReport } from '../components/HistoryReport';
import { usePageTitle } from '../components/page';
import { QueryState } from '../components/QueryState';
import { useSession } from '../session/session-queries';
import { useDirectorateReport } from './directorate-queries';

/** The directorate's record: real activations and exercises apart, committed times against measured ones. */
export function DirectorateReport() {
  usePageTitle('Bilan de la direction');
  const code = useSession().data!.directorateCode ?? '';
  const report = useDirectorateReport(code);
  return (
    <>
      <h1>Bilan de la direction {code}</h1>
      <QueryState query={report}>
        {(data) => <HistoryReport report={data} level={2} />}
      </QueryState>
    </>
  );
}
