import { connect } from 'node:net';
import { networkInterfaces } from 'node:os';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { expect } from 'chai';
import { startDynamoDbLocal, type DynamoDbLocal } from '../../src/entrypoints/local/dynamodb-local.js';

/** 'connected', or why not (ECONNREFUSED, timeout...). */
function tryConnect(host: string, port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect({ host, port, timeout: 3000 });
    socket.once('connect', () => { socket.destroy(); resolve('connected'); });
    socket.once('timeout', () => { socket.destroy(); resolve('timeout'); });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
  });
}

/** Addresses other hosts could reach this machine on (link-local IPv6 left out: it needs a zone). */
function networkAddresses(): { address: string; family: string }[] {
  return Object.values(networkInterfaces()).flatMap((entries) => entries ?? [])
    .filter((entry) => !entry.internal && !entry.address.startsWith('fe80:'))
    .map(({ address, family }) => ({ address, family }));
}

describe('DynamoDB Local for npm start: network exposure', function () {
  this.timeout(90_000);
  let database: DynamoDbLocal | null = null;

  afterEach(async () => {
    await database?.stop();
    database = null;
  });

  it('answers on 127.0.0.1 and refuses connections on every network address of this machine', async function () {
    const addresses = networkAddresses();
    if (!addresses.some(({ family }) => family === 'IPv4')) {
      console.warn('    (skipped: this machine has no non-loopback IPv4 address to probe from)');
      this.skip();
    }
    database = await startDynamoDbLocal();
    const port = Number(new URL(database.endpoint).port);

    expect(await tryConnect('127.0.0.1', port)).to.equal('connected');
    const client = new DynamoDBClient({ endpoint: database.endpoint, region: 'local', credentials: { accessKeyId: 'any', secretAccessKey: 'any' } });
    try {
      expect((await client.send(new ListTablesCommand({}))).TableNames).to.be.an('array');
    } finally {
      client.destroy();
    }

    for (const { address } of addresses) {
      expect(await tryConnect(address, port), `${address}:${port}`).to.not.equal('connected');
    }

    await database.stop();
    database = null;
    expect(await tryConnect('127.0.0.1', port), 'after stop()').to.equal('ECONNREFUSED');
  });
});
