// A contract's plain text (paragraphs separated by blank lines) as rich-text nodes, the same on
// WeChat and in the browser; and the short form of its hash that the reader shows.

export type ContractNode =
  | { type: 'text'; text: string }
  | { name: 'p' | 'br' | 'table' | 'tr' | 'th' | 'td'; attrs?: { style: string }; children?: ContractNode[] }

// Inline style, not a class: a rich-text node's class does not reach the page's stylesheet
// everywhere, and em units need no px conversion.
// Line height and breaking are inherited from the reader's .contract-text.
const PARAGRAPH_STYLE = 'margin:0 0 0.8em'
/**
 * What every cell shares (figures whole and aligned right) is set once on the table and inherited;
 * a cell carries only its padding and rule, and the first two columns (期数, dates) their left
 * alignment: each style repeated on 50-odd cells had made the plan 5 KB of the page's data.
 */
const TABLE_STYLE =
  'margin:0 0 0.8em;border-collapse:collapse;width:100%;font-size:0.85em;white-space:nowrap;text-align:right'
const CELL_STYLE = 'padding:0.2em 0.3em;border-bottom:1px solid #e5e5e5'
const FIRST_CELL_STYLE = `${CELL_STYLE};text-align:left`

/** A paragraph whose every line has tab-separated columns (the repayment plan) is a table: header row first. */
function tableOf(lines: string[], literal: (line: string) => string): ContractNode {
  return {
    name: 'table',
    attrs: { style: TABLE_STYLE },
    children: lines.map((line, row) => ({
      name: 'tr' as const,
      children: line.split('\t').map((cell, col) => ({
        name: row === 0 ? ('th' as const) : ('td' as const),
        attrs: { style: col < 2 ? FIRST_CELL_STYLE : CELL_STYLE },
        children: [{ type: 'text' as const, text: literal(cell) }],
      })),
    })),
  }
}

/**
 * One `p` per paragraph, the plan's tab-separated rows a table; a single line break inside a
 * paragraph stays a line break. WeChat's
 * rich-text reads entities in text nodes and the browser's does not: `entities` escapes `&` so
 * that WeChat, too, shows the text exactly as signed.
 */
export function contractNodes(text: string, entities = false): ContractNode[] {
  const literal = (line: string) => (entities ? line.replace(/&/g, '&amp;') : line)
  return text
    .replace(/\r\n?/g, '\n')
    .split(/\n[ \t]*\n/)
    .map((p) => p.replace(/^\n+|\s+$/g, ''))
    .filter((p) => p.trim() !== '')
    .map((p): ContractNode => {
      const lines = p.split('\n')
      if (lines.every((line) => line.includes('\t'))) return tableOf(lines, literal)
      return {
        name: 'p',
        attrs: { style: PARAGRAPH_STYLE },
        children: lines.flatMap((line, i): ContractNode[] =>
          i === 0 ? [{ type: 'text', text: literal(line) }] : [{ name: 'br' }, { type: 'text', text: literal(line) }],
        ),
      }
    })
}

/** The first 16 hex digits of a SHA-256: enough to compare a copy by eye. */
export function shaPrefix(sha256: string): string {
  return sha256.slice(0, 16)
}
