import { Channel, type ChannelMapping } from '../../model/index.ts';
import { checkField, checkGroup, many, one, selectField, textArea, textField, type FormState, type FormValues } from './forms.ts';
import { html } from './html.ts';
import { nameOf, namedOptions } from './lookups.ts';
import { rowActions, type RecordPages } from './record-pages.ts';

const LANGS = ['mr', 'hi', 'en'] as const;
const POLICIES = ['conversational', 'one-shot', 'silent'] as const;

function fromForm(values: FormValues, current?: ChannelMapping): Record<string, unknown> {
  const s = (k: string) => one(values[k]).trim();
  const out: Record<string, unknown> = {
    id: current?.id ?? s('id'),
    channel: s('channel'),
    accountId: s('accountId'),
    department: s('department'),
    defaultLanguage: s('defaultLanguage'),
    replyPolicy: s('replyPolicy'),
    enabled: s('enabled') === 'on',
  };
  if (s('ward')) out.ward = s('ward');
  // an empty box keeps the default; anything else is for the schema to judge ("abc" is not a number)
  if (s('slaHours')) out.slaHours = Number(s('slaHours'));
  const days = many(values['officeHours.days']).map(Number);
  if (days.length || s('officeHours.from') || s('officeHours.to')) out.officeHours = { days, from: s('officeHours.from'), to: s('officeHours.to') };
  const off = Object.fromEntries(LANGS.map((l) => [l, s(`offHoursMessage.${l}`)]));
  if (Object.values(off).some(Boolean)) out.offHoursMessage = off;
  return out;
}

function toForm(m: ChannelMapping): FormValues {
  return {
    id: m.id,
    channel: m.channel,
    accountId: m.accountId,
    department: m.department,
    ward: m.ward ?? '',
    defaultLanguage: m.defaultLanguage,
    replyPolicy: m.replyPolicy,
    slaHours: String(m.slaHours),
    enabled: m.enabled ? 'on' : undefined,
    'officeHours.days': (m.officeHours?.days ?? []).map(String),
    'officeHours.from': m.officeHours?.from ?? '',
    'officeHours.to': m.officeHours?.to ?? '',
    ...Object.fromEntries(LANGS.map((l) => [`offHoursMessage.${l}`, m.offHoursMessage?.[l] ?? ''])),
  };
}

/** Which account of which channel files where: the pages of /admin/mappings. */
export const MAPPING_PAGES: RecordPages<ChannelMapping> = {
  kind: 'mapping',
  path: 'mappings',
  title: (t) => t.mapping.title,
  addTitle: (t) => t.mapping.add,
  editTitle: (t, id) => t.mapping.edit(id),
  blank: { channel: 'sms', defaultLanguage: 'mr', replyPolicy: 'conversational', slaHours: '72', enabled: 'on' },
  fromForm,
  toForm,
  order: (a, b) => a.channel.localeCompare(b.channel) || a.accountId.localeCompare(b.accountId),
  table: (ctx, items, lookups) => {
    const { t } = ctx;
    const m = t.mapping;
    return html`<table class="cards"><thead><tr><th>${m.id}</th><th>${m.channel}</th><th>${m.accountId}</th><th>${m.department}</th><th>${m.ward}</th><th>${m.defaultLanguage}</th><th>${m.replyPolicy}</th><th>${m.slaHours}</th><th>${t.common.enabled}</th><th></th></tr></thead><tbody>${items.map(
      ({ record: r }) => html`<tr><td data-label="${m.id}">${r.id}</td><td data-label="${m.channel}">${r.channel}</td><td data-label="${m.accountId}">${r.accountId}</td>
<td data-label="${m.department}">${nameOf(lookups.departments, r.department, t)}</td><td data-label="${m.ward}">${r.ward ? nameOf(lookups.wards, r.ward, t) : t.common.none}</td>
<td data-label="${m.defaultLanguage}">${t.languages[r.defaultLanguage]}</td><td data-label="${m.replyPolicy}">${m.policies[r.replyPolicy] ?? r.replyPolicy}</td><td data-label="${m.slaHours}">${r.slaHours}</td>
<td data-label="${t.common.enabled}">${r.enabled ? t.common.on : t.common.off}</td><td>${rowActions(ctx, MAPPING_PAGES, r)}</td></tr>`,
    )}</tbody></table>`;
  },
  fields: (ctx, state, lookups, mode) => {
    const { t } = ctx;
    const m = t.mapping;
    const none = { value: '', label: t.common.none };
    return html`${mode === 'add' ? textField(state, { name: 'id', label: m.id, required: true, autocomplete: 'off' }) : ''}
${selectField(state, { name: 'channel', label: m.channel, options: Channel.options.map((c) => ({ value: c, label: c })) })}
${textField(state, { name: 'accountId', label: m.accountId, hint: m.accountHint, required: true, autocomplete: 'off' })}
${selectField(state, { name: 'department', label: m.department, options: [none, ...namedOptions(lookups.departments, t, { keep: one(state.values.department) })] })}
${selectField(state, { name: 'ward', label: m.ward, options: namedOptions(lookups.wards, t, { none: t.common.none, keep: one(state.values.ward) }) })}
${selectField(state, { name: 'defaultLanguage', label: m.defaultLanguage, options: LANGS.map((l) => ({ value: l, label: t.languages[l] })) })}
${selectField(state, { name: 'replyPolicy', label: m.replyPolicy, options: POLICIES.map((p) => ({ value: p, label: m.policies[p] ?? p })) })}
${textField(state, { name: 'slaHours', label: m.slaHours, type: 'number', step: 'any', inputmode: 'decimal' })}
<fieldset><legend>${m.officeHours}</legend>
${checkGroup(state, { name: 'officeHours.days', label: m.days, options: m.weekdays.map((d, i) => ({ value: String(i + 1), label: d })) })}
${textField(state, { name: 'officeHours.from', label: m.from, type: 'time' })}
${textField(state, { name: 'officeHours.to', label: m.to, type: 'time' })}
${wholeProblems(state, 'officeHours')}</fieldset>
<fieldset><legend>${m.offHours}</legend>${LANGS.map((l) => textArea(state, { name: `offHoursMessage.${l}`, label: t.languages[l], rows: 2 }))}${wholeProblems(state, 'offHoursMessage')}</fieldset>
${checkField(state, { name: 'enabled', label: t.common.enabled })}`;
  },
};

// a problem with a group as a whole (officeHours: "from must be before to" is at .to; the days missing at the group)
function wholeProblems(state: FormState, group: string) {
  const whole = state.problems.filter((p) => p.field === group);
  return whole.length ? html`<p class="problem">${whole.map((p) => `${p.field}: ${p.message}`).join('; ')}</p>` : '';
}
