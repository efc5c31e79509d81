/**
 * Every character XML 1.0 does not allow (C0 controls but tab and line breaks, U+FFFE, U+FFFF,
 * lone surrogates): names are member-controlled and may hold any of them. With the `u` flag a lone
 * surrogate is one code point of its own, outside the allowed ranges.
 */
const NOT_XML_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/** Escapes text for an XML element or attribute; characters XML cannot hold become U+FFFD, so the document stays well-formed. */
export function xmlText(value: unknown): string {
  return String(value ?? '')
    .replace(NOT_XML_CHAR, '\uFFFD')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
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
