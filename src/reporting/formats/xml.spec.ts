import { XMLValidator } from 'fast-xml-parser';
import { renderXml, xmlText } from './xml.js';

describe('xmlText', () => {
  it('escapes markup and keeps text in any script', () => {
    expect(xmlText(`<a href="x">Tom & 'Jerry'</a> Sécurité 👩‍🚒`)).toBe('&lt;a href=&quot;x&quot;&gt;Tom &amp; &apos;Jerry&apos;&lt;/a&gt; Sécurité 👩‍🚒');
  });

  it('replaces every character XML 1.0 cannot hold, keeping tab and line breaks', () => {
    expect(xmlText('a\u0000b\u0001c\u001Fd\uFFFEe\uFFFFf\ud800g\udfffh\ti\nj\rk')).toBe('a\uFFFDb\uFFFDc\uFFFDd\uFFFDe\uFFFDf\uFFFDg\uFFFDh\ti\nj\rk');
  });

  it('renders a well-formed document whatever the text', () => {
    const hostile = 'Écho\uFFFE\uFFFF\u0001\u0008\ud800 ]]> <!-- & Drones';
    const xml = `<?xml version="1.0" encoding="UTF-8"?>\n${renderXml({ name: 'root', attributes: { name: hostile }, children: [{ name: 'Name', text: hostile }] })}`;
    expect(XMLValidator.validate(xml)).toBe(true);
    expect(xml).not.toMatch(/[\uFFFE\uFFFF\u0001\u0008]/);
  });
});
