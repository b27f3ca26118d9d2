import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";
import prettier from "eslint-config-prettier/flat";

const config = [
  ...nextVitals,
  ...nextTs,
  prettier,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["warn", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  {
    // Production code (lib, app, components, db, inngest) never imports a development-only
    // package: test support, fakes and tooling live under tests/, scripts/ and e2e/. The files
    // are those eslint-config-next registers the import plugin for.
    files: ["**/*.{js,jsx,mjs,ts,tsx,mts,cts}"],
    rules: {
      "import/no-extraneous-dependencies": [
        "error",
        {
          devDependencies: [
            "**/*.test.ts",
            "**/*.test.tsx",
            "tests/**",
            "scripts/**",
            "e2e/**",
            "*.config.ts",
            "*.config.mjs",
          ],
        },
      ],
    },
  },
  {
    // Test files share modules and process.env within a worker (vitest runs with isolate: false),
    // so a variable a test sets must be put back: through tests/env.ts, never by hand.
    files: ["**/*.test.ts", "**/*.test.tsx", "tests/**/*.ts"],
    ignores: ["tests/env.ts", "tests/support/inngest.ts"],
    rules: {
      "no-restricted-syntax": [
        "error",
        {
          // The Inngest client is shared the same way and keeps what it was told.
          selector: "CallExpression[callee.property.name='setEnvVars']",
          message:
            "Point the Inngest client with fakeInngestForFile or pointInngestClient (tests/support/inngest.ts), which put it back afterwards.",
        },
        ...[
          "AssignmentExpression > MemberExpression.left[object.object.name='process'][object.property.name='env']",
          "AssignmentExpression[left.object.name='process'][left.property.name='env']",
          "UnaryExpression[operator='delete'] > MemberExpression[object.object.name='process'][object.property.name='env']",
          "CallExpression[callee.object.name='Object'][callee.property.name='assign'][arguments.0.object.name='process'][arguments.0.property.name='env']",
        ].map((selector) => ({
          selector,
          message:
            "Set environment variables in tests with withTestEnv or perTestEnv (tests/env.ts), which put them back afterwards.",
        })),
      ],
    },
  },
  {
    ignores: [
      ".next/**",
      ".data/**",
      "node_modules/**",
      "db/migrations/**",
      "test-results/**",
      "playwright-report/**",
      "next-env.d.ts",
    ],
  },
];

export default config;
