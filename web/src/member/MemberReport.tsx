import { HistoryReport } from '../components/HistoryReport';
import { usePageTitle } from '../components/page';
import { QueryState } from '../components/QueryState';
import { useSession } from '../session/session-queries';
import { useMyReport } from './member-queries';

/** The company's own record: how it answered, real activations and exercises apart, against what its conventions commit it to. */
export function MemberReport() {
  usePageTitle('Notre bilan');
  const memberId = useSession().data!.memberId!;
  const report = useMyReport(memberId);
  return (
    <>
      <h1>Notre bilan</h1>
      <QueryState query={report}>{(data) => <HistoryReport report={data} level={2} />}</QueryState>
    </>
  );
}
