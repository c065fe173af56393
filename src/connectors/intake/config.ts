import type { Config } from '../../config/schema.ts';

/** One source of the signed intake API, with its key. */
export interface IntakeSource {
  id: string;
  channel: 'phone' | 'api';
  key: string;
  keyEnv: string;
  open311: boolean;
}

/** The sources of one channel whose keys are set; the others are named as off, with the variable to set. */
export function intakeOptionsFromConfig(config: Readonly<Config>, channel: 'phone' | 'api'): { sources: IntakeSource[]; off: string[] } {
  const keys = new Map((config.intake.secrets ?? []).map((s) => [s.id, s.key]));
  const mine = config.intake.sources.filter((s) => s.channel === channel);
  const sources = mine.flatMap((s) => {
    const key = keys.get(s.id);
    return key ? [{ id: s.id, channel, key, keyEnv: s.keyEnv, open311: s.open311 }] : [];
  });
  const off = mine.filter((s) => !keys.has(s.id)).map((s) => `${s.id} (${s.keyEnv} not set)`);
  return { sources, off };
}
