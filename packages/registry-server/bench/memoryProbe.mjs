/** Child side of the bench's memory probe: on request, collect garbage (when exposed) and report. */
export function answerMemoryRequests() {
  process.on('message', (message) => {
    if (message?.type !== 'memory') return;
    globalThis.gc?.();
    globalThis.gc?.();
    process.send?.({ type: 'memory', usage: process.memoryUsage() });
  });
}
