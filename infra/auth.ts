import * as pulumi from '@pulumi/pulumi';
import * as aws from '@pulumi/aws';

export interface AuthArgs {
  region: string;
  /** The site's URL (`https://<distribution>.cloudfront.net`): Hosted UI callback and sign-out URL. */
  siteUrl: pulumi.Input<string>;
  /** Extra origins (e.g. a local dev server) also allowed as callback and sign-out URLs. */
  extraOrigins: string[];
  /** Hosted UI domain prefix; default `<project>-<stack>-<account id>`. */
  domainPrefix: string | undefined;
  allowSelfSignUp: boolean;
  deletionProtection: boolean;
}

/** The API as a resource server of the user pool, so access tokens can carry a scope for it. */
export const API_RESOURCE_SERVER = 'budget-api';
const API_SCOPE_NAME = 'expenses';
/** What an access token needs to call the API: every authenticated route requires it. */
export const API_SCOPE = `${API_RESOURCE_SERVER}/${API_SCOPE_NAME}`;
export const OAUTH_SCOPES = ['openid', 'email', API_SCOPE];

/**
 * Sign-in: a Cognito user pool (email as the user name, strong passwords), the API's resource server
 * and scope, a public app client for the Hosted UI (authorization code flow; no secret, so the
 * browser uses PKCE) and the Hosted UI domain.
 */
export class Auth extends pulumi.ComponentResource {
  readonly userPool: aws.cognito.UserPool;
  readonly apiResourceServer: aws.cognito.ResourceServer;
  readonly client: aws.cognito.UserPoolClient;
  readonly domain: aws.cognito.UserPoolDomain;
  /** JWT issuer of the pool's tokens, for the API's authorizer. */
  readonly issuer: pulumi.Output<string>;
  /** Hosted UI base URL, e.g. https://<prefix>.auth.<region>.amazoncognito.com */
  readonly hostedUiUrl: pulumi.Output<string>;

  constructor(name: string, args: AuthArgs, opts?: pulumi.ComponentResourceOptions) {
    super('budget-alerts:auth:Auth', name, {}, opts);

    this.userPool = new aws.cognito.UserPool('users', {
      usernameAttributes: ['email'],
      autoVerifiedAttributes: ['email'],
      usernameConfiguration: { caseSensitive: false },
      passwordPolicy: {
        minimumLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireNumbers: true,
        requireSymbols: true,
        temporaryPasswordValidityDays: 3,
      },
      mfaConfiguration: 'OPTIONAL',
      softwareTokenMfaConfiguration: { enabled: true },
      accountRecoverySetting: { recoveryMechanisms: [{ name: 'verified_email', priority: 1 }] },
      adminCreateUserConfig: { allowAdminCreateUserOnly: !args.allowSelfSignUp },
      deletionProtection: args.deletionProtection ? 'ACTIVE' : 'INACTIVE',
    }, { parent: this });

    this.apiResourceServer = new aws.cognito.ResourceServer('api', {
      userPoolId: this.userPool.id,
      identifier: API_RESOURCE_SERVER,
      name: 'Budget API',
      scopes: [{ scopeName: API_SCOPE_NAME, scopeDescription: 'Your expenses, budget and alerts' }],
    }, { parent: this });

    const urls = pulumi.output(args.siteUrl).apply((site) => [site, `${site}/`, ...args.extraOrigins]);
    this.client = new aws.cognito.UserPoolClient('web', {
      userPoolId: this.userPool.id,
      generateSecret: false,
      allowedOauthFlowsUserPoolClient: true,
      allowedOauthFlows: ['code'],
      allowedOauthScopes: OAUTH_SCOPES,
      supportedIdentityProviders: ['COGNITO'],
      callbackUrls: urls,
      logoutUrls: urls,
      explicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      preventUserExistenceErrors: 'ENABLED',
      enableTokenRevocation: true,
      accessTokenValidity: 60,
      idTokenValidity: 60,
      refreshTokenValidity: 30,
      tokenValidityUnits: { accessToken: 'minutes', idToken: 'minutes', refreshToken: 'days' },
    }, { parent: this, dependsOn: [this.apiResourceServer] }); // a client may only allow scopes that exist

    const prefix = args.domainPrefix
      ? pulumi.output(args.domainPrefix)
      : aws.getCallerIdentityOutput({}, { parent: this }).accountId.apply(
        (account) => `${pulumi.getProject()}-${pulumi.getStack()}-${account}`.toLowerCase());
    this.domain = new aws.cognito.UserPoolDomain('hosted-ui', {
      domain: prefix,
      userPoolId: this.userPool.id,
      managedLoginVersion: 1, // the classic Hosted UI: no branding resource needed
    }, { parent: this });

    this.issuer = pulumi.interpolate`https://cognito-idp.${args.region}.amazonaws.com/${this.userPool.id}`;
    this.hostedUiUrl = pulumi.interpolate`https://${this.domain.domain}.auth.${args.region}.amazoncognito.com`;

    this.registerOutputs({
      userPoolId: this.userPool.id,
      clientId: this.client.id,
      hostedUiUrl: this.hostedUiUrl,
    });
  }
}
