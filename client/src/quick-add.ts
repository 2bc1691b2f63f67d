/**
 * Quick add: one line such as "coffee 3.50", "3,50 coffee yesterday", "rent 1200 on the 1st",
 * "taxi 24.90 2 days ago" or "lunch 12 food" read into an expense. Runs in the page, on data it
 * already has (categories, the month's expenses); nothing is saved until the user confirms what
 * was read. Anything ambiguous or invalid is a problem named to the user, never a guess saved.
 */

import { readAmount } from './format.js';

export interface QuickAddContext {
  /** YYYY-MM-DD in the budget's time zone. */
  today: string;
  /** The currency's decimals (2 for USD, 0 for JPY, 3 for KWD). */
  decimals: number;
  /** Day and month order of dates typed with slashes or dots: 'DMY' (31/12) or 'MDY' (12/31). */
  dateOrder: 'DMY' | 'MDY';
  /** Categories that take new expenses. */
  categories: { id: string; name: string }[];
  /** Recent expenses, newest first: their descriptions guess a category; the first is the last used. */
  history: readonly { description?: string; category: string }[];
}

export interface QuickAddResult {
  /** Major units, as the API takes them. */
  amount: number;
  date: string;
  category: string;
  /** How the category was found: typed (a name or its start), guessed from similar descriptions, or the last one used. */
  categoryFrom: 'typed' | 'guessed' | 'last';
  description: string;
}

export type QuickAddParse = { ok: true; expense: QuickAddResult } | { ok: false; problem: string };

const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];
const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];
/** The month a word names or starts (at least 3 letters), 1-12; 0 when none. */
const monthNamed = (word: string | undefined) => (word && word.length >= 3 ? MONTHS.findIndex((name) => name.startsWith(word.replace(/\.$/, ''))) + 1 : 0);
const FILLER = new Set(['on', 'the', 'for', 'at', 'in', 'of']);

const dayNumber = (date: string) => Date.parse(`${date}T00:00:00Z`) / 86_400_000;
const fromDayNumber = (n: number) => new Date(n * 86_400_000).toISOString().slice(0, 10);
const pad = (n: number) => String(n).padStart(2, '0');

function validDate(year: number, month: number, day: number): string | null {
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null;
  return `${year}-${pad(month)}-${pad(day)}`;
}

/** Day `day` of this month if it has come, else of the month before. */
function dayOfRecentMonth(today: string, day: number): string | null {
  const [year, month] = [Number(today.slice(0, 4)), Number(today.slice(5, 7))];
  const here = validDate(year, month, day);
  if (here && here <= today) return here;
  return validDate(month === 1 ? year - 1 : year, month === 1 ? 12 : month - 1, day);
}

/** A day and month without a year: this year's if it has come, else last year's. */
function recentDate(today: string, month: number, day: number): string | null {
  const year = Number(today.slice(0, 4));
  const here = validDate(year, month, day);
  if (here === null) return validDate(year - 1, month, day);
  return here <= today ? here : validDate(year - 1, month, day);
}

type Found = { value: string; length: number } | { problem: string; length: number };

/** A date phrase starting at word `i`, and how many words it takes. */
function dateAt(words: string[], i: number, context: QuickAddContext): Found | null {
  const word = words[i]!;
  const next = words[i + 1];
  if (word === 'today') return { value: context.today, length: 1 };
  if (word === 'yesterday') return { value: fromDayNumber(dayNumber(context.today) - 1), length: 1 };
  const ago = /^(\d{1,3}|a|one)$/.test(word) && /^days?$/.test(next ?? '') && words[i + 2] === 'ago';
  if (ago) return { value: fromDayNumber(dayNumber(context.today) - (/^\d+$/.test(word) ? Number(word) : 1)), length: 3 };
  // A weekday's full name, or its start after "on" or "last" ("sun cream 12" stays a description).
  const afterCue = i > 0 && (words[i - 1] === 'on' || words[i - 1] === 'last');
  const weekday = WEEKDAYS.findIndex((name) => name === word || (afterCue && word.length >= 3 && name.startsWith(word)));
  if (weekday >= 0) {
    // The latest such day on or before today ("last friday" too).
    const todayIndex = new Date(`${context.today}T00:00:00Z`).getUTCDay();
    return { value: fromDayNumber(dayNumber(context.today) - ((todayIndex - weekday + 7) % 7)), length: 1 };
  }
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(word);
  if (iso) {
    const date = validDate(Number(iso[1]), Number(iso[2]), Number(iso[3]));
    return date ? { value: date, length: 1 } : { problem: `${word} is not a date`, length: 1 };
  }
  const numeric = /^(\d{1,2})[/.](\d{1,2})(?:[/.](\d{2}|\d{4}))?\.?$/.exec(word);
  if (numeric && (word.includes('/') || word.split('.').length >= 3 || word.endsWith('.'))) {
    const [a, b] = [Number(numeric[1]), Number(numeric[2])];
    const [day, month] = context.dateOrder === 'DMY' ? [a, b] : [b, a];
    const year = numeric[3] ? Number(numeric[3].length === 2 ? `20${numeric[3]}` : numeric[3]) : null;
    const date = year === null ? recentDate(context.today, month, day) : validDate(year, month, day);
    return date ? { value: date, length: 1 } : { problem: `${word} is not a date (${context.dateOrder === 'DMY' ? 'day/month' : 'month/day'})`, length: 1 };
  }
  const monthFirst = monthNamed(word);
  if (monthFirst && /^\d{1,2}(st|nd|rd|th)?$/.test(next ?? '')) {
    const date = recentDate(context.today, monthFirst, parseInt(next!, 10));
    return date ? { value: date, length: 2 } : { problem: `${word} ${next} is not a date`, length: 2 };
  }
  const monthAfter = monthNamed(next);
  if (/^\d{1,2}(st|nd|rd|th)?$/.test(word) && monthAfter) {
    const date = recentDate(context.today, monthAfter, parseInt(word, 10));
    return date ? { value: date, length: 2 } : { problem: `${word} ${next} is not a date`, length: 2 };
  }
  const ordinal = /^(\d{1,2})(st|nd|rd|th)$/.exec(word);
  if (ordinal) {
    const date = dayOfRecentMonth(context.today, Number(ordinal[1]));
    return date ? { value: date, length: 1 } : { problem: `there is no ${word} in this month or the last`, length: 1 };
  }
  return null;
}

