import * as fs from 'node:fs';
import * as pulumi from '@pulumi/pulumi';
import { expect } from 'chai';
import { defaults, loadConfig } from '../../infra/config.js';
import { loadStack, PROJECT, REGION } from './support/stack.js';

/** Runs `fn` with the program's keys replaced by `values` (aws:region kept), then restores the config. */
function withConfig<T>(values: Record<string, string>, fn: () => T): T {
  const saved = pulumi.runtime.allConfig();
  const base = Object.fromEntries(Object.entries(saved).filter(([key]) => !key.startsWith(`${PROJECT}:`)));
  const scoped = Object.fromEntries(Object.entries(values).map(([key, value]) => [`${PROJECT}:${key}`, value]));
  pulumi.runtime.setAllConfig({ ...base, ...scoped });
  try {
    return fn();
  } finally {
    pulumi.runtime.setAllConfig(saved);
  }
}

/** The `config:` block of Pulumi.yaml: key -> its indented lines (the repo has no YAML parser to lean on). */
function documentedKeys(): Map<string, string> {
  const text = fs.readFileSync('Pulumi.yaml', 'utf8');
  const block = text.slice(text.indexOf('\nconfig:\n') + '\nconfig:\n'.length);
  const keys = new Map<string, string>();
  let current: string | undefined;
  for (const line of block.split('\n')) {
    const key = /^ {2}([A-Za-z][A-Za-z0-9]*):\s*$/.exec(line);
    if (key) {
      current = key[1];
      keys.set(current, '');
    } else if (current && /^ {4}/.test(line)) {
      keys.set(current, `${keys.get(current)}${line}\n`);
    } else if (/^\S/.test(line)) {
      break;
    }
  }
  return keys;
}

describe('infra: stack configuration', () => {
  before(async () => {
    await loadStack(); // the program reads its config first; these tests change and restore it
  });

  it('falls back to the documented defaults when no key is set', () => {
    const config = withConfig({}, loadConfig);
    expect(config).to.deep.equal({
      region: REGION,
      siteDir: 'client/dist',
      allowedOrigins: [],
      alarmEmail: undefined,
      deletionProtection: true,
      logRetentionDays: 30,
      apiThrottleRateLimit: 20,
      apiThrottleBurstLimit: 40,
      authDomainPrefix: undefined,
      allowSelfSignUp: false,
      priceClass: 'PriceClass_100',
      reportSender: undefined,
      reportSendRate: 14,
    });
  });

  it('treats the empty strings Pulumi.yaml declares as defaults as unset', () => {
    const config = withConfig({ alarmEmail: '', authDomainPrefix: '', allowedOrigins: '[]' }, loadConfig);
    expect(config.alarmEmail).to.equal(undefined);
    expect(config.authDomainPrefix).to.equal(undefined);
    expect(config.allowedOrigins).to.deep.equal([]);
  });

  it('rejects an allowed origin with a path or trailing slash', () => {
    expect(() => withConfig({ allowedOrigins: '["https://example.com/"]' }, loadConfig)).to.throw(/allowedOrigins/);
  });

  it('rejects a log retention CloudWatch does not offer', () => {
    expect(() => withConfig({ logRetentionDays: '10' }, loadConfig)).to.throw(/logRetentionDays/);
  });

  it('rejects a Hosted UI prefix Cognito would refuse', () => {
    expect(() => withConfig({ authDomainPrefix: 'My_Prefix' }, loadConfig)).to.throw(/authDomainPrefix/);
    expect(() => withConfig({ authDomainPrefix: 'my-cognito-app' }, loadConfig)).to.throw(/authDomainPrefix/);
  });

  it('documents every key with its type, description and the same default in Pulumi.yaml', () => {
    const documented = documentedKeys();
    const read = Object.keys(withConfig({}, loadConfig)).filter((key) => key !== 'region');
    expect([...documented.keys()]).to.have.members(read);
    for (const [key, body] of documented) {
      expect(body, key).to.match(/^ {4}type: (string|boolean|integer|array)$/m);
      expect(body, key).to.match(/^ {4}description: /m);
      const declared = /^ {4}default: (.*)$/m.exec(body)?.[1];
      expect(declared, `${key} default`).to.not.equal(undefined);
      const codeDefault = (defaults as Record<string, unknown>)[key];
      const expected = codeDefault === undefined ? '""' : Array.isArray(codeDefault) ? JSON.stringify(codeDefault) : String(codeDefault);
      expect(declared, `${key} default`).to.equal(expected);
    }
  });

  it('ships a dev stack with a region, an alarm email placeholder and the local dev origin', () => {
    const dev = fs.readFileSync('Pulumi.dev.yaml', 'utf8');
    expect(dev).to.match(/^ {2}aws:region: [a-z]+-[a-z]+-\d$/m);
    expect(dev).to.match(/^ {2}budget-alerts:alarmEmail: \S+@\S+$/m);
    expect(dev).to.match(/^ {2}budget-alerts:allowedOrigins:\n {4}- http:\/\/localhost:\d+$/m);
  });
});
