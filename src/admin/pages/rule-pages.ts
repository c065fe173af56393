import { Channel, type RoutingRule } from '../../model/index.ts';
import { checkField, checkGroup, many, one, selectField, textArea, textField, type FormValues } from './forms.ts';
import { html } from './html.ts';
import { nameOf, namedOptions } from './lookups.ts';
import { rowActions, type RecordPages } from './record-pages.ts';
import type { Words } from './words-en.ts';

const words = (v: string) => v.split(/[\s,]+/).filter(Boolean);
const lines = (v: string) => v.split(/\r?\n/).map((l) => l.trim()).filter(Boolean);

function fromForm(values: FormValues, current?: RoutingRule): Record<string, unknown> {
  const s = (k: string) => one(values[k]).trim();
  const ticked = (k: string) => many(values[k]).filter(Boolean);
  const when: Record<string, unknown> = {};
  if (ticked('when.categories').length) when.categories = ticked('when.categories');
  if (ticked('when.wards').length) when.wards = ticked('when.wards');
  if (words(s('when.pinCodes')).length) when.pinCodes = words(s('when.pinCodes'));
  if (lines(one(values['when.keywords'])).length) when.keywords = lines(one(values['when.keywords']));
  if (s('when.pattern')) when.pattern = s('when.pattern');
  if (ticked('when.channels').length) when.channels = ticked('when.channels');
  // an area on the map is not edited here: a rule that has one keeps it
  if (current?.when.near) when.near = current.when.near;
  const then: Record<string, unknown> = {};
  for (const k of ['department', 'ward', 'priority']) if (s(`then.${k}`)) then[k] = s(`then.${k}`);
  return { id: current?.id ?? s('id'), name: s('name'), order: s('order') === '' ? undefined : Number(s('order')), when, then, enabled: s('enabled') === 'on' };
}

function toForm(r: RoutingRule): FormValues {
  return {
    id: r.id,
    name: r.name,
    order: String(r.order),
    'when.categories': r.when.categories ?? [],
    'when.wards': r.when.wards ?? [],
    'when.pinCodes': (r.when.pinCodes ?? []).join(' '),
    'when.keywords': (r.when.keywords ?? []).join('\n'),
    'when.pattern': r.when.pattern ?? '',
    'when.channels': r.when.channels ?? [],
    'then.department': r.then.department ?? '',
    'then.ward': r.then.ward ?? '',
    'then.priority': r.then.priority ?? '',
    enabled: r.enabled ? 'on' : undefined,
  };
}

/** a rule's conditions in a few words, for the table */
function whenWords(r: RoutingRule, t: Words): string[] {
  const w = r.when;
  const k = t.rule;
  const out: string[] = [];
  if (w.categories) out.push(`${k.categories}: ${w.categories.join(', ')}`);
  if (w.wards) out.push(`${k.wards}: ${w.wards.join(', ')}`);
  if (w.pinCodes) out.push(`${k.pinCodes}: ${w.pinCodes.join(', ')}`);
  if (w.keywords) out.push(`${k.keywords}: ${w.keywords.slice(0, 4).join(', ')}${w.keywords.length > 4 ? ` … (${w.keywords.length})` : ''}`);
  if (w.pattern) out.push(`${k.pattern}: ${w.pattern}`);
  if (w.channels) out.push(`${k.channels}: ${w.channels.join(', ')}`);
  if (w.near) out.push(k.near(w.near.lat, w.near.lon, w.near.radiusKm));
  return out;
}

/** The routing rules, in the order they are read: the pages of /admin/rules. */
export const RULE_PAGES: RecordPages<RoutingRule> = {
  kind: 'rule',
  path: 'rules',
  title: (t) => t.rule.title,
  intro: (t) => t.rule.intro,
  addTitle: (t) => t.rule.add,
  editTitle: (t, id) => t.rule.edit(id),
  blank: { enabled: 'on', order: '500' },
  fromForm,
  toForm,
  order: (a, b) => a.order - b.order || a.id.localeCompare(b.id),
  table: (ctx, items, lookups) => {
    const { t } = ctx;
    const k = t.rule;
    return html`<table class="cards"><thead><tr><th>${k.order}</th><th>${k.id}</th><th>${k.name}</th><th>${k.when}</th><th>${k.then}</th><th>${t.common.enabled}</th><th></th></tr></thead><tbody>${items.map(({ record: r }) => {
      const then = [
        r.then.department ? `${t.queue.cols.department}: ${nameOf(lookups.departments, r.then.department, t)}` : '',
        r.then.ward ? `${t.queue.cols.ward}: ${nameOf(lookups.wards, r.then.ward, t)}` : '',
        r.then.priority ? `${t.queue.cols.priority}: ${t.priority[r.then.priority]}` : '',
      ].filter(Boolean);
      return html`<tr><td data-label="${k.order}">${r.order}</td><td data-label="${k.id}">${r.id}</td><td data-label="${k.name}">${r.name}</td>
<td data-label="${k.when}">${whenWords(r, t).map((w) => html`<div>${w}</div>`)}</td><td data-label="${k.then}">${then.map((w) => html`<div>${w}</div>`)}</td>
<td data-label="${t.common.enabled}">${r.enabled ? t.common.on : t.common.off}</td><td>${rowActions(ctx, RULE_PAGES, r)}</td></tr>`;
    })}</tbody></table>`;
  },
  fields: (ctx, state, lookups, mode) => {
    const { t } = ctx;
    const k = t.rule;
    const none = t.common.none;
    const wardChoices = lookups.wards.map((w) => ({ value: w.id, label: w.name[t.lang] }));
    return html`${mode === 'add' ? textField(state, { name: 'id', label: k.id, required: true, autocomplete: 'off' }) : ''}
${textField(state, { name: 'name', label: k.name, required: true })}
${textField(state, { name: 'order', label: k.order, type: 'number', inputmode: 'numeric', required: true })}
<fieldset><legend>${k.when}</legend>
${checkGroup(state, { name: 'when.categories', label: k.categories, options: lookups.categories.map((c) => ({ value: c, label: c })) })}
${checkGroup(state, { name: 'when.wards', label: k.wards, options: wardChoices })}
${textField(state, { name: 'when.pinCodes', label: k.pinCodes, hint: k.pinHint, inputmode: 'numeric' })}
${textArea(state, { name: 'when.keywords', label: k.keywords, hint: k.keywordsHint, rows: 5 })}
${textField(state, { name: 'when.pattern', label: k.pattern, hint: k.patternHint, autocomplete: 'off' })}
${checkGroup(state, { name: 'when.channels', label: k.channels, options: Channel.options.map((c) => ({ value: c, label: c })) })}
</fieldset>
<fieldset><legend>${k.then}</legend>
${selectField(state, { name: 'then.department', label: t.queue.cols.department, options: namedOptions(lookups.departments, t, { none, keep: one(state.values['then.department']) }) })}
${selectField(state, { name: 'then.ward', label: t.queue.cols.ward, options: namedOptions(lookups.wards, t, { none, keep: one(state.values['then.ward']) }) })}
${selectField(state, { name: 'then.priority', label: t.queue.cols.priority, options: [{ value: '', label: none }, { value: 'urgent', label: t.priority.urgent }, { value: 'normal', label: t.priority.normal }] })}
${state.problems.filter((p) => p.field === 'then').map((p) => html`<p class="problem">${p.field}: ${p.message}</p>`)}
</fieldset>
${checkField(state, { name: 'enabled', label: t.common.enabled })}`;
  },
};
