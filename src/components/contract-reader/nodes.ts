// A contract's plain text (paragraphs separated by blank lines) as rich-text nodes, the same on
// WeChat and in the browser; and the short form of its hash that the reader shows.

export type ContractNode =
  { type: 'text'; text: string } | { name: 'p' | 'br'; attrs?: { style: string }; children?: ContractNode[] }

// Inline style, not a class: a rich-text node's class does not reach the page's stylesheet
// everywhere, and em units need no px conversion.
const PARAGRAPH_STYLE = 'margin: 0 0 0.8em; line-height: 1.7; word-break: break-all;'

/**
 * One `p` per paragraph; a single line break inside a paragraph stays a line break. WeChat's
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
    .map((p) => ({
      name: 'p' as const,
      attrs: { style: PARAGRAPH_STYLE },
      children: p
        .split('\n')
        .flatMap((line, i): ContractNode[] =>
          i === 0 ? [{ type: 'text', text: literal(line) }] : [{ name: 'br' }, { type: 'text', text: literal(line) }],
        ),
    }))
}

/** The first 16 hex digits of a SHA-256: enough to compare a copy by eye. */
export function shaPrefix(sha256: string): string {
  return sha256.slice(0, 16)
}
