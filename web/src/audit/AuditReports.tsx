import { Select } from '@codegouvfr/react-dsfr/Select';
import { useState } from 'react';
import { HistoryReport } from '../components/HistoryReport';
import { usePageTitle } from '../components/page';
import { QueryState } from '../components/QueryState';
import { useDirectorateReport, useDirectorates, useMemberReport, useMembers } from './audit-queries';

/** Reports across activations, for a member or a directorate: committed times against measured ones. */
export function AuditReports() {
  usePageTitle('Bilans par membre et par direction');
  const members = useMembers();
  const directorates = useDirectorates();
  const [memberId, setMemberId] = useState('');
  const [code, setCode] = useState('');
  const memberReport = useMemberReport(memberId);
  const directorateReport = useDirectorateReport(code);
  return (
    <>
      <h1>Bilans par membre et par direction</h1>
      <section className="fr-mb-6w">
        <h2>Par membre</h2>
        <Select label="Membre" nativeSelectProps={{ value: memberId, onChange: (e) => setMemberId(e.target.value) }}>
          <option value="">Choisir un membre</option>
          {(members.data?.items ?? []).map((member) => (
            <option key={member.id} value={member.id}>
              {member.legalName}
            </option>
          ))}
        </Select>
        {memberId !== '' && <QueryState query={memberReport}>{(data) => <HistoryReport report={data} level={3} />}</QueryState>}
      </section>
      <section>
        <h2>Par direction</h2>
        <Select label="Direction" nativeSelectProps={{ value: code, onChange: (e) => setCode(e.target.value) }}>
          <option value="">Choisir une direction</option>
          {(directorates.data ?? []).map((directorate) => (
            <option key={directorate.code} value={directorate.code}>
              {directorate.name} ({directorate.code})
            </option>
          ))}
        </Select>
        {code !== '' && <QueryState query={directorateReport}>{(data) => <HistoryReport report={data} level={3} />}</QueryState>}
      </section>
    </>
  );
}
