import { foldedWords as fold, matchTokens } from '../../normalizer/match-key.ts';

// "where": कुठे, कहाँ, kidhar … (not "which": "the road which is near the lake" says where)
// (not "kaha": it is also "said", as in "maine pehle bhi kaha hai")
const WHERE = fold('कुठे कुठं कोठे कहाँ कहां किधर where kuthe kutha kothe kahan kahaan kidhar');
// a question without its mark still says "is": "Kothrud office kidhar hai"
const IS = fold('आहे आहेत है हैं येते येतो ahe aahe ahet hai hain is are yete');

/** the turn asks where something is ("कोथरूड क्षेत्रीय कार्यालय कुठे आहे?", "Kothrud office kidhar hai") */
export function asksWhere(text: string): boolean {
  const words = matchTokens(text).map((t) => t.key);
  if (!words.some((w) => WHERE.has(w))) return false;
  return text.includes('?') || words.some((w) => IS.has(w));
}
