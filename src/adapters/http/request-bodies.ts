import {
  ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsBoolean, IsEmail, IsInt, IsObject, IsString,
  Matches, Max, MaxLength, Min, ValidateIf, ValidatorConstraint, Validate, validateSync,
  type ValidatorConstraintInterface,
} from 'class-validator';
import { MAX_THRESHOLD_PERCENT, MAX_THRESHOLDS, type Budget } from '../../domain/budget.js';
import { invalidFields, ValidationError } from '../../domain/errors.js';
import { CATEGORY_ID, categoryName, COLOR } from '../../domain/category.js';
import { isCalendarDate, isMonth, type ExpenseInput } from '../../domain/expense.js';
import { collectMinorUnits, currencyDecimals, isCurrency, maxBudgetLimit } from '../../domain/money.js';
import { normalizeFreeText } from '../../domain/text.js';
import { canonicalTimeZone, DEFAULT_TIME_ZONE } from '../../domain/time-zone.js';
import type { ListExpensesQuery } from '../../application/ports.js';

/** A positive number; its decimals and maximum depend on the currency, checked where that is known. */
@ValidatorConstraint({ name: 'positiveAmount' })
class PositiveAmountRule implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return typeof value === 'number' && Number.isFinite(value) && value > 0;
  }
  defaultMessage(): string {
    return 'must be a number greater than 0';
  }
}

@ValidatorConstraint({ name: 'calendarDate' })
class CalendarDateRule implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return typeof value === 'string' && isCalendarDate(value);
  }
  defaultMessage(): string {
    return 'must be a real calendar date YYYY-MM-DD between 1970-01-01 and 2099-12-31';
  }
}

const CURRENCY_MESSAGE = 'must be an ISO 4217 currency code such as USD, EUR or JPY';

@ValidatorConstraint({ name: 'currency' })
class CurrencyRule implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return isCurrency(value);
  }
  defaultMessage(): string {
    return CURRENCY_MESSAGE;
  }
}

/** An IANA time zone name the runtime knows; stored in its canonical spelling. */
@ValidatorConstraint({ name: 'timeZone' })
class TimeZoneRule implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return typeof value === 'string' && value.length <= 64 && canonicalTimeZone(value) !== null;
  }
  defaultMessage(): string {
    return 'must be an IANA time zone name such as Europe/Berlin, America/Los_Angeles or UTC';
  }
}

/** Free text that is already in its normal form (see normalizeFreeText), which fails only when the rule rejects it. */
@ValidatorConstraint({ name: 'freeText' })
class FreeTextRule implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return typeof value === 'string' && normalizeFreeText(value) === value;
  }
  defaultMessage(): string {
    return 'must be one line of text without control characters or invisible formatting characters (such as bidi controls or zero-width spaces)';
  }
}

const CATEGORY_MESSAGE = 'must be a category id: 1 to 40 letters, digits, "_" or "-" (the ten defaults\' ids are their names, such as Food)';

class ExpenseBody {
  @Validate(PositiveAmountRule)
  amount!: number;

  @IsString({ message: CATEGORY_MESSAGE })
  @Matches(CATEGORY_ID, { message: CATEGORY_MESSAGE })
  category!: string;

  @Validate(CalendarDateRule)
  date!: string;

  // Optional means absent: null is not a description.
  @ValidateIf((body: ExpenseBody) => body.description !== undefined)
  @IsString({ message: 'must be a string when given' })
  @Validate(FreeTextRule)
  @MaxLength(200, { message: 'must be at most 200 characters' })
  description?: string;

  @ValidateIf((body: ExpenseBody) => body.original !== undefined)
  @IsObject({ message: 'must be an object {"amount", "currency"} when given' })
  original?: Record<string, unknown>;
}

class BudgetBody {
  @Validate(CurrencyRule)
  currency: string = 'USD';

  monthlyLimit: unknown = null;

  @IsObject({ message: 'must be an object mapping categories to limits' })
  categoryLimits: Record<string, unknown> = {};

