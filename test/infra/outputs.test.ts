import { expect } from 'chai';
import { loadStack, mock, REGION, type LoadedStack } from './support/stack.js';

describe('infra: stack outputs', () => {
  let stack: LoadedStack;
  before(async () => {
    stack = await loadStack();
  });

  it('exports the site URL, API URL, user pool and client ids and the alert topic ARN', () => {
    expect(stack.outputs).to.include({
      siteUrl: mock.siteUrl,
      apiUrl: `${mock.apiEndpoint}/api`,
      userPoolId: mock.userPoolId,
      userPoolClientId: mock.clientId,
      alertTopicArn: mock.topicArn,
    });
  });

  it('also exports what an operator looks for next', () => {
    expect(stack.outputs).to.include({
      hostedUiUrl: `https://budget-alerts-test-123456789012.auth.${REGION}.amazoncognito.com`,
      tableName: mock.tableName,
      deadLetterQueueUrl: mock.dlqUrl,
    });
    expect(stack.outputs.dashboardUrl).to.match(/^https:\/\/eu-west-1\.console\.aws\.amazon\.com\/cloudwatch\/.*budget-alerts-test$/);
  });

  it('groups resources into the data, site, auth, api, alerts, recurring, reports and monitoring components', () => {
    const components = stack.resources.filter((r) => !r.custom).map((r) => r.type);
    expect(components).to.have.members([
      'budget-alerts:data:Data', 'budget-alerts:site:Site', 'budget-alerts:auth:Auth', 'budget-alerts:api:Api',
      'budget-alerts:alerts:AlertDelivery', 'budget-alerts:recurring:RecurringRuns', 'budget-alerts:reports:MonthlyReports', 'budget-alerts:monitoring:Monitoring',
    ]);
  });
});
