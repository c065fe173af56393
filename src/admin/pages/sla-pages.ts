import type { SlaPolicy } from '../../model/index.ts';
import { checkField, one, selectField, textField, type FormValues } from './forms.ts';
import { html } from './html.ts';
import { rowActions, type RecordPages } from './record-pages.ts';

function fromForm(values: FormValues, current?: SlaPolicy): Record<string, unknown> {
  const s = (k: string) => one(values[k]).trim();
  return {
    id: current?.id ?? s('id'),
    category: s('category'),
    ...(s('priority') ? { priority: s('priority') } : {}),
    ...(s('hours') ? { hours: Number(s('hours')) } : {}),
    ...(s('workingDays') ? { workingDays: Number(s('workingDays')) } : {}),
    enabled: s('enabled') === 'on',
  };
}

function toForm(p: SlaPolicy): FormValues {
  return { id: p.id, category: p.category, priority: p.priority ?? '', hours: p.hours === undefined ? '' : String(p.hours), workingDays: p.workingDays === undefined ? '' : String(p.workingDays), enabled: p.enabled ? 'on' : undefined };
}

/** How long complaints may take, by category and priority: the pages of /admin/sla. */
export const SLA_PAGES: RecordPages<SlaPolicy> = {
  kind: 'sla',
  path: 'sla',
  title: (t) => t.sla.title,
  addTitle: (t) => t.sla.add,
  editTitle: (t, id) => t.sla.edit(id),
  blank: { category: '*', enabled: 'on' },
  fromForm,
  toForm,
  // the city-wide default last, as it is what applies when nothing else does
  order: (a, b) => Number(a.category === '*') - Number(b.category === '*') || a.category.localeCompare(b.category) || (a.priority ?? '').localeCompare(b.priority ?? ''),
  table: (ctx, items) => {
    const { t } = ctx;
    const k = t.sla;
    return html`<table class="cards"><thead><tr><th>${k.id}</th><th>${k.category}</th><th>${k.priority}</th><th>${k.time}</th><th>${t.common.enabled}</th><th></th></tr></thead><tbody>${items.map(
      ({ record: p }) => html`<tr><td data-label="${k.id}">${p.id}</td><td data-label="${k.category}">${p.category === '*' ? k.every : p.category}</td>
<td data-label="${k.priority}">${p.priority ? t.priority[p.priority] : t.common.any}</td>
<td data-label="${k.time}">${p.hours !== undefined ? `${p.hours} ${k.hours}` : `${p.workingDays} ${k.workingDays}`}</td>
<td data-label="${t.common.enabled}">${p.enabled ? t.common.on : t.common.off}</td><td>${rowActions(ctx, SLA_PAGES, p)}</td></tr>`,
    )}</tbody></table>`;
  },
  fields: (ctx, state, lookups, mode) => {
    const { t } = ctx;
    const k = t.sla;
    return html`${mode === 'add' ? textField(state, { name: 'id', label: k.id, required: true, autocomplete: 'off' }) : ''}
${selectField(state, { name: 'category', label: k.category, options: [{ value: '*', label: k.every }, ...lookups.categories.map((c) => ({ value: c, label: c }))] })}
${selectField(state, { name: 'priority', label: k.priority, options: [{ value: '', label: t.common.any }, { value: 'urgent', label: t.priority.urgent }, { value: 'normal', label: t.priority.normal }] })}
<p class="hint">${k.hint}</p>
${textField(state, { name: 'hours', label: k.hours, type: 'number', step: 'any', inputmode: 'decimal' })}
${textField(state, { name: 'workingDays', label: k.workingDays, type: 'number', inputmode: 'numeric' })}
${checkField(state, { name: 'enabled', label: t.common.enabled })}`;
  },
};
