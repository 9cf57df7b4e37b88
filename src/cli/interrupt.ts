// Ctrl-C and SIGTERM during a long command: the first asks it to stop at the
// next safe point (train: after the step, with a checkpoint); a second one,
// from a user who will not wait, quits at once.
export type StopSignal = 'SIGINT' | 'SIGTERM';

export const exitCodeOf = (signal: StopSignal): number => (signal === 'SIGTERM' ? 143 : 130);

/**
 * Installs the handlers; returns the function that removes them. `quit` runs
 * before the immediate exit of a second signal (release locks there).
 */
export function onStopSignals(stop: (signal: StopSignal) => void, quit: () => void): () => void {
  let count = 0;
  const handler = (signal: StopSignal): void => {
    if (++count > 1) {
      process.stderr.write(`\n${signal} again: quitting without a checkpoint\n`);
      quit();
      process.exit(exitCodeOf(signal));
      return;
    }
    process.stderr.write(`\n${signal}: finishing the current step and writing a checkpoint (press Ctrl-C again to quit at once)\n`);
    stop(signal);
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return () => {
    process.off('SIGINT', handler);
    process.off('SIGTERM', handler);
  };
}
