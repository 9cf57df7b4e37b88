// Issue 11, defect 4: the first Ctrl-C asks for a checkpoint; a second one quits at once.
import { afterEach, expect, test, vi } from 'vitest';
import { onStopSignals } from '../../src/cli/interrupt.js';

afterEach(() => vi.restoreAllMocks());

test('first signal: stop at the next safe point; second: quit now, after releasing', () => {
  vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  const exit = vi.spyOn(process, 'exit').mockImplementation((() => undefined) as never);
  const events: string[] = [];
  const remove = onStopSignals((s) => events.push(`stop ${s}`), () => events.push('quit'));
  try {
    process.emit('SIGINT', 'SIGINT');
    expect(events).toEqual(['stop SIGINT']);
    expect(exit).not.toHaveBeenCalled();
    process.emit('SIGINT', 'SIGINT');
    expect(events).toEqual(['stop SIGINT', 'quit']);
    expect(exit).toHaveBeenCalledWith(130);
  } finally {
    remove();
  }
  // Removed: no handler of ours is left on the process.
  const before = process.listenerCount('SIGTERM');
  const again = onStopSignals(() => events.push('x'), () => {});
  expect(process.listenerCount('SIGTERM')).toBe(before + 1);
  again();
  expect(process.listenerCount('SIGTERM')).toBe(before);
});

test('SIGTERM twice exits 143', () => {
  vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  const exit = vi.spyOn(process, 'exit').mockImplementation((() => undefined) as never);
  const remove = onStopSignals(() => {}, () => {});
  process.emit('SIGTERM', 'SIGTERM');
  process.emit('SIGTERM', 'SIGTERM');
  remove();
  expect(exit).toHaveBeenCalledWith(143);
});
