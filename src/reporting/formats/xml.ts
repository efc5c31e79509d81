/** Escapes text for an XML element or attribute. */
export function xmlText(value: unknown): string {
  return String(value ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    // Characters XML 1.0 does not allow at all.
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/g, '');
}

export type XmlNode = { name: string; attributes?: Record<string, string>; children?: (XmlNode | null)[]; text?: unknown };

export function renderXml(node: XmlNode, indent = ''): string {
  const attributes = Object.entries(node.attributes ?? {})
    .map(([key, value]) => ` ${key}="${xmlText(value)}"`)
    .join('');
  const children = (node.children ?? []).filter((child): child is XmlNode => child !== null);
  if (children.length === 0) {
    return node.text === undefined || node.text === null
      ? `${indent}<${node.name}${attributes}/>`
      : `${indent}<${node.name}${attributes}>${xmlText(node.text)}</${node.name}>`;
  }
  return [`${indent}<${node.name}${attributes}>`, ...children.map((child) => renderXml(child, `${indent}  `)), `${indent}</${node.name}>`].join('\n');
}
