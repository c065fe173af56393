// English contractions spelt out, as most examples write them: "I'll send it" reads as "I will send it", "don't have
// one" as "do not have one" (cut at the apostrophe, "don't" would be "don", Marathi for two, and "t")
const SPELT_OUT: readonly [RegExp, string][] = [
  [/\bcan['’]t\b/giu, 'can not'],
  [/\bwon['’]t\b/giu, 'will not'],
  [/\bshan['’]t\b/giu, 'shall not'],
  [/n['’]t\b/giu, ' not'],
  [/['’]ll\b/giu, ' will'],
  [/['’]re\b/giu, ' are'],
  [/['’]ve\b/giu, ' have'],
  [/\bi['’]m\b/giu, 'i am'],
  [/\b(i|you|he|she|we|they)['’]d\b/giu, '$1 would'],
  [/\b(it|that|there|what|where|here|who|how)['’]s\b/giu, '$1 is'],
];
const APOSTROPHE = /['’]/u;

export function spellOutContractions(text: string): string {
  if (!APOSTROPHE.test(text)) return text;
  let out = text;
  for (const [pattern, words] of SPELT_OUT) out = out.replace(pattern, words);
  return out;
}
