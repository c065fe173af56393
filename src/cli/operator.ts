import { userInfo } from 'node:os';

/** who the audit says made a change at the machine: cli:<os user>; a container user without a passwd entry still gets a name */
export function operatorRef(): string {
  let name: string;
  try {
    name = userInfo().username;
  } catch {
    name = process.env.USER || `uid-${process.getuid?.() ?? 'unknown'}`;
  }
  return `cli:${name}`;
}
