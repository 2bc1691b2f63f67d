import * as fs from 'node:fs';
import * as path from 'node:path';
import * as pulumi from '@pulumi/pulumi';
import * as aws from '@pulumi/aws';
import mime from 'mime';
import {
  awsConnectSources, contentSecurityPolicy, FRAME_OPTIONS, HSTS_MAX_AGE_SECONDS, PERMISSIONS_POLICY, REFERRER_POLICY,
} from './security-headers.js';

/** AWS managed CloudFront cache policy (a fixed id, the same in every account). */
export const CACHING_OPTIMIZED_POLICY_ID = '658327ea-f89d-4fab-a63d-7e88639e58f6';

export const IMMUTABLE = 'public, max-age=31536000, immutable';
export const NO_CACHE = 'no-cache';
/** The runtime settings object the page fetches at start; generated here, never taken from the build. */
export const RUNTIME_CONFIG_KEY = 'config.json';

/** What the page reads from `/config.json`. */
export interface RuntimeConfig {
  apiBaseUrl: pulumi.Input<string>;
  auth: {
    region: string;
    userPoolId: pulumi.Input<string>;
    clientId: pulumi.Input<string>;
    domain: pulumi.Input<string>;
    redirectUri: pulumi.Input<string>;
    scopes: string[];
  };
}

export interface SiteArgs {
  priceClass: string;
}

/**
 * The web client: a private S3 bucket that only this CloudFront distribution can read (Origin Access
 * Control, SigV4), served over HTTPS. `publish` uploads the client build and the generated config.json.
 */
export class Site extends pulumi.ComponentResource {
  readonly bucket: aws.s3.Bucket;
  readonly distribution: aws.cloudfront.Distribution;
  readonly responseHeadersPolicy: aws.cloudfront.ResponseHeadersPolicy;
  /** `https://<distribution domain>`: the site's origin, no trailing slash. */
  readonly url: pulumi.Output<string>;
  readonly files: aws.s3.BucketObject[] = [];