  @IsArray({ message: `must be a list of 1 to ${MAX_THRESHOLDS} percentages` })
  @ArrayMinSize(1, { message: `must hold 1 to ${MAX_THRESHOLDS} percentages` })
  @ArrayMaxSize(MAX_THRESHOLDS, { message: `must hold 1 to ${MAX_THRESHOLDS} percentages` })
  @ArrayUnique({ message: 'must not repeat a percentage' })
  @IsInt({ each: true, message: `must be whole percentages from 1 to ${MAX_THRESHOLD_PERCENT}` })
  @Min(1, { each: true, message: `must be whole percentages from 1 to ${MAX_THRESHOLD_PERCENT}` })
  @Max(MAX_THRESHOLD_PERCENT, { each: true, message: `must be whole percentages from 1 to ${MAX_THRESHOLD_PERCENT}` })
  thresholds: number[] = [80, 100];

  @ValidateIf((body: BudgetBody) => body.alertEmail !== null)
  @IsString({ message: 'must be an email address or null' })
  @MaxLength(254, { message: 'must be at most 254 characters' })
  @IsEmail({}, { message: 'must be a valid email address or null' })
  // No spaces, control or invisible formatting characters (such as right-to-left overrides).
  @Matches(/^[^\s\p{C}]+$/u, { message: 'must be a valid email address or null' })
  alertEmail: string | null = null;

  @Validate(TimeZoneRule)
  timeZone: string = DEFAULT_TIME_ZONE;

  @IsObject({ message: 'must be an object {"monthlyLimit": true, "categoryLimits": {"<category id>": true}} marking the limits that carry over' })
  rollover: Record<string, unknown> = {};

  @IsArray({ message: `must be a list of thresholds (percentages of thresholds) that also alert on the month-end forecast` })
  @ArrayUnique({ message: 'must not repeat a percentage' })
  @IsInt({ each: true, message: 'must be whole percentages, each one of thresholds' })
  forecastThresholds: number[] = [];

  @IsBoolean({ message: 'must be true or false' })
  monthlyReport: boolean = false;
}

/**
 * Copies only the allowed keys onto a fresh DTO. Unknown keys (including `__proto__`, which
 * Object.assign would turn into a prototype change) are reported instead of copied.
 */
function toDto<T extends object>(body: unknown, dto: T, allowed: readonly string[]): { dto: T; fields: Record<string, string> } {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new ValidationError({ body: 'must be a JSON object' }, 'The request body must be a JSON object');
  }
  // No prototype: a `__proto__` key must be recorded as a field, not swallowed by the setter.
  const fields: Record<string, string> = Object.create(null);
  for (const key of Object.keys(body)) {
    if (allowed.includes(key)) Object.defineProperty(dto, key, { value: (body as Record<string, unknown>)[key], writable: true, enumerable: true });
    else fields[key] = 'is not an allowed field';
  }
  for (const error of validateSync(dto, { forbidUnknownValues: true })) {
    fields[error.property] ??= Object.values(error.constraints ?? { invalid: 'is invalid' })[0]!;
  }
  return { dto, fields };
}

function fail(fields: Record<string, string>): never {
  throw invalidFields(fields);
}

/**
 * The expense as sent, and what is wrong with it so far. Amounts are judged only against the
 * budget's currency (its decimals), which the use case reads: it names these problems and the
 * amount's together, so one 400 lists every offending field.
 */
export function parseExpenseBody(body: unknown): { input: ExpenseInput; problems: Record<string, string> } {
  if (typeof body === 'object' && body !== null && typeof (body as { description?: unknown }).description === 'string') {
    // Checked in its normal form, so the length limit counts what is stored; rejected text stays as sent, for FreeTextRule to report.
    const description = (body as { description: string }).description;
    body = { ...body, description: normalizeFreeText(description) ?? description };
  }
  const { dto, fields } = toDto(body, new ExpenseBody(), ['amount', 'category', 'date', 'description', 'original']);
  const original = dto.original && !fields.original ? parseOriginal(dto.original, fields) : undefined;
  const input: ExpenseInput = {
    amount: dto.amount,
    category: dto.category,
    date: dto.date,
    ...(dto.description ? { description: dto.description } : {}),
    ...(original ? { original } : {}),
  };
  return { input, problems: fields };
}

/** `original` as sent: exactly an amount and a known currency (its decimals are checked with the budget's currency). */
function parseOriginal(value: Record<string, unknown>, fields: Record<string, string>): ExpenseInput['original'] {
  const extra = Object.keys(value).filter((k) => k !== 'amount' && k !== 'currency');
  for (const k of extra) fields[`original.${k}`] = 'is not an allowed field';
  const amountRule = new PositiveAmountRule();
  if (!amountRule.validate(value.amount)) fields['original.amount'] = amountRule.defaultMessage();
  if (!isCurrency(value.currency)) fields['original.currency'] = CURRENCY_MESSAGE;
  return { amount: value.amount as number, currency: value.currency as string };
}

