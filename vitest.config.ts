import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Builds nothing; checks dist/ and installs native cbc (bench/setup.sh), failing loudly.
    globalSetup: ['test/setup/prerequisites.ts'],
    // Generous: on a loaded 2-vCPU CI a property that takes 5 s idle can take a minute or more.
    testTimeout: 300_000,
    hookTimeout: 300_000,
    pool: 'forks',
    reporters: ['default'],
  },
});
