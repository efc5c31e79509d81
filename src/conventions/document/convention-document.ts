import PDFDocument from 'pdfkit';
import type { CrisisType } from '../../common/domain/crisis-types.js';
import type { ConventionStatus } from '../domain/convention.js';
import type { ConventionRecord } from './convention-record.js';

/**
 * The charter's gratuity, as the document states it: the means are lent free of charge, and
 * nothing the registry records can carry a price (the API refuses any price, cost, fee or rate).
 */
export const GRATUITY_CLAUSE =
  "Conformément à la charte de solidarité en cas de crise signée le 21 mars 2017 entre le ministère de l'Intérieur et le " +
  'Conseil des industries de la confiance et de la sécurité (CICS), les moyens désignés à la présente convention sont mis ' +
  "à la disposition de l'État à titre entièrement gracieux. Aucun prix, coût, frais, tarif ni aucune rémunération ne peut " +
  'être stipulé, facturé ou réclamé au titre de la présente convention ou de sa mise en œuvre.';

const CRISIS_TYPE_LABEL: Record<CrisisType, string> = {
  TERRORIST_ATTACK: 'attentat terroriste',
  NATURAL_DISASTER: 'catastrophe naturelle',
  INDUSTRIAL_ACCIDENT: 'accident industriel ou technologique',
  CYBER_ATTACK: 'cyberattaque',
  HEALTH: 'crise sanitaire',
  PUBLIC_ORDER: "troubles graves à l'ordre public",
  OTHER: 'autre crise majeure',
};

const STATUS_LABEL: Record<ConventionStatus, string> = {
  DRAFT: 'projet en cours de rédaction',
  PROPOSED: 'projet proposé au membre',
  SIGNED: 'signée par le membre, en attente de contreseing',
  ACTIVE: 'en vigueur',
  SUSPENDED: 'suspendue',
  TERMINATED: 'résiliée',
  EXPIRED: 'échue',
  SUPERSEDED: 'remplacée par un avenant',
};

const CONTACT_ROLE_LABEL: Record<string, string> = {
  NATIONAL_CORRESPONDENT: 'correspondant national',
  REGIONAL_CORRESPONDENT: 'correspondant régional',
  DUTY_OFFICER: "officier de permanence",
};

const MONTHS = ['janvier', 'février', 'mars', 'avril', 'mai', 'juin', 'juillet', 'août', 'septembre', 'octobre', 'novembre', 'décembre'];

/** A calendar day (YYYY-MM-DD) in words: 1er janvier 2026. */
export function frenchDay(day: string): string {
  const [year, month, date] = day.split('-').map(Number);
  return `${date === 1 ? '1er' : date} ${MONTHS[month - 1]} ${year}`;
}

/** An instant, as the day and time in Paris. */
function frenchInstant(iso: string): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Paris', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
      .formatToParts(new Date(iso))
      .map((part) => [part.type, part.value]),
  );
  return `${frenchDay(`${parts.year}-${parts.month}-${parts.day}`)} à ${parts.hour} h ${parts.minute} (heure de Paris)`;
}

/** Minutes in words: 30 minutes, 4 heures, 1 jour et 2 heures. */
export function frenchDuration(minutes: number): string {
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const rest = minutes % 60;
  const parts = [
    days ? `${days} jour${days > 1 ? 's' : ''}` : '',
    hours ? `${hours} heure${hours > 1 ? 's' : ''}` : '',
    rest ? `${rest} minute${rest > 1 ? 's' : ''}` : '',
  ].filter(Boolean);
  return parts.length > 1 ? `${parts.slice(0, -1).join(', ')} et ${parts.at(-1)}` : parts[0];
}

/**
 * The printable convention, in French, rendered from its record only. Deterministic: the PDF's
 * creation date is the version's last change and its file identifier the first half of the
 * record's hash, so the same version always gives the same bytes and readers can compare copies.
 */
