import type { FieldProblem } from '../admin-error.ts';
import { html, type Html } from './html.ts';
import type { PageCtx } from './page-context.ts';

/** A form as it was posted (a field sent several times, like checkboxes, is a list), and what was wrong with it. */
export type FormValues = Record<string, string | string[] | undefined>;
export interface FormState {
  values: FormValues;
  problems: readonly FieldProblem[];
}

export const emptyForm = (values: FormValues = {}): FormState => ({ values, problems: [] });

/** a posted body as form values: strings and lists of strings only */
export function formValues(body: unknown): FormValues {
  if (typeof body !== 'object' || body === null) return {};
  const out: FormValues = {};
  for (const [k, v] of Object.entries(body)) {
    // a field named __proto__ would set the prototype of `out`, not a field
    if (k === '__proto__' || k === 'constructor' || k === 'prototype') continue;
    if (typeof v === 'string') out[k] = v;
    else if (Array.isArray(v)) out[k] = v.filter((x): x is string => typeof x === 'string');
  }
  return out;
}

export const one = (v: string | string[] | undefined): string => (Array.isArray(v) ? (v[0] ?? '') : (v ?? ''));
export const many = (v: string | string[] | undefined): string[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/** a record's problems at this field or inside it (`when.keywords` holds `when.keywords.2`) */
export function problemsAt(problems: readonly FieldProblem[], name: string): FieldProblem[] {
  return problems.filter((p) => p.field === name || p.field.startsWith(`${name}.`));
}

const idOf = (name: string) => `f-${name.replace(/[^A-Za-z0-9_-]/g, '-')}`;

interface FieldOptions {
  name: string;
  label: string;
  hint?: string;
}

function described(state: FormState, o: FieldOptions): { attrs: Html; after: Html } {
  const id = idOf(o.name);
  const problems = problemsAt(state.problems, o.name);
  const ids = [o.hint ? `${id}-hint` : '', problems.length ? `${id}-problem` : ''].filter(Boolean).join(' ');
  return {
    attrs: html` id="${id}" name="${o.name}"${ids ? html` aria-describedby="${ids}"` : ''}${problems.length ? html` aria-invalid="true"` : ''}`,
    after: html`${o.hint ? html`<p class="hint" id="${id}-hint">${o.hint}</p>` : ''}${problems.length ? html`<p class="problem" id="${id}-problem">${problems.map((p) => `${p.field}: ${p.message}`).join('; ')}</p>` : ''}`,
  };
}

export function textField(state: FormState, o: FieldOptions & { type?: 'text' | 'number' | 'time' | 'password' | 'search'; required?: boolean; readonly?: boolean; step?: string; inputmode?: string; autocomplete?: string }): Html {
  const d = described(state, o);
  const value = o.type === 'password' ? '' : one(state.values[o.name]);
  return html`<label for="${idOf(o.name)}">${o.label}</label><input type="${o.type ?? 'text'}"${d.attrs} value="${value}"${o.required ? html` required` : ''}${o.readonly ? html` readonly` : ''}${o.step ? html` step="${o.step}"` : ''}${o.inputmode ? html` inputmode="${o.inputmode}"` : ''}${o.autocomplete ? html` autocomplete="${o.autocomplete}"` : ''}>${d.after}`;
}

export function textArea(state: FormState, o: FieldOptions & { rows?: number }): Html {
  const d = described(state, o);
  return html`<label for="${idOf(o.name)}">${o.label}</label><textarea${d.attrs} rows="${o.rows ?? 3}">${one(state.values[o.name])}</textarea>${d.after}`;
}

export interface Option {
  value: string;
  label: string;
}

/** a select; a value that is none of the options (typed or posted by hand) is kept as one, so it shows with its error */
export function selectField(state: FormState, o: FieldOptions & { options: readonly Option[] }): Html {
  const d = described(state, o);
  const value = one(state.values[o.name]);
  const options = value && !o.options.some((x) => x.value === value) ? [...o.options, { value, label: value }] : o.options;
  return html`<label for="${idOf(o.name)}">${o.label}</label><select${d.attrs}>${options.map((x) => html`<option value="${x.value}"${x.value === value ? html` selected` : ''}>${x.label}</option>`)}</select>${d.after}`;
}

/** one checkbox: sent as "on" when ticked, not sent at all when not */
export function checkField(state: FormState, o: FieldOptions): Html {
  const d = described(state, o);
  return html`<label><input type="checkbox"${d.attrs} value="on"${one(state.values[o.name]) === 'on' ? html` checked` : ''}>${o.label}</label>${d.after}`;
}

/** several checkboxes of one name: each ticked one is sent */
export function checkGroup(state: FormState, o: FieldOptions & { options: readonly Option[] }): Html {
  const ticked = new Set(many(state.values[o.name]));
  const problems = problemsAt(state.problems, o.name);
  const id = idOf(o.name);
  return html`<fieldset${problems.length ? html` aria-describedby="${id}-problem"` : ''}><legend>${o.label}</legend><div class="checks">${o.options.map(
    (x) => html`<label><input type="checkbox" name="${o.name}" value="${x.value}"${ticked.has(x.value) ? html` checked` : ''}>${x.label}</label>`,
  )}</div>${o.hint ? html`<p class="hint">${o.hint}</p>` : ''}${problems.length ? html`<p class="problem" id="${id}-problem">${problems.map((p) => `${p.field}: ${p.message}`).join('; ')}</p>` : ''}</fieldset>`;
}

export const hidden = (name: string, value: string | number): Html => html`<input type="hidden" name="${name}" value="${value}">`;
export const csrfField = (ctx: PageCtx): Html => hidden('_csrf', ctx.csrf);

/** every problem, at the top of the form, each naming its field: the fields repeat their own */
export function problemSummary(ctx: PageCtx, state: FormState, message?: string): Html {
  if (!state.problems.length && !message) return html``;
  return html`<div class="flash error" role="alert">${message ? html`<p>${message}</p>` : ''}${state.problems.length ? html`<p>${ctx.t.common.problems}</p><ul>${state.problems.map((p) => html`<li>${p.field}: ${p.message}</li>`)}</ul>` : ''}</div>`;
}

/** a one-button form: disable, retry, delete */
export function actionButton(ctx: PageCtx, action: string, label: string): Html {
  return html`<form method="post" action="${action}">${csrfField(ctx)}<button type="submit" class="quiet">${label}</button></form>`;
}