/** An amount with an optional currency sign, read by the page's one amount rule (format.ts). */
function amountOf(word: string, decimals: number): { value: number } | { problem: string } | null {
  const read = readAmount(word.replace(/^[$€£¥]|[$€£¥]$/g, ''), decimals);
  return read && 'problem' in read ? { problem: read.problem.replace(/"/g, '') } : read;
}

const normalize = (text: string) => text.toLowerCase().normalize('NFKD').replace(/\p{M}/gu, '').trim();

/** A category the word names, or starts (at least 3 letters, only one category so): null when none or several. */
function categoryNamed(word: string, categories: QuickAddContext['categories']): string | null {
  const key = normalize(word);
  const exact = categories.filter((c) => normalize(c.name) === key);
  if (exact.length === 1) return exact[0]!.id;
  if (key.length < 3) return null;
  const starts = categories.filter((c) => normalize(c.name).startsWith(key));
  return starts.length === 1 ? starts[0]!.id : null;
}

export function parseQuickAdd(text: string, context: QuickAddContext): QuickAddParse {
  const words = text.trim().split(/\s+/).filter(Boolean).map((w) => w.toLowerCase());
  const original = text.trim().split(/\s+/).filter(Boolean);
  if (words.length === 0) return { ok: false, problem: 'Type what you spent, e.g. "coffee 3.50"' };
  const used = new Array<boolean>(words.length).fill(false);

  let date: string | null = null;
  for (let i = 0; i < words.length; i++) {
    if (used[i]) continue;
    // "last friday", "on the 1st": the filler words go with the date.
    const found = dateAt(words, i, context);
    if (!found) continue;
    if ('problem' in found) return { ok: false, problem: capitalize(found.problem) };
    if (date !== null) return { ok: false, problem: 'Two dates: keep one' };
    date = found.value;
    for (let k = i; k < i + found.length; k++) used[k] = true;
    for (let k = i - 1; k >= 0 && (FILLER.has(words[k]!) || words[k] === 'last') && !used[k]; k--) used[k] = true;
    i += found.length - 1;
  }
  if (date !== null && date > context.today) return { ok: false, problem: `${date} is in the future` };

  const amounts: { index: number; value: number }[] = [];
  for (let i = 0; i < words.length; i++) {
    if (used[i]) continue;
    const amount = amountOf(words[i]!, context.decimals);
    if (amount === null) continue;
    if ('problem' in amount) return { ok: false, problem: capitalize(amount.problem) };
    amounts.push({ index: i, value: amount.value });
  }
  if (amounts.length === 0) return { ok: false, problem: 'No amount: add what it cost, e.g. "coffee 3.50"' };
  if (amounts.length > 1) return { ok: false, problem: `Two amounts (${amounts.map((a) => original[a.index]).join(' and ')}): keep one` };
  used[amounts[0]!.index] = true;

  let category: string | null = null;
  for (let i = words.length - 1; i >= 0 && category === null; i--) {
    if (used[i]) continue;
    const named = categoryNamed(words[i]!, context.categories);
    if (named !== null) {
      category = named;
      used[i] = true;
    }
  }
  const description = original.filter((_, i) => !used[i]).join(' ');
  if (category !== null) return { ok: true, expense: { amount: amounts[0]!.value, date: date ?? context.today, category, categoryFrom: 'typed', description } };
  const guessed = guessCategory(description, context);
  if (guessed !== null) return { ok: true, expense: { amount: amounts[0]!.value, date: date ?? context.today, category: guessed, categoryFrom: 'guessed', description } };
  const last = context.history.find((h) => context.categories.some((c) => c.id === h.category))?.category ?? context.categories[0]?.id;
  if (last === undefined) return { ok: false, problem: 'No category to put it in' };
  return { ok: true, expense: { amount: amounts[0]!.value, date: date ?? context.today, category: last, categoryFrom: 'last', description } };
}

/** The category most used by past expenses whose description shares a word with this one. */
function guessCategory(description: string, context: QuickAddContext): string | null {
  const words = new Set(normalize(description).split(/\s+/).filter((w) => w.length >= 3));
  if (words.size === 0) return null;
  const votes = new Map<string, number>();
  for (const past of context.history) {
    if (!past.description || !context.categories.some((c) => c.id === past.category)) continue;
    if (normalize(past.description).split(/\s+/).some((w) => words.has(w))) votes.set(past.category, (votes.get(past.category) ?? 0) + 1);
  }
  const best = [...votes].sort((a, b) => b[1] - a[1]);
  return best.length && (best.length === 1 || best[0]![1] > best[1]![1]) ? best[0]![0] : null;
}

const capitalize = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
