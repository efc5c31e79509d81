import { SessionGate } from './session-gate.js';

describe('SessionGate', () => {
  const a = { name: 'a' };
  const b = { name: 'b' };
  const c = { name: 'c' };

  it('gives the gate to one holder at a time, then to the waiters in arrival order', async () => {
    const gate = new SessionGate(1000);
    const order: string[] = [];
    await gate.acquire(a);
    const waiting = [gate.acquire(b).then(() => order.push('b')), gate.acquire(c).then(() => order.push('c'))];
    await gate.acquire(a);
    expect(gate.isHeldBy(a)).toBe(true);
    gate.release(a);
    await waiting[0];
    expect(gate.isHeldBy(b)).toBe(true);
    gate.release(b);
    await waiting[1];
    expect(order).toEqual(['b', 'c']);
    gate.release(c);
    expect(gate.isHeldBy(c)).toBe(false);
  });

  it('ignores a release by a connection that does not hold the gate', async () => {
    const gate = new SessionGate(1000);
    await gate.acquire(a);
    gate.release(b);
    expect(gate.isHeldBy(a)).toBe(true);
  });

  it('refuses a wait longer than its limit, and forgets a closed connection', async () => {
    const gate = new SessionGate(20);
    await gate.acquire(a);
    await expect(gate.acquire(b)).rejects.toThrow(/stayed busy for 20 ms/);
    const dropped = gate.acquire(c);
    gate.forget(c);
    await expect(dropped).rejects.toThrow(/connection closed/);
    gate.forget(a);
    await gate.acquire(b);
    expect(gate.isHeldBy(b)).toBe(true);
  });
});
