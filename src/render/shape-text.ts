import type { ChannelLimits } from '../connectors/connector.ts';
import { shapeToSegments } from './sms-segments.ts';
import { cutToXWeight } from './x-length.ts';

/**
 * Fits a reply into what the channel carries. When it must be shortened and the ticket number would be lost,
 * the number goes first: a citizen can always quote it.
 */
export function shapeReply(text: string, limits: ChannelLimits, keep?: string): string {
  const fit = (t: string): string => {
    let out = t;
    if (limits.maxSegments) out = shapeToSegments(out, limits.maxSegments);
    if (limits.maxChars && limits.countBy === 'x-weighted') out = cutToXWeight(out, limits.maxChars);
    else if (limits.maxChars && [...out].length > limits.maxChars) out = [...out].slice(0, limits.maxChars - 1).join('') + '…';
    return out;
  };
  const shaped = fit(text);
  if (!keep || shaped.includes(keep) || !text.includes(keep)) return shaped;
  return fit(`${keep}: ${text.replace(keep, '').replace(/\s{2,}/gu, ' ')}`);
}
