/**
 * The one definition of the Expenses table: keys, index, TTL and stream. The DynamoDB adapter,
 * the local stack, the tests and the Pulumi program all read it, so they cannot drift apart.
 *
 * Single-table design. Every item belongs to one user (`user_id`). The sort key keeps the
 * product's original name `expense_id`: for an expense it is the expense id itself; every other
 * item type uses a key starting with `#`, which no generated id contains:
 *   <uuid>                       expense       amount (minor units), category, date, description, ...
 *   #MONTH#2026-11               month totals  total, expense_count, by_category, alerted, version
 *   #BUDGET                      budget        currency, monthly_limit, category_limits, thresholds, ...
 *   #ALERT#2026-11#Food#80       alert         one per (user, month, scope, threshold), ever
 *   #IDEMPOTENCY#<key>           idempotency   request fingerprint + first response, expires via TTL
 * Index `by_date` (sparse: only expenses carry `list_key` = "<date>#<createdAt>#<id>") lists a
 * month newest first with a Query, never a Scan. Index `pending_alerts` (sparse: only alerts waiting for
 * delivery carry `delivery_queue`) lists, across users, the alerts whose next attempt is due
 * (`lease_until` <= now) for the scheduled retry.
 */
export const expensesTable = {
  name: 'Expenses',
  partitionKey: { name: 'user_id', type: 'S' },
  sortKey: { name: 'expense_id', type: 'S' },
  byDateIndex: {
    name: 'by_date',
    partitionKey: { name: 'user_id', type: 'S' },
    sortKey: { name: 'list_key', type: 'S' },
    projection: 'ALL',
  },
  pendingAlertsIndex: {
    name: 'pending_alerts',
    partitionKey: { name: 'delivery_queue', type: 'S' },
    sortKey: { name: 'lease_until', type: 'N' },
    projection: 'ALL',
  },
  ttlAttribute: 'expires_at',
  /** The alert-delivery Lambda reads new alert items from the stream. */
  streamViewType: 'NEW_IMAGE',
} as const;
