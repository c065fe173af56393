import safeRegex from 'safe-regex2';

/**
 * Why a staff-written pattern could take exponential time on a citizen's text (V8 backtracks, on the thread that
 * answers every webhook), or undefined when it cannot: a repetition inside a repetition (safe-regex2's star
 * height), a repeated group with a choice in it (`(a|aa)+`), or a back-reference.
 */
export function patternRisk(pattern: string): string | undefined {
  if (!safeRegex(pattern)) return 'a repetition inside a repetition, like (\\w+\\s?)+, can take hours on a short text';
  if (/\\[1-9]|\\k</u.test(pattern)) return 'a back-reference (\\1, \\k<name>) can take hours on a short text';
  if (repeatedChoice(pattern)) return 'a repeated group with a choice in it, like (a|ab)+, can take hours on a short text';
  return undefined;
}

/** a group holding a top-level `|` and followed by *, + or {n,} / {n,m} with m > 1 */
function repeatedChoice(p: string): boolean {
  const open: { choice: boolean }[] = [];
  let inClass = false;
  for (let i = 0; i < p.length; i++) {
    const c = p[i]!;
    if (c === '\\') {
      i++;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      continue;
    }
    if (c === '[') inClass = true;
    else if (c === '(') open.push({ choice: false });
    else if (c === '|' && open.length > 0) open[open.length - 1]!.choice = true;
    else if (c === ')') {
      const group = open.pop();
      const after = p.slice(i + 1);
      const repeats = /^[*+]/.test(after) || /^\{\d*,\d*\}/.test(after) && !/^\{\d*,[01]\}/.test(after);
      if (group?.choice && repeats) return true;
    }
  }
  return false;
}
