/**
 * Errors a user can cause. Each has a stable `code`; the HTTP adapter maps them to statuses in one
 * place. Anything else that escapes a use case is a fault and becomes a bare 500.
 */
export abstract class DomainError extends Error {
  abstract readonly code: string;
}

/** Input broke a rule; `fields` names every offending field. */
export class ValidationError extends DomainError {
  readonly code = 'VALIDATION_FAILED';
  constructor(readonly fields: Record<string, string>, message = 'The request is invalid') {
    super(message);
  }
}

/** The ValidationError for `fields` (at least one), its message naming them all: "Invalid fields: amount, date". */
export function invalidFields(fields: Record<string, string>): ValidationError {
  const names = Object.keys(fields).sort();
  return new ValidationError(fields, `Invalid field${names.length > 1 ? 's' : ''}: ${names.join(', ')}`);
}

export class NotFoundError extends DomainError {
  readonly code = 'NOT_FOUND';
}

/** An Idempotency-Key was reused with a different request body. */
export class IdempotencyKeyReusedError extends DomainError {
  readonly code = 'IDEMPOTENCY_KEY_REUSED';
  constructor() {
    super('This Idempotency-Key was already used with a different request body');
  }
}

/** Another account's alerts already go to this address (SNS holds one subscription per address). */
export class AlertEmailTakenError extends DomainError {
  readonly code = 'ALERT_EMAIL_TAKEN';
  constructor() {
    super('This address already receives another account\'s alerts. To share one inbox, give each account its own '
      + 'subaddress (for example family+ana@example.com and family+ben@example.com): most mail providers deliver both to family@example.com.');
  }
}

/** The budget's currency gives every stored amount its meaning: it changes only while no expense exists. */
export class CurrencyInUseError extends DomainError {
  readonly code = 'CURRENCY_IN_USE';
  constructor(current: string, what = 'expenses are recorded') {
    super(`The currency cannot change while ${what}: every stored amount is in ${current}. `
      + 'It can change again once none is left.');
  }
}

export class CategoryExistsError extends DomainError {
  readonly code = 'CATEGORY_EXISTS';
  constructor(name: string) {
    super(`A category named ${JSON.stringify(name)} exists already (names are compared ignoring case, archived categories included)`);
  }
}

export class TooManyCategoriesError extends DomainError {
  readonly code = 'TOO_MANY_CATEGORIES';
  constructor(max: number) {
    super(`At most ${max} categories per user: archive or delete one first`);
  }
}

/** A category still holds expenses or a limit: merge it into another (DELETE ?moveTo=) or remove the limit first. */
export class CategoryInUseError extends DomainError {
  readonly code = 'CATEGORY_IN_USE';
}

/** A per-user limit was reached; the request may be repeated after `retryAfterSeconds`. */
export class RateLimitedError extends DomainError {
  readonly code = 'RATE_LIMITED';
  constructor(message: string, readonly retryAfterSeconds: number) {
    super(message);
  }
}

/** The import is not in a state that allows this step (committed with other choices, being undone, undone). */
export class ImportStateError extends DomainError {
  readonly code = 'IMPORT_CONFLICT';
}

/** An unsubscribe link that is not one we signed, or is not this user's: refused (400), nothing changes. */
export class InvalidUnsubscribeLinkError extends DomainError {
  readonly code = 'INVALID_UNSUBSCRIBE_LINK';
}

/** A link we signed whose time is over (410): the report is turned off from the page instead. */
export class ExpiredUnsubscribeLinkError extends DomainError {
  readonly code = 'EXPIRED_UNSUBSCRIBE_LINK';
}
