import { expect } from 'chai';
import { UserWriteQueue } from '../../src/application/ledger-write.js';

describe('UserWriteQueue', () => {
  const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

  it('runs one user\'s writes one at a time, in order, and other users\' alongside', async () => {
    const queue = new UserWriteQueue();
    const log: string[] = [];
    const write = (user: string, name: string) => queue.run(user, async () => {
      log.push(`${name} start`);
      await tick();
      log.push(`${name} end`);
      return name;
    });
    const results = await Promise.all([write('a', 'a1'), write('a', 'a2'), write('b', 'b1')]);
    expect(results).to.deep.equal(['a1', 'a2', 'b1']);
    expect(log.indexOf('a1 end')).to.be.lessThan(log.indexOf('a2 start'));
    expect(log.indexOf('b1 start')).to.be.lessThan(log.indexOf('a1 end'));
  });

  it('goes on after a failed write, which still reports its error', async () => {
    const queue = new UserWriteQueue();
    const failed = queue.run('a', async () => { throw new Error('boom'); });
    const next = queue.run('a', async () => 'next');
    try {
      await failed;
      expect.fail('should have thrown');
    } catch (error) {
      expect((error as Error).message).to.equal('boom');
    }
    expect(await next).to.equal('next');
  });
});
