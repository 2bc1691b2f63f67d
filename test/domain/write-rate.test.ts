import { expect } from 'chai';
import { RateLimitedError } from '../../src/domain/errors.js';
import { spendWrite, type WriteAllowance } from '../../src/domain/write-rate.js';

const limit = { burst: 3, refillPerSecond: 1 };
const at = (ms: number) => new Date(Date.UTC(2026, 10, 15, 10, 0, 0) + ms);

function refused(allowance: WriteAllowance | null, now: Date): RateLimitedError {
  try {
    spendWrite(allowance, limit, now);
  } catch (error) {
    expect(error).to.be.instanceOf(RateLimitedError);
    return error as RateLimitedError;
  }
  throw new Error('the write was allowed');
}

describe('per-user write rate (token bucket)', () => {
  it('allows a full burst at one instant, then refuses with the seconds until the next write fits', () => {
    let bucket: WriteAllowance | null = null;
    for (let i = 0; i < 3; i++) bucket = spendWrite(bucket, limit, at(0));
    expect(bucket).to.deep.equal({ milliWrites: 0, at: at(0).toISOString() });
    const error = refused(bucket, at(0));
    expect(error.retryAfterSeconds).to.equal(1);
    expect(error.code).to.equal('RATE_LIMITED');
    expect(error.message).to.equal('Too many changes in a short time: at most 3 at once, then 1 per second');
  });

  it('refills exactly, in thousandths, and never above the burst', () => {
    const empty = { milliWrites: 0, at: at(0).toISOString() };
    expect(refused(empty, at(999)).retryAfterSeconds, '1 ms short').to.equal(1);
    expect(spendWrite(empty, limit, at(1000))).to.deep.equal({ milliWrites: 0, at: at(1000).toISOString() });
    expect(spendWrite(empty, limit, at(1750))).to.deep.equal({ milliWrites: 750, at: at(1750).toISOString() });
    expect(spendWrite(empty, limit, at(3_600_000)), 'an hour later holds the burst, not 3600').to.deep.equal({ milliWrites: 2000, at: at(3_600_000).toISOString() });
  });

  it('says how long a slow refill takes', () => {
    const slow = { burst: 2, refillPerSecond: 0.25 };
    expect(() => spendWrite({ milliWrites: 0, at: at(0).toISOString() }, slow, at(0))).to.throw(RateLimitedError).with.property('retryAfterSeconds', 4);
    expect(() => spendWrite({ milliWrites: 500, at: at(0).toISOString() }, slow, at(0))).to.throw(RateLimitedError).with.property('retryAfterSeconds', 2);
  });

  it('refills nothing for a clock behind the stored instant, and keeps the later instant', () => {
    const stored = { milliWrites: 1500, at: at(10_000).toISOString() };
    expect(spendWrite(stored, limit, at(4000))).to.deep.equal({ milliWrites: 500, at: at(10_000).toISOString() });
  });
});
