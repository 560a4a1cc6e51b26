// REPORT.html: REPORT.md (generated section and hand-written analysis alike) as one self-contained
// page. Charts are the same PNGs, inlined as data URIs; the results it was made from ride along as
// JSON. No script, no stylesheet or font from elsewhere: it opens from disk, offline. Pure: Markdown
// and a chart lookup in, a string out. Handles the Markdown REPORT.md uses (headings, paragraphs,
// lists, tables, fenced code, images, code spans, bold, italics, links, <br> in table cells).

export interface HtmlReportOptions {
  title: string;
  /** The image at a Markdown path as a data URI, or null when it cannot be found. */
  image: (src: string) => string | null;
  /** Embedded as <script type="application/json" id="ipc-lab-results"> for readers who want the numbers. */
  data?: unknown;
}

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Inline Markdown: code spans stay literal (set aside behind private-use marks), then links, bold, italics, <br>. */
export function renderInline(text: string): string {
  const codes: string[] = [];
  const marked = text.replace(/`([^`]*)`/g, (_m, code: string) => `\uE000${codes.push(code) - 1}\uE001`);
  return escapeHtml(marked)
    .replace(/&lt;br&gt;/g, '<br>')
    .replace(/\[([^\]]+)\]\(([^)\s]+)\)/g, (_m, label: string, href: string) => `<a href="${href}">${label}</a>`)
    .replace(/\*\*(.+?)\*\*/g, '<strong>$1</strong>')
    .replace(/(^|[\s(])_([^_]+?)_(?=$|[\s).,:;])/g, '$1<em>$2</em>')
    .replace(/\uE000(\d+)\uE001/g, (_m, index: string) => `<code>${escapeHtml(codes[Number(index)] ?? '')}</code>`);
}

const splitRow = (line: string): string[] =>
  line
    .trim()
    .replace(/^\|/, '')
    .replace(/\|$/, '')
    .split('|')
    .map((cell) => cell.trim());

const isTableSeparator = (line: string | undefined): boolean => line !== undefined && /^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$/.test(line);

function renderTable(lines: string[]): string {
  const [header = '', , ...rows] = lines;
  const head = splitRow(header).map((cell) => `<th>${renderInline(cell)}</th>`).join('');
  const body = rows.map((row) => `<tr>${splitRow(row).map((cell) => `<td>${renderInline(cell)}</td>`).join('')}</tr>`).join('\n');
  return `<table>\n<thead><tr>${head}</tr></thead>\n<tbody>\n${body}\n</tbody>\n</table>`;
}

function renderImage(line: string, options: HtmlReportOptions): string | null {
  const match = /^!\[([^\]]*)\]\(([^)\s]+)\)$/.exec(line.trim());
  if (!match) return null;
  const [, alt = '', src = ''] = match;
  const uri = options.image(src);
  if (uri === null) return `<p class="missing">chart not found: ${escapeHtml(src)} (${escapeHtml(alt)})</p>`;
  return `<figure><img src="${uri}" alt="${escapeHtml(alt)}"></figure>`;
}

/** Markdown blocks to HTML. */
export function renderMarkdown(markdown: string, options: HtmlReportOptions): string {
  const lines = markdown.replace(/<!--[\s\S]*?-->/g, '').split('\n');
  const out: string[] = [];
  let i = 0;
  const at = (index: number): string => lines[index] ?? '';
  while (i < lines.length) {
    const line = at(i);
    if (line.trim() === '') {
      i += 1;
      continue;
    }
    const fence = /^```(\w*)\s*$/.exec(line);
    if (fence) {
      const code: string[] = [];
      i += 1;
      while (i < lines.length && !/^```\s*$/.test(at(i))) code.push(at(i++));
      i += 1;
      out.push(`<pre><code${fence[1] ? ` class="language-${fence[1]}"` : ''}>${escapeHtml(code.join('\n'))}</code></pre>`);
      continue;
    }
    const heading = /^(#{1,6})\s+(.*)$/.exec(line);
    if (heading) {
      const level = (heading[1] ?? '#').length;
      out.push(`<h${level}>${renderInline(heading[2] ?? '')}</h${level}>`);
      i += 1;
      continue;
    }
    if (line.trim().startsWith('|') && isTableSeparator(lines[i + 1])) {
      const table: string[] = [];
      while (i < lines.length && at(i).trim().startsWith('|')) table.push(at(i++));
      out.push(renderTable(table));
      continue;
    }
    const image = renderImage(line, options);
    if (image !== null) {
      out.push(image);
      i += 1;
      continue;
    }
    const listItem = /^(\s*)([-*]|\d+\.)\s+(.*)$/;
    const first = listItem.exec(line);
    if (first) {
      const ordered = /\d/.test(first[2] ?? '');
      const items: string[] = [];
      while (i < lines.length) {
        const item = listItem.exec(at(i));
        if (!item || /\d/.test(item[2] ?? '') !== ordered) break;
        const text = [item[3] ?? ''];
        i += 1;
        // Continuation lines are indented under their item.
        while (i < lines.length && /^\s{2,}\S/.test(at(i)) && !listItem.test(at(i))) text.push(at(i++).trim());
        items.push(`<li>${renderInline(text.join(' '))}</li>`);
      }
      const tag = ordered ? 'ol' : 'ul';
      out.push(`<${tag}>\n${items.join('\n')}\n</${tag}>`);
      continue;
    }
    const paragraph: string[] = [];
    while (i < lines.length && at(i).trim() !== '' && !/^(#{1,6}\s|```|\s*([-*]|\d+\.)\s)/.test(at(i)) && !(at(i).trim().startsWith('|') && isTableSeparator(lines[i + 1]))) {
      paragraph.push(at(i++).trim());
    }
    out.push(`<p>${renderInline(paragraph.join(' '))}</p>`);
  }
  return out.join('\n');
}

const STYLE = `
body { font-family: system-ui, sans-serif; color: #222; max-width: 76rem; margin: 2rem auto; padding: 0 1.5rem; line-height: 1.45; }
h1, h2, h3 { line-height: 1.2; }
table { border-collapse: collapse; margin: 1rem 0; font-size: 0.9rem; display: block; overflow-x: auto; }
th, td { border: 1px solid #ddd; padding: 0.3rem 0.6rem; vertical-align: top; }
th { background: #f4f4f2; }
code { background: #f1f1ee; padding: 0.05rem 0.25rem; border-radius: 0.2rem; font-size: 0.9em; }
pre { background: #f6f6f4; padding: 0.8rem; overflow-x: auto; }
pre code { background: none; padding: 0; }
figure { margin: 1rem 0; }
img { max-width: 100%; height: auto; border: 1px solid #eee; }
.missing { color: #b00; }
`;

/** The whole page. `<` in the embedded JSON is escaped so no data can close the script element. */
export function renderHtmlReport(markdown: string, options: HtmlReportOptions): string {
  const data =
    options.data === undefined
      ? ''
      : `\n<script type="application/json" id="ipc-lab-results">${JSON.stringify(options.data).replace(/</g, '\\u003c')}</script>`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline'">
<title>${escapeHtml(options.title)}</title>
<style>${STYLE}</style>
</head>
<body>
${renderMarkdown(markdown, options)}${data}
</body>
</html>
`;
}