  constructor(name: string, args: SiteArgs, opts?: pulumi.ComponentResourceOptions) {
    super('budget-alerts:site:Site', name, {}, opts);
    const parent = { parent: this };

    // Its content is a build artefact, re-uploaded on every `pulumi up`: destroy may empty it.
    this.bucket = new aws.s3.Bucket('site', { forceDestroy: true }, parent);
    const publicAccessBlock = new aws.s3.BucketPublicAccessBlock('site', {
      bucket: this.bucket.id,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    }, parent);
    new aws.s3.BucketOwnershipControls('site', {
      bucket: this.bucket.id,
      rule: { objectOwnership: 'BucketOwnerEnforced' },
    }, parent);
    new aws.s3.BucketServerSideEncryptionConfiguration('site', {
      bucket: this.bucket.id,
      rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'AES256' } }],
    }, parent);

    const oac = new aws.cloudfront.OriginAccessControl('site', {
      description: 'CloudFront reads the private site bucket with SigV4',
      originAccessControlOriginType: 's3',
      signingBehavior: 'always',
      signingProtocol: 'sigv4',
    }, parent);

    // AWS's managed security-headers policy has no Content-Security-Policy and no Permissions-Policy.
    const region = aws.getRegionOutput({}, parent).region;
    this.responseHeadersPolicy = new aws.cloudfront.ResponseHeadersPolicy('site', {
      comment: 'Web client: HSTS, CSP, Permissions-Policy, no framing, no sniffing',
      securityHeadersConfig: {
        strictTransportSecurity: { accessControlMaxAgeSec: HSTS_MAX_AGE_SECONDS, includeSubdomains: true, override: true },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: FRAME_OPTIONS, override: true },
        referrerPolicy: { referrerPolicy: REFERRER_POLICY, override: true },
        contentSecurityPolicy: {
          contentSecurityPolicy: region.apply((r) => contentSecurityPolicy(awsConnectSources(r))),
          override: true,
        },
      },
      customHeadersConfig: { items: [{ header: 'Permissions-Policy', value: PERMISSIONS_POLICY, override: true }] },
    }, parent);

    const originId = 'site-bucket';
    this.distribution = new aws.cloudfront.Distribution('site', {
      enabled: true,
      comment: `${pulumi.getProject()} ${pulumi.getStack()} web client`,
      defaultRootObject: 'index.html',
      httpVersion: 'http2and3',
      isIpv6Enabled: true,
      priceClass: args.priceClass,
      origins: [{
        originId,
        domainName: this.bucket.bucketRegionalDomainName,
        originAccessControlId: oac.id,
      }],
      defaultCacheBehavior: {
        targetOriginId: originId,
        viewerProtocolPolicy: 'redirect-to-https',
        allowedMethods: ['GET', 'HEAD'],
        cachedMethods: ['GET', 'HEAD'],
        compress: true,
        cachePolicyId: CACHING_OPTIMIZED_POLICY_ID,
        responseHeadersPolicyId: this.responseHeadersPolicy.id,
      },
      // Client-side routes: unknown paths (S3 answers 403 without ListBucket) load the app shell.
      customErrorResponses: [403, 404].map((errorCode) => ({
        errorCode,
        responseCode: 200,
        responsePagePath: '/index.html',
        errorCachingMinTtl: 0,
      })),
      restrictions: { geoRestriction: { restrictionType: 'none' } },
      viewerCertificate: { cloudfrontDefaultCertificate: true },
    }, parent);

    // Reads only through this distribution; plain-HTTP access denied outright.
    new aws.s3.BucketPolicy('site', {
      bucket: this.bucket.id,
      policy: pulumi.jsonStringify({
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'AllowCloudFrontOriginAccessControl',
            Effect: 'Allow',
            Principal: { Service: 'cloudfront.amazonaws.com' },
            Action: 's3:GetObject',
            Resource: pulumi.interpolate`${this.bucket.arn}/*`,
            Condition: { StringEquals: { 'AWS:SourceArn': this.distribution.arn } },
          },
          {
            Sid: 'DenyInsecureTransport',
            Effect: 'Deny',
            Principal: '*',
            Action: 's3:*',
            Resource: [this.bucket.arn, pulumi.interpolate`${this.bucket.arn}/*`],
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          },
        ],
      }),
    }, { parent: this, dependsOn: [publicAccessBlock] });

    this.url = pulumi.interpolate`https://${this.distribution.domainName}`;
    this.registerOutputs({ url: this.url, bucketName: this.bucket.bucket });
  }

  /**
   * Uploads every file of the client build as its own object (content type from its extension,
   * cache headers from its name), then `config.json` generated from the stack's outputs.
   */
  publish(siteDir: string, runtimeConfig: RuntimeConfig): void {
    for (const file of listSiteFiles(siteDir)) {
      if (file.key === RUNTIME_CONFIG_KEY) {
        pulumi.log.warn(`${siteDir}/${RUNTIME_CONFIG_KEY} is ignored: the stack generates its own`, this);
        continue;
      }
      this.files.push(new aws.s3.BucketObject(`site/${file.key}`, {
        bucket: this.bucket.id,
        key: file.key,
        source: new pulumi.asset.FileAsset(file.path),
        contentType: contentTypeFor(file.key),
        cacheControl: cacheControlFor(file.key),
      }, { parent: this }));
    }
    this.files.push(new aws.s3.BucketObject(`site/${RUNTIME_CONFIG_KEY}`, {
      bucket: this.bucket.id,
      key: RUNTIME_CONFIG_KEY,
      content: pulumi.jsonStringify(runtimeConfig),
      contentType: 'application/json',
      cacheControl: NO_CACHE,
    }, { parent: this }));
  }
}

export interface SiteFile {
  /** Object key: the path relative to the build folder, with `/` separators. */
  key: string;
  /** Absolute path on disk. */
  path: string;
}

/** Every regular file under `dir`, sorted by key. A missing folder is an error that says what to run. */
export function listSiteFiles(dir: string): SiteFile[] {
  const root = path.resolve(dir);
  if (!fs.existsSync(root) || !fs.statSync(root).isDirectory()) {
    throw new Error(`Site folder ${root} not found: run \`npm run build\` first (or set siteDir)`);
  }
  const files: SiteFile[] = [];
  const walk = (current: string): void => {
    for (const entry of fs.readdirSync(current, { withFileTypes: true })) {
      const full = path.join(current, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile()) files.push({ key: path.relative(root, full).split(path.sep).join('/'), path: full });
    }
  };
  walk(root);
  return files.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

export function contentTypeFor(key: string): string {
  return mime.getType(key) ?? 'application/octet-stream';
}

/**
 * A name whose last `-`/`.` segment before the extension looks like a content hash (6-20 letters and
 * digits with at least one of each: `app-3f2a9c.js`, `chunk.8F3A2B1C.js`) never changes content, so
 * browsers and CloudFront may keep it a year. Everything else (index.html, config.json, favicon.ico,
 * icon-192x192.png, ...) is revalidated on every use: a wrong guess costs a round trip, never staleness.
 */
export function cacheControlFor(key: string): string {
  const name = key.split('/').pop() ?? key;
  const stem = name.includes('.') ? name.slice(0, name.lastIndexOf('.')) : '';
  const segments = stem.split(/[.-]/);
  const last = segments.length > 1 ? segments[segments.length - 1] : '';
  const hashed = /^[A-Za-z0-9_]{6,20}$/.test(last) && /[0-9]/.test(last) && /[A-Za-z]/.test(last)
    && !/^\d+x\d+$/.test(last);
  return hashed ? IMMUTABLE : NO_CACHE;
}
