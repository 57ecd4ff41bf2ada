/**
 * A progress line on stderr once a second while something long runs: rewritten in place on a
 * terminal, one line per tick when stderr is a file or a pipe (CI logs).
 */
export function startProgressLine(render: () => string, intervalMs = 1000): () => void {
  const tty = process.stderr.isTTY === true;
  const started = Date.now();
  const tick = () => {
    const line = `  … ${Math.round((Date.now() - started) / 1000)}s  ${render()}`;
    process.stderr.write(tty ? `\r${line}\x1b[K` : `${line}\n`);
  };
  const timer = setInterval(tick, intervalMs);
  return () => {
    clearInterval(timer);
    if (tty) process.stderr.write('\r\x1b[K');
  };
}