/**
 * PUT replaces the whole budget: a field left out takes its default. Limits take the body's
 * currency's decimals. Whether each limit's category is one of the user's is for the use case,
 * which names those problems together with these.
 */
export function parseBudgetBody(body: unknown): { budget: Budget; problems: Record<string, string> } {
  const { dto, fields } = toDto(body, new BudgetBody(), ['currency', 'monthlyLimit', 'categoryLimits', 'thresholds', 'alertEmail', 'timeZone', 'rollover', 'forecastThresholds', 'monthlyReport']);
  // Limits are judged against the currency sent; an unknown one is already reported, so judge them as USD meanwhile.
  const currency = fields.currency ? 'USD' : dto.currency;
  const max = maxBudgetLimit(currencyDecimals(currency));
  const limit = (value: unknown, field: string) => collectMinorUnits(fields, value, currency, field, max);
  const monthlyLimit = dto.monthlyLimit === null ? null : limit(dto.monthlyLimit, 'monthlyLimit');
  const categoryLimits: Budget['categoryLimits'] = {};
  if (typeof dto.categoryLimits === 'object' && dto.categoryLimits !== null && !Array.isArray(dto.categoryLimits)) {
    for (const [category, value] of Object.entries(dto.categoryLimits)) {
      if (!CATEGORY_ID.test(category)) fields[`categoryLimits.${category}`] = `is not a category id; ${CATEGORY_MESSAGE}`;
      else {
        const units = limit(value, `categoryLimits.${category}`);
        if (units !== undefined) categoryLimits[category] = units;
      }
    }
  }
  const budget: Budget = {
    currency: dto.currency,
    monthlyLimit: monthlyLimit ?? null,
    categoryLimits,
    thresholds: Array.isArray(dto.thresholds) ? [...dto.thresholds].sort((a, b) => a - b) : [],
    alertEmail: dto.alertEmail,
    timeZone: canonicalTimeZone(String(dto.timeZone)) ?? DEFAULT_TIME_ZONE,
    rollover: fields.rollover ? [] : rolloverScopes(dto.rollover, fields),
    forecastThresholds: Array.isArray(dto.forecastThresholds) ? [...dto.forecastThresholds].sort((a, b) => a - b) : [],
    monthlyReport: dto.monthlyReport === true,
  };
  return { budget, problems: fields };
}

/** The scopes `{"monthlyLimit": true, "categoryLimits": {"food": true}}` marks ('total' for the monthly limit); false marks none. */
function rolloverScopes(rollover: Record<string, unknown>, fields: Record<string, string>): string[] {
  const scopes: string[] = [];
  for (const [key, value] of Object.entries(rollover)) {
    if (key === 'monthlyLimit') {
      if (typeof value !== 'boolean') fields['rollover.monthlyLimit'] = 'must be true or false';
      else if (value) scopes.push('total');
    } else if (key === 'categoryLimits') {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        fields['rollover.categoryLimits'] = 'must be an object mapping category ids to true or false';
        continue;
      }
      for (const [category, marked] of Object.entries(value)) {
        if (!CATEGORY_ID.test(category)) fields[`rollover.categoryLimits.${category}`] = `is not a category id; ${CATEGORY_MESSAGE}`;
        else if (typeof marked !== 'boolean') fields[`rollover.categoryLimits.${category}`] = 'must be true or false';
        else if (marked) scopes.push(category);
      }
    } else {
      fields[`rollover.${key}`] = 'is not an allowed field (monthlyLimit, categoryLimits)';
    }
  }
  return scopes;
}

export function parseMonth(query: Record<string, string | undefined>): string {
  const month = query.month;
  if (month === undefined || !isMonth(month)) fail({ month: 'is required, as YYYY-MM between 1970-01 and 2099-12' });
  return month;
}

/** An optional month query parameter (`name`), YYYY-MM within the supported range. */
export function parseOptionalMonth(query: Record<string, string | undefined>, name: string): string | undefined {
  const month = query[name];
  if (month !== undefined && !isMonth(month)) fail({ [name]: 'must be a month, YYYY-MM between 1970-01 and 2099-12' });
  return month;
}

