// A bench runner (module: interface) that answers nothing until its task's signal aborts (or 30 s):
// the follower test uses it to see a solve stopped early by an incumbent event.
export default {
  name: 'wait-for-abort',
  available: async () => true,
  run: (task) => new Promise((resolve) => {
    const timer = setTimeout(() => resolve({ status: 'none', winners: [] }), 30_000);
    task.signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve({ status: 'none', winners: [] });
    }, { once: true });
  }),
};
