import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { expect } from 'chai';
import { CACHING_OPTIMIZED_POLICY_ID, cacheControlFor, contentTypeFor, listSiteFiles } from '../../infra/site.js';
import { awsConnectSources, contentSecurityPolicy, PERMISSIONS_POLICY, securityHeaders } from '../../infra/security-headers.js';
import { loadStack, mock, parsePolicy, REGION, SITE_FIXTURE, type LoadedStack } from './support/stack.js';

const IMMUTABLE = 'public, max-age=31536000, immutable';

describe('infra: site (private bucket behind CloudFront)', () => {
  let stack: LoadedStack;
  before(async () => {
    stack = await loadStack();
  });

  it('blocks every kind of public access to the bucket', () => {
    const block = stack.one('aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock', 'site').inputs;
    expect(block).to.deep.equal({
      bucket: mock.bucketName,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    expect(stack.one('aws:s3/bucketOwnershipControls:BucketOwnershipControls', 'site').inputs.rule)
      .to.deep.equal({ objectOwnership: 'BucketOwnerEnforced' });
    expect(stack.ofType('aws:s3/bucketWebsiteConfiguration:BucketWebsiteConfiguration')).to.have.length(0);
    expect(stack.ofType('aws:s3/bucketAcl:BucketAcl')).to.have.length(0);
  });

  it('lets only this distribution read objects (through its Origin Access Control), and only over TLS', () => {
    const policy = parsePolicy(stack.one('aws:s3/bucketPolicy:BucketPolicy', 'site').inputs.policy);
    expect(policy.Statement).to.deep.equal([
      {
        Sid: 'AllowCloudFrontOriginAccessControl',
        Effect: 'Allow',
        Principal: { Service: 'cloudfront.amazonaws.com' },
        Action: 's3:GetObject',
        Resource: `${mock.bucketArn}/*`,
        Condition: { StringEquals: { 'AWS:SourceArn': mock.distributionArn } },
      },
      {
        Sid: 'DenyInsecureTransport',
        Effect: 'Deny',
        Principal: '*',
        Action: 's3:*',
        Resource: [mock.bucketArn, `${mock.bucketArn}/*`],
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      },
    ]);
  });

  it('signs CloudFront requests to S3 with an Origin Access Control', () => {
    const oac = stack.one('aws:cloudfront/originAccessControl:OriginAccessControl', 'site').inputs;
    expect(oac).to.include({ originAccessControlOriginType: 's3', signingBehavior: 'always', signingProtocol: 'sigv4' });
    const distribution = stack.one('aws:cloudfront/distribution:Distribution', 'site').inputs;
    expect(distribution.origins).to.have.length(1);
    expect(distribution.origins[0]).to.include({
      domainName: `${mock.bucketName}.s3.${REGION}.amazonaws.com`,
      originAccessControlId: mock.oacId,
    });
    expect(distribution.origins[0].s3OriginConfig).to.equal(undefined);
    expect(distribution.origins[0].customOriginConfig).to.equal(undefined);
  });

  it('serves over HTTPS only, index.html at the root', () => {
    const distribution = stack.one('aws:cloudfront/distribution:Distribution', 'site').inputs;
    expect(distribution.enabled).to.equal(true);
    expect(distribution.defaultRootObject).to.equal('index.html');
    expect(distribution.defaultCacheBehavior.viewerProtocolPolicy).to.equal('redirect-to-https');
    expect(distribution.defaultCacheBehavior.allowedMethods).to.have.members(['GET', 'HEAD']);
    expect(distribution.viewerCertificate).to.deep.equal({ cloudfrontDefaultCertificate: true });
  });

  describe('response headers', () => {
    const policy = () => stack.one('aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy', 'site').inputs;
    const EXPECTED_CSP = "default-src 'self'; "
      + `connect-src 'self' https://*.execute-api.${REGION}.amazonaws.com https://*.auth.${REGION}.amazoncognito.com; `
      + "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    it('answers every request with our own response headers policy (cache policy stays the managed one)', () => {
      const behavior = stack.one('aws:cloudfront/distribution:Distribution', 'site').inputs.defaultCacheBehavior;
      expect(behavior.responseHeadersPolicyId).to.equal(stack.one('aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy', 'site').id);
      expect(behavior.cachePolicyId).to.equal(CACHING_OPTIMIZED_POLICY_ID);
    });

    it('sends a strict Content-Security-Policy that lets the page call only the API and Cognito of its region', () => {
      expect(policy().securityHeadersConfig.contentSecurityPolicy).to.deep.equal({ contentSecurityPolicy: EXPECTED_CSP, override: true });
      expect(contentSecurityPolicy(awsConnectSources(REGION))).to.equal(EXPECTED_CSP);
    });

    it('sends HSTS, nosniff, DENY framing and a strict-origin referrer policy, overriding the origin', () => {
      const headers = policy().securityHeadersConfig;
      expect(headers.strictTransportSecurity).to.deep.equal({ accessControlMaxAgeSec: 63072000, includeSubdomains: true, override: true });
      expect(headers.contentTypeOptions).to.deep.equal({ override: true });
      expect(headers.frameOptions).to.deep.equal({ frameOption: 'DENY', override: true });
      expect(headers.referrerPolicy).to.deep.equal({ referrerPolicy: 'strict-origin-when-cross-origin', override: true });
    });

    it('denies powerful browser features with a Permissions-Policy', () => {
      expect(policy().customHeadersConfig.items).to.deep.equal([{ header: 'Permissions-Policy', value: PERMISSIONS_POLICY, override: true }]);
      for (const feature of ['camera', 'microphone', 'geolocation', 'payment', 'usb']) {
        expect(PERMISSIONS_POLICY.split(', '), feature).to.include(`${feature}=()`);
      }
    });

    it('gives the local server the same policy with the API on its own origin', () => {
      expect(securityHeaders([])).to.deep.equal({
        'content-security-policy': EXPECTED_CSP.replace(/connect-src [^;]+/, "connect-src 'self'"),
        'permissions-policy': PERMISSIONS_POLICY,
        'x-content-type-options': 'nosniff',
        'x-frame-options': 'DENY',
        'referrer-policy': 'strict-origin-when-cross-origin',
      });
    });
  });

  describe('client build upload', () => {
    const objects = () => stack.ofType('aws:s3/bucketObject:BucketObject').map((o) => o.inputs);
    const object = (key: string) => {
      const found = objects().filter((o) => o.key === key);
      expect(found, key).to.have.length(1);
      return found[0];
    };

    it('uploads one object per built file, plus the generated config.json', () => {
      expect(objects().map((o) => o.key)).to.have.members(Object.keys(SITE_FIXTURE)).and.have.length(Object.keys(SITE_FIXTURE).length);
      for (const o of objects()) expect(o.bucket).to.equal(mock.bucketName);
    });

    it('uploads each file from disk with its content type', async () => {
      const expected: Record<string, string> = {
        'index.html': 'text/html',
        'assets/app-3f2a9c.js': 'text/javascript',
        'assets/app-7d1e0b.css': 'text/css',
        'assets/logo-9a8b7c6d.svg': 'image/svg+xml',
        'favicon.ico': 'image/vnd.microsoft.icon',
        'manifest.webmanifest': 'application/manifest+json',
      };
      for (const [key, contentType] of Object.entries(expected)) {
        const o = object(key);
        expect(o.contentType, key).to.equal(contentType);
        expect(await o.source.path, key).to.equal(path.join(stack.siteDir, key));
      }
    });

    it('caches hashed assets for a year and makes index.html revalidate', () => {
      expect(object('assets/app-3f2a9c.js').cacheControl).to.equal(IMMUTABLE);
      expect(object('assets/app-7d1e0b.css').cacheControl).to.equal(IMMUTABLE);
      expect(object('assets/logo-9a8b7c6d.svg').cacheControl).to.equal(IMMUTABLE);
      expect(object('index.html').cacheControl).to.equal('no-cache');
      expect(object('favicon.ico').cacheControl).to.equal('no-cache');
    });

    it('generates config.json from the stack outputs instead of uploading the built one', () => {
      const config = object('config.json');
      expect(config.source).to.equal(undefined);
      expect(config.contentType).to.equal('application/json');
      expect(config.cacheControl).to.equal('no-cache');
      expect(JSON.parse(config.content)).to.deep.equal({
        apiBaseUrl: `${mock.apiEndpoint}/api`,
        auth: {
          region: REGION,
          userPoolId: mock.userPoolId,
          clientId: mock.clientId,
          domain: `https://budget-alerts-test-123456789012.auth.${REGION}.amazoncognito.com`,
          redirectUri: mock.siteUrl,
          scopes: ['openid', 'email', 'budget-api/expenses'],
        },
      });
    });
  });
});