export function parseListQuery(query: Record<string, string | undefined>): ListExpensesQuery {
  const fields: Record<string, string> = {};
  const month = query.month;
  if (month === undefined || !isMonth(month)) fields.month = 'is required, as YYYY-MM between 1970-01 and 2099-12';
  const category = query.category;
  if (category !== undefined && !CATEGORY_ID.test(category)) fields.category = CATEGORY_MESSAGE;
  const limit = query.limit === undefined ? 50 : /^\d{1,3}$/.test(query.limit) ? Number(query.limit) : NaN;
  if (!(limit >= 1 && limit <= 100)) fields.limit = 'must be a whole number from 1 to 100';
  if (query.cursor !== undefined && query.cursor.length === 0) fields.cursor = 'must not be empty';
  if (Object.keys(fields).length) fail(fields);
  return { month: month!, limit, ...(category ? { category } : {}), ...(query.cursor ? { cursor: query.cursor } : {}) };
}

const COLOR_MESSAGE = 'must be a colour #rrggbb, such as #2e7d32';

/** POST /api/categories: a name (stored trimmed, in NFC) and an optional colour. */
export function parseNewCategoryBody(body: unknown): { name: string; color?: string } {
  const fields = categoryFields(body, ['name', 'color']);
  if (!('name' in (body as object))) fields.name ??= 'is required';
  const { name, color } = body as { name: string; color?: string };
  if (Object.keys(fields).length) fail(fields);
  return { name: categoryName(name), ...(color !== undefined ? { color: color.toLowerCase() } : {}) };
}

/** PATCH /api/categories/{id}: any of name, colour and archived; at least one. */
export function parseCategoryPatch(body: unknown): { name?: string; color?: string; archived?: boolean } {
  const fields = categoryFields(body, ['name', 'color', 'archived']);
  const patch = body as { name?: string; color?: string; archived?: unknown };
  if (patch.archived !== undefined && typeof patch.archived !== 'boolean') fields.archived = 'must be true or false';
  if (!Object.keys(fields).length && patch.name === undefined && patch.color === undefined && patch.archived === undefined) {
    fields.body = 'must change at least one of name, color and archived';
  }
  if (Object.keys(fields).length) fail(fields);
  return {
    ...(patch.name !== undefined ? { name: categoryName(patch.name) } : {}),
    ...(patch.color !== undefined ? { color: patch.color.toLowerCase() } : {}),
    ...(patch.archived !== undefined ? { archived: patch.archived as boolean } : {}),
  };
}

/** The problems of a category body's shared fields: unknown keys, a name that breaks the rule, a colour that is not #rrggbb. */
function categoryFields(body: unknown, allowed: string[]): Record<string, string> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new ValidationError({ body: 'must be a JSON object' }, 'The request body must be a JSON object');
  }
  const fields: Record<string, string> = {};
  for (const key of Object.keys(body)) if (!allowed.includes(key)) fields[key] = 'is not an allowed field';
  const { name, color } = body as { name?: unknown; color?: unknown };
  if (name !== undefined) {
    try {
      categoryName(name);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      Object.assign(fields, error.fields);
    }
  }
  if (color !== undefined && !(typeof color === 'string' && COLOR.test(color))) fields.color = COLOR_MESSAGE;
  return fields;
}

/** `?from=YYYY-MM&to=YYYY-MM[&cursor=]` of an export. */
export function parseExportQuery(query: Record<string, string | undefined>): { from: string; to: string; cursor?: string } {
  const fields: Record<string, string> = {};
  for (const name of ['from', 'to'] as const) {
    const value = query[name];
    if (value === undefined || !isMonth(value)) fields[name] = 'is required, as YYYY-MM between 1970-01 and 2099-12';
  }
  if (query.cursor !== undefined && query.cursor.length === 0) fields.cursor = 'must not be empty';
  if (Object.keys(fields).length) fail(fields);
  return { from: query.from!, to: query.to!, ...(query.cursor ? { cursor: query.cursor } : {}) };
}

/** `?moveTo=` of a category delete: another category's id, when given. */
export function parseMoveTo(query: Record<string, string | undefined>): string | undefined {
  const moveTo = query.moveTo;
  if (moveTo !== undefined && !CATEGORY_ID.test(moveTo)) fail({ moveTo: CATEGORY_MESSAGE });
  return moveTo;
}
