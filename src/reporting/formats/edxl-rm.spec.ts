import { XMLValidator } from 'fast-xml-parser';
import { EDXL_RM_COMMON_NAMESPACE, EDXL_RM_MESSAGE_NAMESPACE, type EdxlRmThreadFacts, edxlRmThread, renderEdxlRmMessage, renderEdxlRmThread } from './edxl-rm.js';

const at = (minutes: number) => new Date(Date.UTC(2026, 5, 1, 8, minutes));
const ACTIVATION = '0b8d0f2a-6c8e-4a1c-9e3a-5c7e9b1d3f5a';

function facts(overrides: { activation?: Partial<EdxlRmThreadFacts['activation']>; requests?: Partial<EdxlRmThreadFacts['requests'][number]>[] } = {}): EdxlRmThreadFacts {
  return {
    activation: {
      id: ACTIVATION, crisisId: 'crisis-1', crisisTitle: 'Crues du Var', exercise: false, decisionReference: 'DM-1', status: 'IN_PROGRESS',
      authorizedAt: at(0), endedAt: null, endReason: null, ...overrides.activation,
    },
    requirements: [{ id: 'requirement-1', category: 'DRONE', quantity: 2, departements: ['06'], neededBy: null }],
    requests: (overrides.requests ?? []).map((request, i) => ({
      id: `request-${i + 1}`, requirementId: 'requirement-1', assetId: `asset-${i + 1}`, assetName: 'Drone', category: 'DRONE', memberName: `Member ${i + 1}`,
      acceptedQuantity: null, declineReasonCode: null, declineComment: null, deployWithinMinutes: 60, createdAt: at(0),
      acknowledgedAt: null, acceptedAt: null, declinedAt: null, deployedAt: null, releasedAt: null, ...request,
    })),
  };
}

describe('EDXL-RM thread', () => {
  it('sends nothing before the activation is authorized', () => {
    expect(edxlRmThread(facts({ activation: { authorizedAt: null, status: 'PENDING_AUTHORIZATION' } }))).toEqual([]);
  });

  it('gives an answer recorded without a prior acknowledgement no Provisional message of its own', () => {
    const thread = edxlRmThread(facts({ requests: [{ acknowledgedAt: at(5), acceptedAt: at(5), acceptedQuantity: 1 }, { acknowledgedAt: at(3), declinedAt: at(7) }] }));
    expect(thread.map((m) => m.id.split(':').pop())).toEqual(['request', 'acknowledge', 'accept', 'commit', 'decline']);
    expect(thread.map((m) => m.n)).toEqual([1, 2, 3, 4, 5]);
  });

  it('puts a cancellation before the releases it causes at the same instant, and links each release to its exchange', () => {
    const thread = edxlRmThread(facts({
      activation: { status: 'CANCELLED', endedAt: at(30), endReason: 'Plus nécessaire' },
      requests: [{ acknowledgedAt: at(5), acceptedAt: at(10), acceptedQuantity: 1, releasedAt: at(30) }],
    }));
    expect(thread.map((m) => m.id.split(':').pop())).toEqual(['request', 'acknowledge', 'accept', 'commit', 'recall', 'release']);
    const release = renderEdxlRmMessage(thread[5]);
    expect(release).toContain(`<PrecedingMessageID>urn:renfort:request:request-1:commit</PrecedingMessageID>`);
    expect(release).toContain('<rm:ContactRole>Requester</rm:ContactRole>');
    const recall = renderEdxlRmMessage(thread[4]);
    expect(recall).toMatch(/<MessageRecall>\s*<rm:RecallMessageID>urn:renfort:activation:[^<]+:request<\/rm:RecallMessageID>\s*<rm:RecallType>Cancel<\/rm:RecallType>/);
  });

  it('writes each message with the message namespace as default and the common types under rm:, value list URN first', () => {
    const [request, , decline] = edxlRmThread(facts({ requests: [{ acknowledgedAt: at(2), declinedAt: at(4), declineReasonCode: 'SAFETY', declineComment: 'Vent > 80 km/h & "rafales"' }] }));
    const xml = renderEdxlRmMessage(request);
    expect(xml).toContain(`<RequestResource xmlns="${EDXL_RM_MESSAGE_NAMESPACE}" xmlns:rm="${EDXL_RM_COMMON_NAMESPACE}">`);
    expect(xml).toMatch(/<TypeStructure>\s*<rm:ValueListURN>urn:renfort:categories<\/rm:ValueListURN>\s*<rm:Value>DRONE<\/rm:Value>/);
    const declined = renderEdxlRmMessage(decline);
    expect(declined).toMatch(/<ResourceInformation>\s*<ResourceInfoElementID>request-1<\/ResourceInfoElementID>\s*<ResponseInformation>/);
    expect(declined).toMatch(/<rm:ReasonCode>\s*<rm:ValueListURN>urn:renfort:decline-reasons<\/rm:ValueListURN>\s*<rm:Value>SAFETY<\/rm:Value>/);
    expect(declined).toContain('<rm:ResponseReason>Vent &gt; 80 km/h &amp; &quot;rafales&quot;</rm:ResponseReason>');
    expect(XMLValidator.validate(declined)).toBe(true);
  });

  it('wraps the thread in the Renfort namespace, each message with its position, type and address', () => {
    const thread = edxlRmThread(facts({ requests: [{ acknowledgedAt: at(2) }] }));
    const document = renderEdxlRmThread(ACTIVATION, thread);
    expect(XMLValidator.validate(document)).toBe(true);
    expect(document).toContain(`<rt:MessageThread xmlns:rt="urn:renfort:edxl-rm:thread:1" activationId="${ACTIVATION}">`);
    expect(document).toContain(`<rt:Message n="2" type="ResponseToRequestResource" href="/api/v1/activations/${ACTIVATION}/edxl-rm/messages/2">`);
  });
});