describe('infra: site file helpers', () => {
  it('lists nested files with forward-slash keys, sorted', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'site-list-'));
    fs.mkdirSync(path.join(dir, 'assets', 'img'), { recursive: true });
    for (const f of ['index.html', 'assets/a-1b2c3d.js', 'assets/img/x.png']) fs.writeFileSync(path.join(dir, f), '');
    expect(listSiteFiles(dir).map((f) => f.key)).to.deep.equal(['assets/a-1b2c3d.js', 'assets/img/x.png', 'index.html']);
  });

  it('says to run the build when the folder is missing', () => {
    expect(() => listSiteFiles(path.join(os.tmpdir(), 'no-such-site-dir-xyz'))).to.throw(/npm run build/);
  });

  it('recognises content-hashed names from common bundlers', () => {
    for (const key of ['assets/app-3f2a9c.js', 'chunk.8F3A2B1C.js', 'assets/index-BkL3x_9a.css', 'assets/font-a1b2c3d4e5.woff2',
      'assets/TrendsCard-3V2GZ3G7.js', 'assets/workbox-window.prod.es5-ZXN5XRTJ.js']) {
      expect(cacheControlFor(key), key).to.equal(IMMUTABLE);
    }
  });

  it('revalidates everything else', () => {
    // The service worker, the manifest and the icons among them: a new release must be found at once.
    for (const key of ['index.html', 'config.json', 'favicon.ico', 'robots.txt', 'icon-192x192.png', 'assets/app.js',
      'my-long-file-name.js', 'assets/app-3f2a9c.js.map', 'README', 'sw.js', 'manifest.webmanifest', 'icons/icon-192.png',
      'icons/maskable-512.png', 'icons/apple-touch-icon.png', 'icons/favicon-32.png']) {
      expect(cacheControlFor(key), key).to.equal('no-cache');
    }
  });

  it('falls back to application/octet-stream for unknown extensions', () => {
    expect(contentTypeFor('data.unknownext')).to.equal('application/octet-stream');
    expect(contentTypeFor('index.html')).to.equal('text/html');
    expect(contentTypeFor('manifest.webmanifest')).to.equal('application/manifest+json');
    expect(contentTypeFor('sw.js')).to.equal('text/javascript');
  });
});
