import type { Logger } from '../../application/ports.js';
import type { UnsubscribeMonthlyReport } from '../../application/use-cases/monthly-reports.js';
import type { GetTrends } from '../../application/use-cases/get-trends.js';
import type { AddExpense } from '../../application/use-cases/add-expense.js';
import type { CreateCategory } from '../../application/use-cases/create-category.js';
import type { DeleteCategory } from '../../application/use-cases/delete-category.js';
import type { DeleteExpense } from '../../application/use-cases/delete-expense.js';
import type { ExportExpenses } from '../../application/use-cases/export-expenses.js';
import type { GetBudget } from '../../application/use-cases/get-budget.js';
import type { GetCategoryUsage } from '../../application/use-cases/get-category-usage.js';
import type { GetExpense } from '../../application/use-cases/get-expense.js';
import type { GetMonthSummary } from '../../application/use-cases/get-month-summary.js';
import type { ResendAlertEmailConfirmation } from '../../application/use-cases/resend-alert-email-confirmation.js';
import type { ListAlerts } from '../../application/use-cases/list-alerts.js';
import type { ListCategories } from '../../application/use-cases/list-categories.js';
import type { ListExpenses } from '../../application/use-cases/list-expenses.js';
import type { SetBudget } from '../../application/use-cases/set-budget.js';
import type { UpdateCategory } from '../../application/use-cases/update-category.js';
import type { UpdateExpense } from '../../application/use-cases/update-expense.js';
import type { CommitImport } from '../../application/use-cases/commit-import.js';
import type { GetImport, ListImports } from '../../application/use-cases/list-imports.js';
import type { PreviewImport } from '../../application/use-cases/preview-import.js';
import type { StartImport } from '../../application/use-cases/start-import.js';
import type { UndoImport } from '../../application/use-cases/undo-import.js';
import type {
  CreateRecurrence, DeleteRecurrence, GetRecurrence, ListRecurrences, SkipRecurrence, UpdateRecurrence,
} from '../../application/use-cases/recurrences.js';
import { apiRoutes } from './api-routes.js';
import { importRoutes } from './import-routes.js';
import { createRouter, type ApiHandler } from './router.js';

export { MAX_BODY_BYTES, MAX_UPLOAD_BYTES, type ApiHandler } from './router.js';

/** Who may call, from where: what the router itself needs. */
export interface RouterDependencies {
  logger: Logger;
  /** Origins allowed to call the API from a browser (CORS). */
  allowedOrigins: string[];
}

/** What the API's routes (all but the imports') call. */
export interface CoreDependencies extends RouterDependencies {
  addExpense: AddExpense;
  updateExpense: UpdateExpense;
  deleteExpense: DeleteExpense;
  getExpense: GetExpense;
  listExpenses: ListExpenses;
  getMonthSummary: GetMonthSummary;
  getTrends: GetTrends;
  getBudget: GetBudget;
  setBudget: SetBudget;
  resendAlertEmailConfirmation: ResendAlertEmailConfirmation;
  listAlerts: ListAlerts;
  listCategories: ListCategories;
  createCategory: CreateCategory;
  updateCategory: UpdateCategory;
  deleteCategory: DeleteCategory;
  getCategoryUsage: GetCategoryUsage;
  exportExpenses: ExportExpenses;
  createRecurrence: CreateRecurrence;
  updateRecurrence: UpdateRecurrence;
  deleteRecurrence: DeleteRecurrence;
  skipRecurrence: SkipRecurrence;
  listRecurrences: ListRecurrences;
  getRecurrence: GetRecurrence;
  unsubscribeMonthlyReport: UnsubscribeMonthlyReport;
}

/** What the import routes call. */
export interface ImportDependencies extends RouterDependencies {
  startImport: StartImport;
  previewImport: PreviewImport;
  commitImport: CommitImport;
  undoImport: UndoImport;
  listImports: ListImports;
  getImport: GetImport;
}

export type ApiDependencies = CoreDependencies & ImportDependencies;

/** Every route in one handler: the local server and the tests. On AWS the API and import Lambdas each serve their own (see entrypoints/lambda). */
export function createApiHandler(deps: ApiDependencies): ApiHandler {
  return createRouter([...apiRoutes(deps), ...importRoutes(deps)], deps);
}
