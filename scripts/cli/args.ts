// A small `--flag value` parser for the operator CLI: unknown or valueless flags are errors.
export type Flags = Record<string, string>

export function parseFlags(
  argv: string[],
  allowed: string[],
): { ok: true; flags: Flags } | { ok: false; message: string } {
  const flags: Flags = {}
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]
    if (!arg.startsWith('--')) return { ok: false, message: `unexpected argument: ${arg}` }
    const [name, inline] = arg.slice(2).split('=', 2)
    if (!allowed.includes(name))
      return { ok: false, message: `unknown option --${name} (known: ${allowed.map((a) => `--${a}`).join(' ')})` }
    const value = inline ?? argv[++i]
    if (value === undefined || (inline === undefined && value.startsWith('--')))
      return { ok: false, message: `--${name} needs a value` }
    flags[name] = value
  }
  return { ok: true, flags }
}
