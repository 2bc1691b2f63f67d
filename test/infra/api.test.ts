import { expect } from 'chai';
import { EXTRA_ORIGIN, loadStack, mock, REGION, type LoadedStack } from './support/stack.js';

const CONTRACT_ROUTES = [
  'GET /api/health',
  'GET /api/reports/unsubscribe',
  'POST /api/reports/unsubscribe',
  'POST /api/expenses',
  'GET /api/expenses',
  'GET /api/expenses/{id}',
  'PUT /api/expenses/{id}',
  'DELETE /api/expenses/{id}',
  'GET /api/summary',
  'GET /api/trends',
  'GET /api/budget',
  'PUT /api/budget',
  'POST /api/budget/alert-email/confirmation',
  'GET /api/alerts',
  'GET /api/categories',
  'POST /api/categories',
  'PATCH /api/categories/{id}',
  'DELETE /api/categories/{id}',
  'GET /api/categories/{id}/usage',
  'GET /api/export',
  'GET /api/recurring',
  'POST /api/recurring',
  'GET /api/recurring/{id}',
  'PUT /api/recurring/{id}',
  'DELETE /api/recurring/{id}',
  'POST /api/recurring/{id}/skip',
  'GET /api/imports',
  'POST /api/imports',
  'GET /api/imports/{id}',
  'DELETE /api/imports/{id}',
  'POST /api/imports/{id}/preview',
  'POST /api/imports/{id}/commit',
];

describe('infra: HTTP API', () => {
  let stack: LoadedStack;
  before(async () => {
    stack = await loadStack();
  });

  const routes = () => stack.ofType('aws:apigatewayv2/route:Route').map((r) => r.inputs);

  it('is one HTTP API', () => {
    const apis = stack.ofType('aws:apigatewayv2/api:Api');
    expect(apis).to.have.length(1);
    expect(apis[0].inputs.protocolType).to.equal('HTTP');
  });

  it('has exactly the routes of the API contract', () => {
    expect(routes().map((r) => r.routeKey)).to.have.members(CONTRACT_ROUTES).and.have.length(CONTRACT_ROUTES.length);
  });

  it('sends the import routes to the imports Lambda and every other route to the API Lambda, proxy integrations, payload format 2.0', () => {
    const integrations = stack.ofType('aws:apigatewayv2/integration:Integration');
    expect(integrations.map((i) => i.name).sort()).to.deep.equal(['imports-lambda', 'lambda']);
    for (const [name, fn] of [['lambda', 'api'], ['imports-lambda', 'imports']]) {
      expect(stack.one('aws:apigatewayv2/integration:Integration', name).inputs).to.include({
        apiId: mock.apiId,
        integrationType: 'AWS_PROXY',
        integrationUri: `arn:aws:lambda:eu-west-1:123456789012:function:${fn}-mock`,
        payloadFormatVersion: '2.0',
      });
    }
    for (const route of routes()) {
      const target = route.routeKey.includes('/api/imports') ? `${mock.integrationId}-imports-lambda` : mock.integrationId;
      expect(route.target, route.routeKey).to.equal(`integrations/${target}`);
    }
  });

  it('puts the Cognito JWT authorizer on every route but health and the report\'s unsubscribe link (its signed token is the authority)', () => {
    for (const route of routes()) {
      if (['GET /api/health', 'GET /api/reports/unsubscribe', 'POST /api/reports/unsubscribe'].includes(route.routeKey)) {
        expect(route.authorizationType).to.equal('NONE');
        expect(route.authorizerId).to.equal(undefined);
      } else {
        expect(route.authorizationType, route.routeKey).to.equal('JWT');
        expect(route.authorizationScopes, route.routeKey).to.deep.equal(['budget-api/expenses']);
        expect(route.authorizerId, route.routeKey).to.equal(mock.authorizerId);
      }
    }
  });

  it('validates tokens issued by the user pool for the web client', () => {
    const authorizers = stack.ofType('aws:apigatewayv2/authorizer:Authorizer');
    expect(authorizers).to.have.length(1);
    expect(authorizers[0].inputs).to.deep.include({
      apiId: mock.apiId,
      authorizerType: 'JWT',
      identitySources: ['$request.header.Authorization'],
      jwtConfiguration: {
        issuer: `https://cognito-idp.${REGION}.amazonaws.com/${mock.userPoolId}`,
        audiences: [mock.clientId],
      },
    });
  });

  it('allows cross-origin calls only from the site and the configured origins', () => {
    const cors = stack.one('aws:apigatewayv2/api:Api', 'http-api').inputs.corsConfiguration;
    expect(cors.allowOrigins).to.deep.equal([mock.siteUrl, EXTRA_ORIGIN]);
    expect(cors.allowOrigins).to.not.include('*');
    expect(cors.allowHeaders).to.include.members(['authorization', 'content-type']);
    expect(cors.exposeHeaders).to.have.members(['retry-after', 'link', 'content-disposition']);
    expect(cors.allowMethods).to.have.members(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);
    expect(cors.allowCredentials).to.not.equal(true);
  });

  it('throttles the auto-deployed $default stage', () => {
    const stage = stack.one('aws:apigatewayv2/stage:Stage', 'default').inputs;
    expect(stage).to.include({ apiId: mock.apiId, name: '$default', autoDeploy: true });
    expect(stage.defaultRouteSettings).to.include({ throttlingRateLimit: 20, throttlingBurstLimit: 40 });
  });

  it('writes JSON access logs to a log group with a set retention', () => {
    const stage = stack.one('aws:apigatewayv2/stage:Stage', 'default').inputs;
    const group = stack.one('aws:cloudwatch/logGroup:LogGroup', 'api-access-logs');
    expect(group.inputs.retentionInDays).to.equal(30);
    expect(stage.accessLogSettings.destinationArn).to.equal(group.state.arn);
    const format = JSON.parse(stage.accessLogSettings.format);
    expect(format).to.include({ requestId: '$context.requestId', routeKey: '$context.routeKey', status: '$context.status' });
  });
});
