import { expect } from 'chai';
import { API_SCOPE, OAUTH_SCOPES } from '../../infra/auth.js';
import { ACCOUNT, EXTRA_ORIGIN, loadStack, mock, PROJECT, STACK, type LoadedStack } from './support/stack.js';

describe('infra: Cognito sign-in', () => {
  let stack: LoadedStack;
  before(async () => {
    stack = await loadStack();
  });

  it('signs users in with their email address', () => {
    const pool = stack.one('aws:cognito/userPool:UserPool', 'users').inputs;
    expect(pool.usernameAttributes).to.deep.equal(['email']);
    expect(pool.autoVerifiedAttributes).to.deep.equal(['email']);
    expect(pool.usernameConfiguration).to.deep.equal({ caseSensitive: false });
  });

  it('requires strong passwords (12+ characters of all four kinds)', () => {
    const pool = stack.one('aws:cognito/userPool:UserPool', 'users').inputs;
    expect(pool.passwordPolicy).to.include({
      minimumLength: 12,
      requireLowercase: true,
      requireUppercase: true,
      requireNumbers: true,
      requireSymbols: true,
    });
  });

  it('lets only an admin create users by default, and protects the pool from deletion', () => {
    const pool = stack.one('aws:cognito/userPool:UserPool', 'users').inputs;
    expect(pool.adminCreateUserConfig).to.deep.equal({ allowAdminCreateUserOnly: true });
    expect(pool.deletionProtection).to.equal('ACTIVE');
  });

  it('has a public Hosted UI client: code flow (PKCE), no secret, openid, email and the API scope', () => {
    const client = stack.one('aws:cognito/userPoolClient:UserPoolClient', 'web').inputs;
    expect(client).to.include({ userPoolId: mock.userPoolId, generateSecret: false, allowedOauthFlowsUserPoolClient: true });
    expect(client.allowedOauthFlows).to.deep.equal(['code']);
    expect(client.allowedOauthScopes).to.deep.equal(['openid', 'email', 'budget-api/expenses']);
    expect(client.supportedIdentityProviders).to.deep.equal(['COGNITO']);
    expect(client.explicitAuthFlows).to.not.include('ALLOW_USER_PASSWORD_AUTH');
  });

  it('defines the API as a resource server whose one scope access tokens carry', () => {
    const server = stack.one('aws:cognito/resourceServer:ResourceServer', 'api').inputs;
    expect(server).to.include({ userPoolId: mock.userPoolId, identifier: 'budget-api' });
    expect(server.scopes.map((s: { scopeName: string }) => `${server.identifier}/${s.scopeName}`)).to.deep.equal([API_SCOPE]);
    expect(API_SCOPE).to.equal('budget-api/expenses');
    expect(OAUTH_SCOPES).to.include(API_SCOPE);
  });

  it('lets sign-out revoke refresh tokens', () => {
    expect(stack.one('aws:cognito/userPoolClient:UserPoolClient', 'web').inputs.enableTokenRevocation).to.equal(true);
  });

  it('redirects back only to the site (and the configured origins) after sign-in and sign-out', () => {
    const client = stack.one('aws:cognito/userPoolClient:UserPoolClient', 'web').inputs;
    const expected = [mock.siteUrl, `${mock.siteUrl}/`, EXTRA_ORIGIN];
    expect(client.callbackUrls).to.deep.equal(expected);
    expect(client.logoutUrls).to.deep.equal(expected);
  });

  it('gets a Hosted UI domain named after project, stack and account', () => {
    const domain = stack.one('aws:cognito/userPoolDomain:UserPoolDomain', 'hosted-ui').inputs;
    expect(domain).to.include({ domain: `${PROJECT}-${STACK}-${ACCOUNT}`, userPoolId: mock.userPoolId });
  });
});