export function renderConventionDocument(record: ConventionRecord, hash: string): Promise<Buffer> {
  const changedAt = new Date(record.updatedAt);
  const title = `Convention de mise à disposition gracieuse de moyens – ${record.member.legalName} / ${record.directorate.code} – version ${record.version}`;
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: 56, bottom: 56, left: 62, right: 62 },
    lang: 'fr-FR',
    info: { Title: title, Author: 'Renfort', Subject: `Empreinte SHA-256 de la version : ${hash}`, Keywords: hash, CreationDate: changedAt, ModDate: changedAt },
  });
  // The trailer's file identifier, otherwise derived by PDFKit from the document's metadata.
  (doc as unknown as { _id: Buffer })._id = Buffer.from(hash.slice(0, 32), 'hex');
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  const heading = (text: string) => doc.moveDown(0.8).font('Helvetica-Bold').fontSize(11).text(text).moveDown(0.3).font('Helvetica').fontSize(10);
  const paragraph = (text: string) => doc.font('Helvetica').fontSize(10).text(text, { align: 'justify' }).moveDown(0.3);
  const item = (text: string) => doc.font('Helvetica').fontSize(10).text(`•  ${text}`, { indent: 12 }).moveDown(0.15);

  doc.font('Helvetica-Bold').fontSize(9).text('RÉPUBLIQUE FRANÇAISE', { align: 'left' });
  doc.font('Helvetica').fontSize(9).text("Ministère de l'Intérieur").moveDown(1.5);
  doc.font('Helvetica-Bold').fontSize(15).text('Convention de mise à disposition gracieuse de moyens', { align: 'center' });
  doc.font('Helvetica').fontSize(10).moveDown(0.3)
    .text('conclue en application de la charte de solidarité en cas de crise', { align: 'center' })
    .moveDown(0.6)
    .text(`Convention ${record.lineageId} – version ${record.version}${record.previousVersionId ? ` (avenant à la version ${record.version - 1})` : ''}`, { align: 'center' })
    .text(`Statut : ${STATUS_LABEL[record.status]}${record.statusReason ? ` (${record.statusReason})` : ''}`, { align: 'center' })
    .moveDown(1);

  heading('Entre les soussignés');
  paragraph(`Le ministère de l'Intérieur, représenté par la ${record.directorate.name} (${record.directorate.code}), ci-après « la direction »,`);
  paragraph('et');
  paragraph(
    `${record.member.legalName}, SIREN ${record.member.siren}, signataire de la charte de solidarité en cas de crise ` +
      `le ${record.member.charterSignedAt ? frenchDay(record.member.charterSignedAt) : '(date non renseignée)'} par ${record.member.charterSignatory}, ci-après « le membre ».`,
  );
  paragraph('Il a été convenu ce qui suit.');

  heading('Article 1er – Objet');
  paragraph(
    "La présente convention identifie et organise, avant toute crise, les moyens que le membre met à la disposition de l'État " +
      "lorsque le ministre de l'Intérieur décide de les mobiliser, sur activation de la cellule interministérielle de crise.",
  );

  heading('Article 2 – Moyens mis à disposition');
  for (const asset of record.assets) {
    item(`${asset.name} – ${asset.categoryLabel} (${asset.category}) ; quantité : ${asset.quantity} ; délai de mise en œuvre : ${frenchDuration(asset.leadTimeMinutes)}`);
  }

  heading("Article 3 – Champ d'application");
  paragraph(`Types de crise couverts : ${record.crisisTypes.map((type) => CRISIS_TYPE_LABEL[type] ?? type).join(', ')}.`);
  paragraph(
    'national' in record.scope
      ? "Périmètre géographique : l'ensemble du territoire national."
      : `Périmètre géographique : départements ${record.scope.departements.join(', ')}.`,
  );

  heading('Article 4 – Délais d’intervention');
  paragraph(`Le membre accuse réception de toute demande de mobilisation dans un délai de ${frenchDuration(record.ackWithinMinutes)} à compter de sa notification.`);
  paragraph(`Une fois la demande acceptée, le membre déploie les moyens dans un délai de ${frenchDuration(record.deployWithinMinutes)} à compter de l'acceptation.`);

  heading('Article 5 – Correspondants');
  if (record.memberContacts.length === 0) paragraph('Pour le membre : les contacts enregistrés au registre, dans leur ordre d’escalade.');
  for (const contact of record.memberContacts) item(`Pour le membre : ${contact.name}, ${CONTACT_ROLE_LABEL[contact.role] ?? contact.role}`);
  if (record.directorateContact) {
    item(`Pour la direction : ${record.directorateContact.name}, ${CONTACT_ROLE_LABEL[record.directorateContact.role] ?? record.directorateContact.role}`);
  }

  heading('Article 6 – Durée, renouvellement et révision');
  paragraph(`La convention prend effet le ${frenchDay(record.startsOn)} et court jusqu'au ${frenchDay(record.endsOn)} inclus, pour une durée de ${record.termDays} jours.`);
  paragraph(
    record.tacitRenewal
      ? `Elle est renouvelée par tacite reconduction, pour une même durée, sauf résiliation par l'une des parties.${record.renewals ? ` Elle a été renouvelée ${record.renewals} fois.` : ''}`
      : `Elle n'est pas renouvelée tacitement : elle prend fin à son terme sauf renouvellement exprès par la direction.${record.renewals ? ` Elle a été renouvelée ${record.renewals} fois.` : ''}`,
  );
  paragraph(`Les parties procèdent à son réexamen au plus tard le ${frenchDay(record.reviewOn)}.`);
  paragraph("Toute modification fait l'objet d'un avenant, signé et contresigné dans les mêmes formes ; il remplace alors la présente version.");

  heading('Article 7 – Gratuité');
  paragraph(GRATUITY_CLAUSE);

  heading('Article 8 – Suspension et résiliation');
  paragraph(
    'La direction peut suspendre la convention ; les moyens ne sont alors plus mobilisables à ce titre. Chacune des parties peut la ' +
      'résilier à tout moment, par décision motivée.',
  );

  heading('Signatures');
  paragraph(record.signedAt ? `Signée pour le membre le ${frenchInstant(record.signedAt)}${record.signedBy ? ` par ${record.signedBy}` : ''}.` : 'Non encore signée par le membre.');
  paragraph(
    record.countersignedAt
      ? `Contresignée pour la direction le ${frenchInstant(record.countersignedAt)}${record.countersignedBy ? ` par ${record.countersignedBy}` : ''}.`
      : 'Non encore contresignée par la direction.',
  );

  doc.moveDown(1.2).font('Helvetica').fontSize(8)
    .text(`Document établi par le registre Renfort à partir de la version ${record.version}, dans son état du ${frenchInstant(record.updatedAt)}.`)
    .text('Empreinte SHA-256 de la version :')
    .font('Courier').text(hash);
  doc.end();
  return done;
}
